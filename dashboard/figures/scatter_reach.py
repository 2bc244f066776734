"""Funding against people reached on log scales, with lines of equal cost per person."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.qualifier_marks import bound_kind, compact_empty
from dashboard.figures.theme import PALETTE, TEXT, base_layout

# Marker shape by how sure the ratio is: a triangle points the way the true cost may lie.
RATIO_SYMBOLS = {"lower": "triangle-up", "upper": "triangle-down", None: "circle"}
RATIO_SYMBOL_NAMES = {
    "lower": "£ per person: 'at least'",
    "upper": "£ per person: 'up to'",
}
COST_LINES: Sequence[float] = (10, 100, 1_000, 10_000)
COST_LINE_COLOUR = "#9aa0a6"


def build_reach_scatter(
    frame: pd.DataFrame,
    *,
    x_column: str = "reach_value",
    y_column: str = "funding_value",
    label_column: str = "point_label",
    hover_column: str = "hover_text",
    group_column: str = "group",
    qualifier_column: str = "qualifier",
    colours: Mapping[str, str] | None = None,
    x_title: str = "People reached (log scale)",
    y_title: str = "Funding (log scale)",
    empty_message: str = "No unit has funding and reach for the same period",
) -> go.Figure | dict[str, Any]:
    """One marker per funding/reach pair; colour by group (e.g. reach type), shape by bound.

    Both axes are logarithmic because units reach from dozens to tens of thousands of people;
    dotted diagonals mark £10, £100, £1,000 and £10,000 per person so the ratio can be read.
    """
    drawn = frame[frame[x_column].notna() & frame[y_column].notna() & (frame[x_column] > 0)]
    if drawn.empty:
        return compact_empty(empty_message)
    palette = dict(colours or {})
    traces: list[dict] = []
    xs = drawn[x_column].astype(float)
    ys = drawn[y_column].astype(float)
    x_range = [math.log10(xs.min()) - 0.5, math.log10(xs.max()) + 0.5]
    y_range = [math.log10(ys.min()) - 0.5, math.log10(ys.max()) + 0.5]
    lines, labels = _cost_lines(x_range, y_range)
    traces += lines
    positions = label_positions(list(xs), list(ys), x_range)
    drawn = drawn.assign(_position=positions)
    for index, (group, part) in enumerate(drawn.groupby(group_column, sort=False)):
        colour = palette.get(group, PALETTE[index % len(PALETTE)])
        kinds = [bound_kind(q) for q in part[qualifier_column]]
        # The legend shows a plain circle for the group; the points' shapes show the bounds.
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": str(group),
                "legendgroup": str(group),
                "marker": {"color": colour, "size": 12, "symbol": "circle"},
                "hoverinfo": "skip",
            }
        )
        traces.append(
            {
                "type": "scatter",
                # numpy arrays, as plotly makes of a column (sent as typed arrays).
                "x": part[x_column].to_numpy(),
                "y": part[y_column].to_numpy(),
                "mode": "markers+text",
                "name": str(group),
                "legendgroup": str(group),
                "showlegend": False,
                "marker": {
                    "color": colour,
                    "size": 16,
                    "symbol": [RATIO_SYMBOLS[k] for k in kinds],
                    "line": {"color": "#ffffff", "width": 1.5},
                },
                "text": part[label_column].tolist(),
                "textposition": list(part["_position"]),
                "textfont": {"color": TEXT, "size": 12},
                "hovertext": part[hover_column].tolist(),
                "hoverinfo": "text",
                "cliponaxis": False,
            }
        )
    for kind in sorted({bound_kind(q) for q in drawn[qualifier_column]} - {None}):
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": RATIO_SYMBOL_NAMES[kind],
                "marker": {"symbol": RATIO_SYMBOLS[kind], "size": 12, "color": TEXT},
                "hoverinfo": "skip",
            }
        )
    theme = base_layout()
    layout = {
        **theme,
        "xaxis": {
            **theme["xaxis"],
            "type": "log",
            "title": {"text": x_title},
            "range": x_range,
            **_ticks(x_range),
        },
        "yaxis": {
            **theme["yaxis"],
            "type": "log",
            "title": {"text": y_title},
            "range": y_range,
            **_ticks(y_range, money=True),
        },
        "annotations": labels,
        "height": 600,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.24, "x": 0},
        "margin": {"l": 10, "r": 30, "t": 20, "b": 60},
        "hovermode": "closest",
    }
    # Plain dicts whose keys tests/unit/test_figure_dicts.py validates: a page sends the dict
    # as it is; exports and tests wrap it in a go.Figure (ChartResult.figure).
    return {"data": traces, "layout": layout}


def _cost_lines(x_range: list[float], y_range: list[float]) -> tuple[list[dict], list[dict]]:
    """Diagonals of constant funding per person (y = cost * x), with a short label at the end.

    The labels are kept short ('£1k') so they fit where lines leave the plot on a phone; one
    legend entry says what the dotted lines are.
    """
    low, high = 10 ** x_range[0], 10 ** x_range[1]
    lines: list[dict] = []
    labels: list[dict] = []
    for cost in COST_LINES:
        # Clip each line to the visible box so its label lands inside the plot.
        x0 = max(low, 10 ** y_range[0] / cost)
        x1 = min(high, 10 ** y_range[1] / cost)
        if x0 >= x1:
            continue
        lines.append(
            {
                "type": "scatter",
                "x": [x0, x1],
                "y": [x0 * cost, x1 * cost],
                "mode": "lines",
                "line": {"color": COST_LINE_COLOUR, "dash": "dot", "width": 1.5},
                "name": "Equal £ per person",
                "legendgroup": "cost-lines",
                "showlegend": not lines,
                "hoverinfo": "skip",
            }
        )
        labels.append(
            {
                "x": math.log10(x1),
                "y": math.log10(x1 * cost),
                "text": f"£{cost / 1000:,.0f}k" if cost >= 1000 else f"£{cost:,.0f}",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "top",
                "font": {"size": 11, "color": "#495057"},
            }
        )
    return lines, labels


def _ticks(log_range: list[float], *, money: bool = False) -> dict[str, object]:
    """Ticks at whole powers of ten only, written out ('10,000', '£1m'): no minor-tick clutter."""
    powers = range(math.ceil(log_range[0]), math.floor(log_range[1]) + 1)
    values = [10**p for p in powers]
    if money:
        texts = [f"£{v / 1_000_000:,.0f}m" if v >= 1_000_000 else f"£{v:,.0f}" for v in values]
    else:
        texts = [f"{v:,.0f}" for v in values]
    return {
        "tickmode": "array",
        "tickvals": values,
        "ticktext": texts,
        "minor": {"showgrid": False},
    }


def label_positions(
    xs: Sequence[float], ys: Sequence[float], x_range: Sequence[float]
) -> list[str]:
    """Where each point's name goes: to the right, or to the left near the right edge, and
    above or below when another point sits close by, so names do not print over each other."""
    logs = [(math.log10(x), math.log10(y)) for x, y in zip(xs, ys, strict=True)]
    right_edge = x_range[0] + 0.7 * (x_range[1] - x_range[0])
    positions = []
    for index, (lx, ly) in enumerate(logs):
        near = [
            j
            for j, (ox, oy) in enumerate(logs)
            if j != index and abs(ox - lx) < 0.35 and abs(oy - ly) < 0.12
        ]
        side = "left" if lx > right_edge else "right"
        if not near:
            positions.append(f"middle {side}")
        else:
            # Within a cluster, alternate below and above by order of position along x.
            rank = sorted([index, *near], key=lambda j: (logs[j][0], j)).index(index)
            positions.append("bottom center" if rank % 2 == 0 else "top center")
    return positions
