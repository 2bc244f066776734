"""One unit's figures as dots (with 'from X to Y' changes joined by a line) and its locator map."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.area_map import (
    TRACE_NO_DATA,
    TRACE_NOT_VRU,
    TRACE_SELECTED,
    TRACE_VALUES,
    build_area_map,
)
from dashboard.figures.dot_compare import axis_names, figure_of, stacked_layout
from dashboard.figures.theme import NEUTRAL, PALETTE, TEXT, empty_plot

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


def build_figure_panels(frame: pd.DataFrame) -> dict[str, Any]:
    """A dot per figure, one panel per `panel` value (one unit of measure), in the given order.

    Where `baseline_value` is given (a 'from X to Y' figure), a hollow grey dot marks X and a line
    runs to the filled dot at Y, so the change reads left to right as the source states it.
    Rows without a value (chart-only figures) are not drawn; the caller lists them in the table.
    Each panel has its own axis, so money never shares a scale with people or percentages.
    Built as plain dicts and wrapped once (see `dot_compare.stacked_layout`).
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"figure panel frame lacks columns: {', '.join(missing)}")
    rows = frame.loc[frame["value"].notna()]
    if rows.empty:
        return empty_plot("No figures with a number to draw for this selection")
    labels = _unique_labels(rows["label"])
    values = rows["value"].astype(float).tolist()
    baselines = rows["baseline_value"].astype(float).tolist()
    hovers = rows["hover_text"].tolist()
    texts = rows["display_text"].tolist()
    has_baseline = rows["baseline_value"].notna().tolist()
    has_changes = any(has_baseline)
    members: dict[object, list[int]] = {}
    for position, panel in enumerate(rows["panel"].tolist()):
        members.setdefault(panel, []).append(position)
    layout = stacked_layout(
        [len(positions) for positions in members.values()],
        [f"<b>{panel}</b>" for panel in members],
        row_height=ROW_HEIGHT,
        legend=has_changes,
    )
    data: list[dict] = []
    baseline_in_legend = False
    for number, positions in enumerate(members.values(), start=1):
        x_ref, y_ref = axis_names(number)
        axes = {"type": "scatter", "xaxis": x_ref, "yaxis": y_ref}
        changes = [p for p in positions if has_baseline[p]]
        if changes:
            xs: list[float | None] = []
            ys: list[str | None] = []
            for p in changes:
                xs += [baselines[p], values[p], None]
                ys += [labels[p], labels[p], None]
            data.append(
                {
                    "hoverinfo": "skip",
                    "line": {"color": BASELINE_COLOUR, "width": 2},
                    "mode": "lines",
                    "showlegend": False,
                    "x": xs,
                    "y": ys,
                    **axes,
                }
            )
            baseline_in_legend, first_baseline = True, not baseline_in_legend
            data.append(
                {
                    "hoverinfo": "text",
                    "hovertext": [f"Earlier figure: {hovers[p]}" for p in changes],
                    "legendgroup": "baseline",
                    "marker": {
                        "color": "#ffffff",
                        "line": {"color": BASELINE_COLOUR, "width": 2},
                        "size": 10,
                    },
                    "mode": "markers",
                    "name": "Earlier figure (from)",
                    "showlegend": first_baseline,
                    "x": [baselines[p] for p in changes],
                    "y": [labels[p] for p in changes],
                    **axes,
                }
            )
        rows_here = [labels[p] for p in positions]
        data.append(
            {
                "cliponaxis": False,
                "hoverinfo": "text",
                "hovertext": [hovers[p] for p in positions],
                "legendgroup": "figure",
                "marker": {"color": DOT_COLOUR, "size": 11},
                "mode": "markers",
                "name": "Figure (for a change: the later figure)",
                "showlegend": has_changes and number == 1,
                "x": [values[p] for p in positions],
                "y": rows_here,
                **axes,
            }
        )
        # The words sit right of both dots of a change, so they never cover its line.
        data.append(
            {
                "cliponaxis": False,
                "hoverinfo": "skip",
                # An invisible marker as wide as the dot pushes the words clear of it.
                "marker": {"opacity": 0, "size": 14},
                "mode": "markers+text",
                "showlegend": False,
                "text": [texts[p] for p in positions],
                "textfont": {"color": TEXT, "size": 12},
                "textposition": "middle right",
                "x": [
                    max(values[p], baselines[p]) if has_baseline[p] else values[p]
                    for p in positions
                ],
                "y": rows_here,
                **axes,
            }
        )
        drawn = [*(values[p] for p in positions), *(baselines[p] for p in changes)]
        low, high = min(0.0, min(drawn)), max(0.0, max(drawn))
        span = (high - low) or abs(high) or 1.0
        layout[f"xaxis{x_ref[1:]}"].update(
            range=[low - span * 0.05, high + span * 0.45], zeroline=True, zerolinecolor=NEUTRAL
        )
        layout[f"yaxis{y_ref[1:]}"].update(
            categoryorder="array", categoryarray=list(reversed(rows_here))
        )
    return figure_of(data, layout)


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
