"""Horizontal bars ranked by value, with qualifier-aware labels, bound markers and hover."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.qualifier_marks import (
    bound_marker_traces,
    compact_empty,
    labels_above_bars,
    padded_text,
    themed_layout,
)
from dashboard.figures.theme import PALETTE

ROW_HEIGHT = 62
BARGAP = 0.5
BASE_HEIGHT = 150


def build_ranked_bar(
    frame: pd.DataFrame,
    *,
    label_column: str = "unit_name",
    value_column: str = "value",
    text_column: str = "value_text",
    hover_column: str = "hover_text",
    axis_title: str = "",
    highlight: tuple[str, ...] = (),
    id_column: str = "unit_id",
    group_column: str | None = None,
    group_colours: Mapping[str, str] | None = None,
    qualifier_column: str = "qualifier",
    empty_message: str = "No comparable figures for this selection",
) -> go.Figure | dict[str, Any]:
    """Bars for rows with a value, largest at the top; rows without a value are not drawn.

    The caller lists the undrawn rows (with reasons) beside the chart, so nothing is dropped
    silently. With `group_column` each group is its own coloured trace with a legend entry
    (e.g. the reach type); otherwise highlighted ids are drawn in a second colour. Figures that
    are bounds get a triangle at the bar's end pointing the way the true value may lie.
    """
    drawn = frame[frame[value_column].notna()].sort_values(value_column, kind="stable")
    if drawn.empty:
        return compact_empty(empty_message)
    labels = list(drawn[label_column])
    hover = drawn[hover_column] if hover_column in drawn else drawn[text_column]
    qualifiers = drawn.get(qualifier_column, None)
    texts = (
        padded_text(drawn[text_column], qualifiers)
        if qualifiers is not None
        else drawn[text_column]
    )
    drawn = drawn.assign(_text=list(texts), _hover=list(hover))
    traces: list[dict] = []
    if group_column:
        colours = dict(group_colours or {})
        for index, (group, part) in enumerate(drawn.groupby(group_column, sort=False)):
            traces.append(
                _bars(part, label_column, value_column, colours.get(group, PALETTE[index % 7]))
                | {"name": str(group)}
            )
        showlegend = True
    else:
        colours = [PALETTE[1] if key in highlight else PALETTE[0] for key in drawn[id_column]]
        traces.append(_bars(drawn, label_column, value_column, colours))
        showlegend = False
    if qualifiers is not None:
        markers = bound_marker_traces(
            list(drawn[value_column]), labels, list(qualifiers), hover=list(drawn["_hover"])
        )
        traces += markers
        showlegend = showlegend or bool(markers)
    top = float(drawn[value_column].max())
    # Plain dicts whose keys tests/unit/test_figure_dicts.py validates: a page sends the dict
    # as it is; exports and tests wrap it in a go.Figure (ChartResult.figure).
    return {
        "data": traces,
        "layout": themed_layout(
            xaxis={"title": {"text": axis_title}, "range": [0, top * 1.6]},
            yaxis={
                "categoryorder": "array",
                "categoryarray": labels,
                "range": [-0.5, len(labels) - 0.2],
                "showticklabels": False,
            },
            annotations=labels_above_bars(labels, labels, row_height=ROW_HEIGHT, bargap=BARGAP),
            barmode="overlay",
            bargap=BARGAP,
            height=ROW_HEIGHT * len(drawn) + BASE_HEIGHT + (50 if showlegend else 0),
            showlegend=showlegend,
            legend={
                "orientation": "h",
                "yanchor": "top",
                "y": -70 / (ROW_HEIGHT * len(drawn)),
                "x": 0,
                "traceorder": "normal",
            },
            margin={"l": 10, "r": 10, "t": 10, "b": 60},
        ),
    }


def _bars(part: pd.DataFrame, label_column: str, value_column: str, colour: object) -> dict:
    return {
        "type": "bar",
        # A numeric column goes as plotly makes it of a Series: a numpy array (a typed array).
        "x": part[value_column].to_numpy(),
        "y": part[label_column].tolist(),
        "orientation": "h",
        "marker": {"color": colour, "line": {"color": "#212529", "width": 0.5}},
        "text": part["_text"].tolist(),
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": part["_hover"].tolist(),
        "hoverinfo": "text",
    }
