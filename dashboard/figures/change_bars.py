"""Diverging bars of signed percentage changes: falls to the left, rises to the right."""

from __future__ import annotations

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
from dashboard.figures.theme import PALETTE, TEXT

FALL_COLOUR = PALETTE[0]
RISE_COLOUR = PALETTE[1]
FADED_OPACITY = 0.35
ROW_HEIGHT = 66
BARGAP = 0.55


def build_change_bars(
    frame: pd.DataFrame,
    *,
    label_column: str = "label",
    value_column: str = "value",
    text_column: str = "value_text",
    hover_column: str = "hover_text",
    qualifier_column: str = "qualifier",
    faded_column: str | None = None,
    axis_title: str = "Change (%)",
    fall_name: str = "Fall",
    rise_name: str = "Rise",
    empty_message: str = "No reported changes for this selection",
) -> go.Figure | dict[str, Any]:
    """One bar per row, in the frame's order from the top; colour says fall or rise.

    Rows flagged in `faded_column` (e.g. outside the chosen year) are drawn pale, not hidden,
    so the reader still sees every figure the sources give. Bounds get a triangle marker.
    """
    drawn = frame[frame[value_column].notna()]
    if drawn.empty:
        return compact_empty(empty_message)
    order = list(drawn[label_column])
    faded = drawn[faded_column].astype(bool) if faded_column else pd.Series(False, drawn.index)
    drawn = drawn.assign(
        _text=padded_text(drawn[text_column], drawn[qualifier_column], drawn[value_column]),
        _opacity=[FADED_OPACITY if f else 1.0 for f in faded],
    )
    figure = go.Figure()
    for name, colour, part in (
        (fall_name, FALL_COLOUR, drawn[drawn[value_column] < 0]),
        (rise_name, RISE_COLOUR, drawn[drawn[value_column] >= 0]),
    ):
        if part.empty:
            continue
        figure.add_trace(
            go.Bar(
                x=part[value_column],
                y=part[label_column],
                orientation="h",
                name=name,
                marker={
                    "color": colour,
                    "opacity": list(part["_opacity"]),
                    "line": {"color": TEXT, "width": 0.5},
                },
                text=part["_text"],
                textposition="outside",
                cliponaxis=False,
                hovertext=part[hover_column],
                hoverinfo="text",
            )
        )
    figure.add_traces(
        bound_marker_traces(
            list(drawn[value_column]),
            order,
            list(drawn[qualifier_column]),
            hover=list(drawn[hover_column]),
        )
    )
    low = min(0.0, float(drawn[value_column].min()))
    high = max(0.0, float(drawn[value_column].max()))
    span = max(high - low, 1.0)
    # Room beyond each bar's end for its outside label, even on a 360 px screen.
    pad = span * 0.75
    figure.update_layout(
        themed_layout(
            annotations=labels_above_bars(order, order, row_height=ROW_HEIGHT, bargap=BARGAP),
            barmode="overlay",
            bargap=BARGAP,
            xaxis={
                "title": {"text": axis_title},
                "range": [
                    low - pad if low < 0 else -span * 0.05,
                    high + pad if high > 0 else span * 0.05,
                ],
                "zeroline": True,
                "zerolinecolor": TEXT,
                "zerolinewidth": 1.5,
                "ticksuffix": "%",
            },
            yaxis={
                "categoryorder": "array",
                "categoryarray": order[::-1],
                "range": [-0.5, len(order) - 0.2],
                "showticklabels": False,
            },
            height=ROW_HEIGHT * len(drawn) + 170,
            legend={
                "orientation": "h",
                "yanchor": "top",
                "y": -70 / (ROW_HEIGHT * len(drawn)),
                "x": 0,
            },
            margin={"l": 10, "r": 10, "t": 10, "b": 60},
        )
    )
    return figure
