"""Choropleth of the 43 police force areas: VRU areas by value, no data, and forces with no VRU."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import TEXT, apply_theme, empty_figure
from dashboard.geography import BOUNDARY_ATTRIBUTION, CITY_OF_LONDON

REQUIRED_COLUMNS = ("pfa_code", "pfa_name", "unit_id", "unit_name", "value", "hover_text")

# Trace order, the same in every figure, so a callback can Patch traces by index.
TRACE_NOT_VRU = 0
TRACE_NO_DATA = 1
TRACE_VALUES = 2
TRACE_SELECTED = 3
TRACES_PER_MAP = 4
INSET_OFFSET = TRACES_PER_MAP  # the London inset repeats traces 0-3 as 4-7
VALUE_TRACES = (TRACE_VALUES, TRACE_VALUES + INSET_OFFSET)

# Viridis rather than the theme's Cividis: Cividis passes through grey mid-scale, which would be
# confused with the grey of "no data". Viridis has no grey and is colour-blind safe.
COLORSCALE = "Viridis"
# Signed changes: blue for a fall, red for a rise, pale at zero (ColorBrewer RdBu, colour-blind
# safe); used with cmid=0 so that no change is ever drawn as the colour of a rise.
DIVERGING_SCALE = [
    [0.0, "#2166ac"],
    [0.25, "#92c5de"],
    [0.5, "#f7f7f7"],
    [0.75, "#f4a582"],
    [1.0, "#b2182b"],
]
NOT_VRU_FILL = "#eceff1"
NO_DATA_FILL = "#8a8a8a"
BORDER = "#ffffff"
INSET_NOT_VRU_LINE = "#495057"
SELECTED_LINE = "#111111"
SELECTED_WIDTH = 3.0
SELECTED_INSET_WIDTH = 1.5  # thinner, or the outline of the Met's hole hides the City

ENGLAND_WALES_VIEW = {"center": {"lat": 52.7, "lon": -2.0}, "zoom": 5.0}
# Centred on the City of London (3 km², about 25 px across here) with inner London around it.
LONDON_VIEW = {"center": {"lat": 51.513, "lon": -0.092}, "zoom": 9.0}
INSET_DOMAIN = {"x": [0.655, 0.995], "y": [0.58, 0.995]}

HOVER_VALUE = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
HOVER_NO_DATA = "<b>%{customdata[1]}</b><br>No figure: %{customdata[2]}<extra></extra>"
HOVER_NOT_VRU = "<b>%{customdata[1]}</b><br>Not a VRU area<extra></extra>"


def build_area_map(
    frame: pd.DataFrame,
    geojson: dict | str,
    *,
    title: str = "",
    colorbar_title: str = "",
    selected: Sequence[str] = (),
    coloraxis: dict[str, Any] | None = None,
) -> go.Figure:
    """Map of force areas coloured by `value`, drawn offline (no tiles, token or topojson).

    `frame` has one row per force: pfa_code, pfa_name, unit_id and unit_name (NA where no VRU
    covers the force), value (NaN = missing) and hover_text (formatted by the caller). `geojson`
    is passed to plotly unchanged: the app gives the URL `BOUNDARY_URL` (plotly.js fetches it once
    per page), exports give the loaded dict. `selected` lists unit_ids to outline.

    Traces, always 8 and always in this order (indices are module constants):
      0 `TRACE_NOT_VRU`  forces with no unit: light grey, hover "Not a VRU area";
      1 `TRACE_NO_DATA`  VRU areas with no value: mid grey, hover "No figure: <hover_text>";
      2 `TRACE_VALUES`   VRU areas with a value: z = value on the Viridis `coloraxis`;
      3 `TRACE_SELECTED` outlines of the selected units' forces (no fill, no hover);
      4-7 the same four on `map2`, an inset of London in the top-right corner. The inset is how
          the City of London (E23000034, about 3 km², its own force and not a VRU area) can be
          found: it sits at the inset's centre, inside the Metropolitan Police area.
    In every trace, locations are pfa_codes in ascending order; customdata rows are
    [unit_id or "", pfa_name, hover_text]. Missing values are never given to trace 2, so they
    can never be coloured as 0. To change values with `dash.Patch`, set the properties that
    `value_trace_updates(frame)` returns (locations, z, customdata of traces 1, 2, 5, 6): the set
    of forces with a value may change between measures.

    An empty frame gives a "no data for this selection" figure with no traces (so rebuild, do not
    Patch, when the selection becomes non-empty again).
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"area map frame lacks columns: {', '.join(missing)}")
    if frame.empty:
        figure = empty_figure("No data for this selection")
        figure.update_layout(title={"text": title})
        return figure
    if frame["pfa_code"].duplicated().any():
        duplicates = sorted(set(frame.loc[frame["pfa_code"].duplicated(), "pfa_code"]))
        raise ValueError(f"area map frame has more than one row for {', '.join(duplicates)}")

    groups = _groups(frame)
    # A bare string is one unit id, not a sequence of one-letter ids.
    chosen = {selected} if isinstance(selected, str) else set(selected)
    selected_rows = groups["vru"][groups["vru"]["unit_id"].isin(chosen)]

    figure = go.Figure()
    for subplot, main in (("map", True), ("map2", False)):
        not_vru = _constant_trace(groups["not_vru"], NOT_VRU_FILL, HOVER_NOT_VRU, "Not a VRU area")
        if not main:
            # In the inset the City's pale fill would read as river; a dark edge sets it apart.
            not_vru.update(marker_line={"color": INSET_NOT_VRU_LINE, "width": 1.5})
        figure.add_trace(not_vru.update(subplot=subplot, showlegend=main, legendgroup="not_vru"))
        figure.add_trace(
            _constant_trace(
                groups["no_data"],
                NO_DATA_FILL,
                HOVER_NO_DATA,
                "VRU area, no figure for this selection",
            ).update(subplot=subplot, showlegend=main, legendgroup="no_data")
        )
        figure.add_trace(_value_trace(groups["values"], subplot))
        figure.add_trace(_selected_trace(selected_rows, subplot, main=main))
    figure.update_traces(geojson=geojson, featureidkey="properties.pfa_code")
    figure = _layout(figure, title=title, colorbar_title=colorbar_title)
    if coloraxis:
        figure.update_layout(coloraxis={k: v for k, v in coloraxis.items() if v is not None})
    return figure


