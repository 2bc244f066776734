"""One unit's figures as dots (with 'from X to Y' changes joined by a line) and its locator map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.area_map import (
    TRACE_NO_DATA,
    TRACE_NOT_VRU,
    TRACE_SELECTED,
    TRACE_VALUES,
    build_area_map,
)
from dashboard.figures.dot_compare import stacked_panels
from dashboard.figures.theme import NEUTRAL, PALETTE, TEXT, empty_figure

REQUIRED_COLUMNS = ("panel", "label", "value", "baseline_value", "display_text", "hover_text")
DOT_COLOUR = PALETTE[0]
BASELINE_COLOUR = "#6c757d"
ROW_HEIGHT = 38  # two lines of label: the measure, then its period
HIGHLIGHT_FILL = PALETTE[1]
OTHER_VRU_FILL = "#b8bec4"
AREA_MAP_KEY = (
    "filled orange with a black outline; other VRU areas are mid grey and force areas without a "
    "VRU pale grey"
)


def _unique_labels(labels: pd.Series) -> list[str]:
    """Row labels made unique, because a categorical axis would merge two equal labels."""
    seen: dict[str, int] = {}
    result = []
    for label in labels.astype(str):
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} [{seen[label]}]")
    return result


def build_figure_panels(frame: pd.DataFrame) -> go.Figure:
    """A dot per figure, one panel per `panel` value (one unit of measure), in the given order.

    Where `baseline_value` is given (a 'from X to Y' figure), a hollow grey dot marks X and a line
    runs to the filled dot at Y, so the change reads left to right as the source states it.
    Rows without a value (chart-only figures) are not drawn; the caller lists them in the table.
    Each panel has its own axis, so money never shares a scale with people or percentages.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"figure panel frame lacks columns: {', '.join(missing)}")
    rows = frame.loc[frame["value"].notna()].copy()
    if rows.empty:
        return empty_figure("No figures with a number to draw for this selection")
    rows["row"] = _unique_labels(rows["label"])
    has_changes = bool(rows["baseline_value"].notna().any())
    panels = list(dict.fromkeys(rows["panel"]))
    figure = stacked_panels(
        [int((rows["panel"] == panel).sum()) for panel in panels],
        [f"<b>{panel}</b>" for panel in panels],
        row_height=ROW_HEIGHT,
        legend=has_changes,
    )
    baseline_in_legend = False
    for number, panel in enumerate(panels, start=1):
        part = rows[rows["panel"] == panel]
        changes = part[part["baseline_value"].notna()]
        if not changes.empty:
            xs: list[float | None] = []
            ys: list[str | None] = []
            for baseline, value, label in zip(
                changes["baseline_value"], changes["value"], changes["row"], strict=True
            ):
                xs += [float(baseline), float(value), None]
                ys += [label, label, None]
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": BASELINE_COLOUR, "width": 2},
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=number,
                col=1,
            )
            baseline_in_legend, first_baseline = True, not baseline_in_legend
            figure.add_trace(
                go.Scatter(
                    x=changes["baseline_value"].astype(float).tolist(),
                    y=changes["row"].tolist(),
                    mode="markers",
                    marker={
                        "color": "#ffffff",
                        "size": 10,
                        "line": {"color": BASELINE_COLOUR, "width": 2},
                    },
                    hovertext=[f"Earlier figure: {h}" for h in changes["hover_text"]],
                    hoverinfo="text",
                    name="Earlier figure (from)",
                    legendgroup="baseline",
                    showlegend=first_baseline,
                ),
                row=number,
                col=1,
            )
        figure.add_trace(
            go.Scatter(
                x=part["value"].astype(float).tolist(),
                y=part["row"].tolist(),
                mode="markers",
                marker={"color": DOT_COLOUR, "size": 11},
                hovertext=part["hover_text"].tolist(),
                hoverinfo="text",
                name="Figure (for a change: the later figure)",
                legendgroup="figure",
                showlegend=has_changes and number == 1,
                cliponaxis=False,
            ),
            row=number,
            col=1,
        )
        # The words sit right of both dots of a change, so they never cover its line.
        figure.add_trace(
            go.Scatter(
                x=part[["value", "baseline_value"]].astype(float).max(axis=1).tolist(),
                y=part["row"].tolist(),
                mode="markers+text",
                # An invisible marker as wide as the dot pushes the words clear of it.
                marker={"size": 14, "opacity": 0},
                text=part["display_text"].tolist(),
                textposition="middle right",
                textfont={"size": 12, "color": TEXT},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            ),
            row=number,
            col=1,
        )
        values = [*part["value"].astype(float), *changes["baseline_value"].astype(float)]
        low, high = min(0.0, min(values)), max(0.0, max(values))
        span = (high - low) or abs(high) or 1.0
        figure.update_xaxes(
            range=[low - span * 0.05, high + span * 0.45],
            zeroline=True,
            zerolinecolor=NEUTRAL,
            row=number,
            col=1,
        )
        figure.update_yaxes(
            categoryorder="array",
            categoryarray=list(reversed(part["row"].tolist())),
            row=number,
            col=1,
        )
    return figure


def build_unit_area_map(
    frame: pd.DataFrame, geojson: dict | str, *, unit_id: str, unit_name: str
) -> go.Figure:
    """A small locator map: the unit's force area(s) filled and outlined, other VRU areas grey.

    Built with the shared area map (so it matches the map view) and then relabelled: here the
    value only marks which forces are the unit's, so the colour bar and legend are hidden (the
    caller describes the colours in words, see `AREA_MAP_KEY`) and 'no data' becomes 'other VRU
    areas'. `frame` comes from `transforms.unit_area_frame`.
    """
    figure = build_area_map(frame, geojson, selected=(unit_id,))
    if not figure.data:
        return figure
    other = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
    figure.data[TRACE_NO_DATA].update(
        name="Other VRU areas",
        colorscale=[[0, OTHER_VRU_FILL], [1, OTHER_VRU_FILL]],
        marker_line={"color": "#ffffff", "width": 0.6},
        hovertemplate=other,
    )
    figure.data[TRACE_VALUES].update(name=unit_name, hovertemplate=other, showlegend=True)
    figure.data[TRACE_NOT_VRU].update(name="Force areas without a VRU")
    figure.data[TRACE_SELECTED].update(showlegend=False)
    figure.update_layout(
        coloraxis={"colorscale": [[0, HIGHLIGHT_FILL], [1, HIGHLIGHT_FILL]], "showscale": False},
        height=420,
        uirevision=f"unit-area-{unit_id}",
    )
    # The shared view fits itself to the areas. A legend would take room from England here, so
    # the page says what the colours mean instead.
    figure.update_layout(showlegend=False)
    return figure
