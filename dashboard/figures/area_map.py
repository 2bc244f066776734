"""Choropleth of the 43 police force areas: VRU areas by value, no figure, forces with no VRU."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.map_labels import (
    GLYPHS_URL,
    LABEL_LAYER,
    AreaLabel,
    glyphs_data_url,
    map_style,
)
from dashboard.figures.theme import apply_theme, empty_figure

REQUIRED_COLUMNS = ("pfa_code", "pfa_name", "unit_id", "unit_name", "value", "hover_text")

# Trace order, the same in every figure, so a callback can Patch traces by index.
TRACE_NOT_VRU = 0
TRACE_NO_DATA = 1
TRACE_VALUES = 2
TRACE_SELECTED = 3
TRACES_PER_MAP = 4
VALUE_TRACES = (TRACE_VALUES,)

# Viridis rather than the theme's Cividis: Cividis passes through grey mid-scale, which would be
# confused with the grey of forces without a unit. Viridis has no grey and is colour-blind safe.
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
NOT_VRU_FILL = "#e9ecef"
# "No figure" is white with a grey outline: lighter than every data colour, so a gap never
# outweighs a figure, and unlike the pale fill of forces without a unit.
NO_DATA_FILL = "#ffffff"
NO_DATA_LINE = "#6c757d"
NO_DATA_WIDTH = 1.2
BORDER = "#ffffff"
SELECTED_LINE = "#111111"
SELECTED_WIDTH = 3.0
# One figure this many times the median of the others flattens them all to one colour on a
# linear scale; the map then colours by a log scale and its legend says so.
SKEW_RATIO = 8.0
MAP_HEIGHT = 600

# Under the map, outside it (plotly widens the bottom margin to fit): never over an area.
COLORBAR_PLACE: dict[str, Any] = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "top",
    "ypad": 6,
    "len": 0.95,
    "thickness": 12,
}

# West, south, east, north of the 43 force areas in geo/police_force_areas.geojson (Scilly
# to Northumbria, Pembrokeshire to Suffolk); a test checks every boundary point lies inside.
ENGLAND_WALES_BOUNDS = (-6.38, 49.88, 1.77, 55.82)
FIT_PADDING = 0.04  # share of the map's width and height left clear on each side
TILE_SIZE = 512  # px of the world at zoom 0 in the map library (MapLibre)
SIDE_MAP_SHARE = 0.55  # of a landscape frame's width given to the map, the rest to its key
# The page's map before the browser measures it (assets/map_fit.js then fits the real size).
NOMINAL_PLOT = (560, 470)

HOVER_VALUE = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
HOVER_NO_DATA = "<b>%{customdata[1]}</b><br>No figure: %{customdata[2]}<extra></extra>"
HOVER_NOT_VRU = "<b>%{customdata[1]}</b><br>Not a VRU area<extra></extra>"


@dataclass(frozen=True)
class ValueScale:
    """How values become colours: linear or log10, and the colour axis that says which."""

    log: bool
    coloraxis: dict[str, Any] = field(default_factory=dict)

    def colour_of(self, values: Sequence[float]) -> list[float]:
        """The z of each value: the value itself, or its log10 on a log scale."""
        return [math.log10(v) for v in values] if self.log else [float(v) for v in values]


def tick_text(value: float, money: bool) -> str:
    """A colour bar label in words people read: '£1,200,000', '185,000', never '2M'."""
    text = f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:,.2g}"
    if money:
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    return text


def _nice_steps(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round values from low to high (1, 2 or 5 times a power of ten apart)."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks or [low]


def _log_ticks(low: float, high: float) -> list[float]:
    """1, 2 and 5 times the powers of ten between low and high (fewer if they crowd)."""
    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for multiple in (1, 2, 5):
            value = multiple * 10**power
            if low <= value <= high:
                ticks.append(float(value))
    if len(ticks) > 6:
        ticks = [t for t in ticks if str(int(t)).startswith("1")] or ticks
    return ticks or [low, high]


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def fitted_view(
    bounds: Sequence[float], width: float, height: float, padding: float = FIT_PADDING
) -> dict[str, Any]:
    """Centre and zoom that show all of `bounds` (west, south, east, north) in a plot this size.

    Plotly's `fitbounds` does not fit choropleth maps, and a fixed zoom cuts Northumbria and
    Cornwall off in a short frame and leaves a wide one mostly empty; this is the Web Mercator
    arithmetic the map library uses, so the areas fill the frame in every size.
    The same sum runs in the browser (assets/map_fit.js) when the page's map changes size.
    """
    west, south, east, north = bounds
    top, bottom = _mercator_y(north), _mercator_y(south)
    usable_w = max(width, 1) * (1 - 2 * padding)
    usable_h = max(height, 1) * (1 - 2 * padding)
    zoom_w = math.log2(usable_w * 360 / (TILE_SIZE * (east - west)))
    zoom_h = math.log2(usable_h * 2 * math.pi / (TILE_SIZE * (top - bottom)))
    middle = (top + bottom) / 2
    latitude = math.degrees(2 * math.atan(math.exp(middle)) - math.pi / 2)
    return {"center": {"lat": latitude, "lon": (west + east) / 2}, "zoom": min(zoom_w, zoom_h)}


def plot_area(figure: go.Figure) -> tuple[float, float]:
    """The map's drawn size in a figure of known width and height, less margins, key, colour bar.

    An estimate (plotly widens margins for the key and colour bar only when it draws), kept on
    the generous side so an area is never cut off.
    """
    layout = figure.layout
    font = float(layout.font.size or 14)
    margin = layout.margin
    domain = layout.map.domain.x or (0, 1)
    width = (float(layout.width or 0) - float(margin.l or 0) - float(margin.r or 0)) * (
        domain[1] - domain[0]
    )
    height = float(layout.height or 0) - float(margin.t or 0) - float(margin.b or 0)
    title = figure.to_plotly_json()["layout"].get("legend2", {}).get("title", {})
    source = title.get("text")
    if source:
        # The export's source line is a second legend at the foot; it pushes the margin up.
        size = float(title.get("font", {}).get("size") or font)
        height -= (source.count("<br>") + 1) * size * 1.35 + size
    if layout.legend.orientation == "h":
        height -= 2.6 * font
    if layout.coloraxis.colorbar.orientation == "h":
        height -= float(layout.coloraxis.colorbar.thickness or 12) + 12 + 4.5 * font
    return width, height


def fit_to_frame(figure: go.Figure) -> go.Figure:
    """Refit a map built here to the figure's own width and height (exports set both).

    In a landscape frame (slides, 16:9 images) the key and colour bar move beside the map, so
    England and Wales get the frame's full height.
    """
    meta = figure.layout.meta
    if not isinstance(meta, dict) or "fitBounds" not in meta or not figure.layout.width:
        return figure
    if figure.layout.width > 1.2 * (figure.layout.height or 0):
        figure.update_layout(
            map={"domain": {"x": [0, SIDE_MAP_SHARE], "y": [0, 1]}},
            legend={"orientation": "v", "x": SIDE_MAP_SHARE + 0.03, "y": 1, "yanchor": "top"},
            coloraxis={
                "colorbar": {
                    "orientation": "v",
                    "x": SIDE_MAP_SHARE + 0.03,
                    "xanchor": "left",
                    "y": 0,
                    "yanchor": "bottom",
                    "len": 0.6,
                    "title": {"side": "top"},
                }
            },
        )
    width, height = plot_area(figure)
    view = fitted_view(meta["fitBounds"], width, height)
    figure.update_layout(map={"center": view["center"], "zoom": view["zoom"]})
    return figure


def is_skewed(values: Sequence[float]) -> bool:
    """True when the largest figure dwarfs the rest (SKEW_RATIO times their median or more)."""
    positive = sorted(float(v) for v in values if v is not None and not math.isnan(v))
    if len(positive) < 3 or positive[0] <= 0:
        return False
    rest = positive[:-1]
    median = (
        rest[len(rest) // 2]
        if len(rest) % 2
        else (rest[len(rest) // 2 - 1] + rest[len(rest) // 2]) / 2
    )
    return median > 0 and positive[-1] / median >= SKEW_RATIO


def value_scale(
    values: Sequence[float], *, title: str = "", money: bool = False, signed: bool = False
) -> ValueScale:
    """The colour axis for these values: diverging about 0 for changes, else linear or log.

    Tick labels are written out (with £ for money) rather than left to plotly's SI suffixes;
    a log scale says so in the colour bar's title.
    """
    present = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    colorbar: dict[str, Any] = {**COLORBAR_PLACE, "title": {"text": title, "side": "top"}}
    if signed:
        reach = max((abs(v) for v in present), default=1.0) or 1.0
        ticks = _nice_steps(-reach, reach)
        colorbar |= {
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [tick_text(t, money) for t in ticks],
        }
        return ValueScale(
            False,
            {
                "colorscale": DIVERGING_SCALE,
                "cmid": 0,
                "cmin": -reach,
                "cmax": reach,
                "colorbar": colorbar,
            },
        )
    log = is_skewed(present)
    axis: dict[str, Any] = {"colorscale": COLORSCALE, "cmid": None, "cmin": None, "cmax": None}
    if not present:
        return ValueScale(False, axis | {"colorbar": colorbar})
    low, high = min(present), max(present)
    if log:
        ticks = _log_ticks(low, high)
        colorbar |= {
            "title": {"text": f"{title} (log scale: each step ×10)".strip(), "side": "top"},
            "tickmode": "array",
            "tickvals": [math.log10(t) for t in ticks],
            "ticktext": [tick_text(t, money) for t in ticks],
        }
        axis |= {"cmin": math.log10(low), "cmax": math.log10(high)}
    else:
        ticks = _nice_steps(low, high) if high > low else [low]
        colorbar |= {
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [tick_text(t, money) for t in ticks],
        }
    return ValueScale(log, axis | {"colorbar": colorbar})


def build_area_map(
    frame: pd.DataFrame,
    geojson: dict | str,
    *,
    title: str = "",
    colorbar_title: str = "",
    selected: Sequence[str] = (),
    money: bool = False,
    signed: bool = False,
    labels: Sequence[AreaLabel] = (),
) -> go.Figure:
    """Map of force areas coloured by `value`, drawn offline (no tiles, token or topojson).

    `frame` has one row per force: pfa_code, pfa_name, unit_id and unit_name (NA where no VRU
    covers the force), value (NaN = missing) and hover_text (formatted by the caller). `geojson`
    is passed to plotly unchanged: the app gives the URL `BOUNDARY_URL` (plotly.js fetches it once
    per page), exports give the loaded dict. `selected` lists unit_ids to outline. `money` puts £
    on the colour bar; `signed` gives a diverging scale centred on 0. `labels`
    (`map_labels.area_labels`) are unit names drawn by the map style, each from the zoom at
    which it fits its area; their glyphs come from the app (URL geojson) or ride inside the
    figure (dict geojson, for exports drawn where the app's URLs do not exist).

    Traces, always 4 and always in this order (indices are module constants):
      0 `TRACE_NOT_VRU`  forces with no unit: pale grey, hover "Not a VRU area";
      1 `TRACE_NO_DATA`  VRU areas with no value: white with a grey outline, "No figure: ...";
      2 `TRACE_VALUES`   VRU areas with a value: z = value (or its log10, see `value_scale`);
      3 `TRACE_SELECTED` outlines of the selected units' forces (no fill, no hover).
    There is no inset: the view is fitted to England and Wales (`fitted_view`), so the map fills
    whatever frame it is drawn in (phone, card, slide, image) and no area is cut off; small
    areas (Merseyside, the City of London) are found by zooming or in the list beside the map.
    In every trace, locations are pfa_codes in ascending order; customdata rows are
    [unit_id or "", pfa_name, hover_text]. Missing values are never given to trace 2, so they
    can never be coloured as 0. To change values with `dash.Patch`, set what
    `value_trace_updates(frame)` returns and replace layout.coloraxis.

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
    scale = value_scale(
        groups["values"]["value"].tolist(), title=colorbar_title, money=money, signed=signed
    )

    figure = go.Figure()
    figure.add_trace(
        _constant_trace(groups["not_vru"], NOT_VRU_FILL, HOVER_NOT_VRU, "Not a VRU area").update(
            legendgroup="not_vru"
        )
    )
    figure.add_trace(
        _constant_trace(
            groups["no_data"],
            NO_DATA_FILL,
            HOVER_NO_DATA,
            "VRU area, no figure (outlined)",
            line={"color": NO_DATA_LINE, "width": NO_DATA_WIDTH},
        ).update(legendgroup="no_data")
    )
    figure.add_trace(_value_trace(groups["values"], scale))
    figure.add_trace(_selected_trace(selected_rows))
    # Below the first label layer of the style, so names are drawn over the areas.
    figure.update_traces(geojson=geojson, featureidkey="properties.pfa_code", below=LABEL_LAYER)
    glyphs = GLYPHS_URL if isinstance(geojson, str) else glyphs_data_url()
    return _layout(figure, title=title, scale=scale, style=map_style(labels, glyphs))


def value_trace_updates(
    frame: pd.DataFrame, *, money: bool = False, signed: bool = False
) -> dict[int, dict[str, list[Any]]]:
    """Per trace index, the properties to set when only the values change (for `dash.Patch`).

    Why a function: which forces go in the no-data trace and which in the value trace depends on
    the values (and whether the scale is log depends on all of them), so a callback must move
    both exactly as `build_area_map` would. Pair it with `value_scale(...).coloraxis`.
    """
    groups = _groups(frame)
    scale = value_scale(groups["values"]["value"].tolist(), money=money, signed=signed)
    return {
        TRACE_NO_DATA: {
            "locations": groups["no_data"]["pfa_code"].tolist(),
            "z": [1.0] * len(groups["no_data"]),
            "customdata": _customdata(groups["no_data"]),
        },
        TRACE_VALUES: {
            "locations": groups["values"]["pfa_code"].tolist(),
            "z": scale.colour_of(groups["values"]["value"].tolist()),
            "customdata": _customdata(groups["values"]),
        },
    }


def map_scale(frame: pd.DataFrame, *, title: str, money: bool, signed: bool) -> ValueScale:
    """The colour scale `build_area_map` uses for this frame (for patching the colour axis)."""
    values = pd.to_numeric(frame.loc[frame["unit_id"].notna(), "value"], errors="coerce")
    return value_scale(values.dropna().tolist(), title=title, money=money, signed=signed)


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


def _constant_trace(
    rows: pd.DataFrame,
    colour: str,
    hover: str,
    name: str,
    line: dict[str, Any] | None = None,
) -> go.Choroplethmap:
    """One flat colour for every location; z only exists because choroplethmap needs it."""
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=[1.0] * len(rows),
        customdata=_customdata(rows),
        colorscale=[[0, colour], [1, colour]],
        zmin=0,
        zmax=1,
        showscale=False,
        marker={"line": line or {"color": BORDER, "width": 0.6}, "opacity": 1},
        hovertemplate=hover,
        name=name,
        subplot="map",
        showlegend=True,
    )