def value_trace_updates(frame: pd.DataFrame) -> dict[int, dict[str, list[Any]]]:
    """Per trace index, the properties to set when only the values change (for `dash.Patch`).

    Why a function: which forces go in the no-data trace and which in the value trace depends on
    the values, so a callback must move both, in both maps, exactly as `build_area_map` would.
    """
    groups = _groups(frame)
    updates: dict[int, dict[str, list[Any]]] = {}
    for offset in (0, INSET_OFFSET):
        updates[TRACE_NO_DATA + offset] = {
            "locations": groups["no_data"]["pfa_code"].tolist(),
            "z": [1.0] * len(groups["no_data"]),
            "customdata": _customdata(groups["no_data"]),
        }
        updates[TRACE_VALUES + offset] = {
            "locations": groups["values"]["pfa_code"].tolist(),
            "z": groups["values"]["value"].tolist(),
            "customdata": _customdata(groups["values"]),
        }
    return updates


def _groups(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split a copy of the frame into the three drawn groups (the input is left untouched)."""
    rows = frame.loc[:, list(REQUIRED_COLUMNS)].sort_values("pfa_code", ignore_index=True)
    rows["value"] = pd.to_numeric(rows["value"], errors="coerce").astype(float)
    rows["hover_text"] = rows["hover_text"].fillna("").astype(str)
    is_vru = rows["unit_id"].notna()
    has_value = rows["value"].notna()
    return {
        "not_vru": rows[~is_vru],
        "vru": rows[is_vru],
        "no_data": rows[is_vru & ~has_value],
        "values": rows[is_vru & has_value],
    }


def _customdata(rows: pd.DataFrame) -> list[list[str]]:
    unit_ids = rows["unit_id"].astype(object).where(rows["unit_id"].notna(), "")
    return [
        [str(unit_id), str(name), str(text)]
        for unit_id, name, text in zip(unit_ids, rows["pfa_name"], rows["hover_text"], strict=True)
    ]


def _constant_trace(rows: pd.DataFrame, colour: str, hover: str, name: str) -> go.Choroplethmap:
    """One flat colour for every location; z only exists because choroplethmap needs it."""
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=[1.0] * len(rows),
        customdata=_customdata(rows),
        colorscale=[[0, colour], [1, colour]],
        zmin=0,
        zmax=1,
        showscale=False,
        marker={"line": {"color": BORDER, "width": 0.6}, "opacity": 1},
        hovertemplate=hover,
        name=name,
    )


def _value_trace(rows: pd.DataFrame, subplot: str) -> go.Choroplethmap:
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=rows["value"].tolist(),
        customdata=_customdata(rows),
        coloraxis="coloraxis",
        marker={"line": {"color": BORDER, "width": 0.6}, "opacity": 1},
        hovertemplate=HOVER_VALUE,
        name="Value",
        subplot=subplot,
        showlegend=False,
    )


def _selected_trace(rows: pd.DataFrame, subplot: str, *, main: bool) -> go.Choroplethmap:
    """Outline only: a transparent fill on top, skipped by hover so the value below answers."""
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=[1.0] * len(rows),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        zmin=0,
        zmax=1,
        showscale=False,
        marker={
            "line": {
                "color": SELECTED_LINE,
                "width": SELECTED_WIDTH if main else SELECTED_INSET_WIDTH,
            }
        },
        hoverinfo="skip",
        name="Selected unit (black outline)",
        subplot=subplot,
        showlegend=main and not rows.empty,
        legendgroup="selected",
    )


def _layout(figure: go.Figure, *, title: str, colorbar_title: str) -> go.Figure:
    apply_theme(figure)
    figure.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=600,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 30},
        # Keeps the user's pan and zoom when a callback redraws the figure.
        uirevision="area-map",
        map={"style": "white-bg", **ENGLAND_WALES_VIEW, "domain": {"x": [0, 1], "y": [0, 1]}},
        map2={"style": "white-bg", **LONDON_VIEW, "domain": INSET_DOMAIN},
        coloraxis={
            "colorscale": COLORSCALE,
            "colorbar": {
                "title": {"text": colorbar_title},
                "x": 0.01,
                "xanchor": "left",
                "y": 0.03,
                "yanchor": "bottom",
                "len": 0.45,
                "thickness": 14,
            },
        },
        legend={
            "orientation": "v",
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
    )
    x0, x1 = INSET_DOMAIN["x"]
    y0, y1 = INSET_DOMAIN["y"]
    figure.add_shape(
        type="rect",
        xref="paper",
        yref="paper",
        x0=x0,
        x1=x1,
        y0=y0,
        y1=y1,
        line={"color": "#6c757d", "width": 1},
    )
    figure.add_annotation(
        text=f"London. Centre: City of London ({CITY_OF_LONDON}), not a VRU area",
        xref="paper",
        yref="paper",
        x=x1,
        y=y0,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 11, "color": TEXT},
    )
    figure.add_annotation(
        text=BOUNDARY_ATTRIBUTION,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-4,
        showarrow=False,
        font={"size": 10, "color": "#495057"},
    )
    return figure
