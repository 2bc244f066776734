"""Funding by unit and financial year: one bar per unit, year and measure, bounds marked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.qualifier_marks import bound_marker_traces, compact_empty, padded_text
from dashboard.figures.theme import PALETTE, TEXT, base_layout

ROW_HEIGHT = 28
HEADER_FILL = "#f1f3f5"


def build_funding_bars(
    frame: pd.DataFrame,
    *,
    group_column: str = "group",
    row_column: str = "row_label",
    value_column: str = "value",
    text_column: str = "value_text",
    hover_column: str = "hover_text",
    qualifier_column: str = "qualifier",
    colour_column: str = "metric_label",
    colours: Mapping[str, str] | None = None,
    axis_title: str = "£",
    empty_message: str = "No annual funding figures for this selection",
) -> go.Figure | dict[str, Any]:
    """Horizontal bars grouped under a heading row per unit, in the frame's order from the top.

    Each (group, row) pair must be unique, so bars never overlap; colour says which funding
    measure a bar is, with a legend entry per measure. Bounds get a triangle at the bar's end.
    A heading row (a shaded band with the unit's name) starts each group, which keeps the
    labels short enough for a phone screen; when every group has one bar, the bar is labelled
    with the group's name instead.
    """
    drawn = frame[frame[value_column].notna()]
    if drawn.empty:
        return compact_empty(empty_message)
    keys = [f"{g}|{r}" for g, r in zip(drawn[group_column], drawn[row_column], strict=True)]
    drawn = drawn.assign(_key=keys, _text=padded_text(drawn[text_column], drawn[qualifier_column]))
    categories: list[str] = []
    labels: list[str] = []
    headers: list[str] = []
    single_rows = bool(drawn.groupby(group_column, sort=False).size().eq(1).all())
    for group, part in drawn.groupby(group_column, sort=False):
        if single_rows:
            # One bar per unit (e.g. one chosen year): the unit's name is the whole label.
            categories += list(part["_key"])
            labels.append(str(group))
            continue
        header = f"{group}|"
        categories.append(header)
        labels.append(f"<b>{group}</b>")
        headers.append(header)
        categories += list(part["_key"])
        labels += list(part[row_column])
    palette = dict(colours or {})
    traces: list[dict] = []
    for index, (measure, part) in enumerate(drawn.groupby(colour_column, sort=False)):
        traces.append(
            {
                "type": "bar",
                # A numeric column goes as plotly makes it of a Series: a numpy array.
                "x": part[value_column].to_numpy(),
                "y": part["_key"].tolist(),
                "orientation": "h",
                "name": str(measure),
                "marker": {
                    "color": palette.get(measure, PALETTE[index % len(PALETTE)]),
                    "line": {"color": TEXT, "width": 0.5},
                },
                "text": part["_text"].tolist(),
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": part[hover_column].tolist(),
                "hoverinfo": "text",
            }
        )
    traces += bound_marker_traces(
        list(drawn[value_column]),
        list(drawn["_key"]),
        list(drawn[qualifier_column]),
        hover=list(drawn[hover_column]),
    )
    theme = base_layout()
    top = float(drawn[value_column].max())
    layout = {
        **theme,
        "barmode": "overlay",
        "bargap": 0.25,
        "xaxis": {
            **theme["xaxis"],
            "title": {"text": axis_title},
            "range": [0, top * 1.55],
            "tickprefix": "£",
        },
        "yaxis": {
            **theme["yaxis"],
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "tickmode": "array",
            "tickvals": categories,
            "ticktext": labels,
            "range": [len(categories) - 0.5, -0.5],  # top-down, no padding rows
            "tickfont": {"size": 12},
            "showgrid": False,
        },
        "height": max(300, ROW_HEIGHT * len(categories) + 230),
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -60 / (ROW_HEIGHT * len(categories)),
            "x": 0,
        },
        "margin": {"l": 10, "r": 20, "t": 20, "b": 60},
    }
    shapes = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": categories.index(header) - 0.5,
            "y1": categories.index(header) + 0.5,
            "fillcolor": HEADER_FILL,
            "line": {"width": 0},
            "layer": "below",
        }
        for header in headers
    ]
    if shapes:  # as plotly leaves an empty list out
        layout["shapes"] = shapes
    # Built in one go as plain dicts, wrapped without plotly's validation: the same JSON
    # (tests/unit/test_figure_dicts.py) in a fraction of the time.
    return go.Figure({"data": traces, "layout": layout}, _validate=False)