def _value_trace(rows: pd.DataFrame, scale: ValueScale) -> go.Choroplethmap:
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=scale.colour_of(rows["value"].tolist()),
        customdata=_customdata(rows),
        coloraxis="coloraxis",
        marker={"line": {"color": BORDER, "width": 0.6}, "opacity": 1},
        hovertemplate=HOVER_VALUE,
        name="Value",
        subplot="map",
        showlegend=False,
    )


def _selected_trace(rows: pd.DataFrame) -> go.Choroplethmap:
    """Outline only: a transparent fill on top, skipped by hover so the value below answers."""
    return go.Choroplethmap(
        locations=rows["pfa_code"].tolist(),
        z=[1.0] * len(rows),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        zmin=0,
        zmax=1,
        showscale=False,
        marker={"line": {"color": SELECTED_LINE, "width": SELECTED_WIDTH}},
        hoverinfo="skip",
        name="Selected unit (black outline)",
        subplot="map",
        showlegend=not rows.empty,
        legendgroup="selected",
    )


def _layout(
    figure: go.Figure, *, title: str, scale: ValueScale, style: dict[str, Any]
) -> go.Figure:
    """Map on top, colour bar and key in the room below it: never drawn over an area.

    The view is fitted to England and Wales for whatever size the figure gets (a 360 px phone
    and the page's card in the browser, a slide or image in `fit_to_frame`). The attribution is
    part of the source line under the figure (page and exports), not an annotation that could
    overlap an area or a tick.
    """
    apply_theme(figure)
    figure.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        height=MAP_HEIGHT,
        margin={"l": 4, "r": 4, "t": 60 if title else 10, "b": 10, "autoexpand": True},
        # Keeps the user's pan and zoom when a callback redraws the figure.
        uirevision="area-map",
        map={
            # A white background and the unit names (map_labels.map_style): no tiles, and no
            # glyphs from outside the app.
            "style": style,
            "domain": {"x": [0, 1], "y": [0, 1]},
            **fitted_view(ENGLAND_WALES_BOUNDS, *NOMINAL_PLOT),
        },
        # What assets/map_fit.js and `fit_to_frame` fit the view to.
        meta={"fitBounds": list(ENGLAND_WALES_BOUNDS), "fitPadding": FIT_PADDING},
        coloraxis=scale.coloraxis,
        # Above the map, outside it: plotly widens the margins to make room (autoexpand).
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0)",
        },
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return figure
