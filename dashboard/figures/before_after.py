"""Dumbbells: a figure's earlier ('before') and later ('after') value joined by a short bar."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.qualifier_marks import compact_empty, labels_above_bars, themed_layout
from dashboard.figures.theme import NEUTRAL, PALETTE, TEXT

BEFORE_COLOUR = PALETTE[6]
AFTER_COLOUR = PALETTE[0]
ROW_HEIGHT = 90


def build_before_after(
    frame: pd.DataFrame,
    *,
    label_column: str = "label",
    before_column: str = "baseline_value",
    after_column: str = "value",
    before_text_column: str = "before_text",
    after_text_column: str = "value_text",
    hover_column: str = "hover_text",
    axis_title: str = "",
    before_name: str = "Before (earlier period)",
    after_name: str = "After (later period)",
    empty_message: str = "No before-and-after figures for this selection",
) -> go.Figure | dict[str, Any]:
    """One row per figure with both values: an open circle before, a filled circle after.

    The connecting bar belongs to one figure of one measure (the source's own 'from X to Y'),
    so it joins nothing the source did not state. Rows lacking either value are not drawn.
    """
    drawn = frame[frame[before_column].notna() & frame[after_column].notna()]
    if drawn.empty:
        return compact_empty(empty_message)
    order = list(drawn[label_column])
    figure = go.Figure()
    for _, row in drawn.iterrows():
        figure.add_trace(
            go.Scatter(
                x=[row[before_column], row[after_column]],
                y=[row[label_column]] * 2,
                mode="lines",
                line={"color": NEUTRAL, "width": 8},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    # Each number sits on the outer side of its marker, so the two never overlap.
    fell = list(drawn[before_column] >= drawn[after_column])
    outer = {
        before_column: ["middle right" if f else "middle left" for f in fell],
        after_column: ["middle left" if f else "middle right" for f in fell],
    }
    for name, column, text_column, colour, symbol in (
        (before_name, before_column, before_text_column, BEFORE_COLOUR, "circle-open"),
        (after_name, after_column, after_text_column, AFTER_COLOUR, "circle"),
    ):
        figure.add_trace(
            go.Scatter(
                x=drawn[column],
                y=drawn[label_column],
                mode="markers+text",
                name=name,
                marker={"color": colour, "size": 15, "symbol": symbol, "line": {"width": 2.5}},
                text=[f"\u00a0{t}\u00a0" for t in drawn[text_column]],
                textposition=outer[column],
                textfont={"color": TEXT},
                hovertext=drawn[hover_column],
                hoverinfo="text",
                cliponaxis=False,
            )
        )
    values = pd.concat([drawn[before_column], drawn[after_column]]).astype(float)
    low, high = float(values.min()), float(values.max())
    pad = max((high - low) * 0.6, high * 0.25, 1.0)
    figure.update_layout(
        themed_layout(
            annotations=labels_above_bars(order, order, row_height=ROW_HEIGHT, bargap=0.45),
            xaxis={"title": {"text": axis_title}, "range": [max(0.0, low - pad), high + pad]},
            yaxis={
                "categoryorder": "array",
                "categoryarray": order[::-1],
                "range": [-0.6, len(order) - 0.25],
                "showticklabels": False,
            },
            height=ROW_HEIGHT * len(drawn) + 170,
            legend={
                "orientation": "h",
                "yanchor": "top",
                "y": -80 / (ROW_HEIGHT * len(drawn)),
                "x": 0,
            },
            margin={"l": 10, "r": 10, "t": 10, "b": 60},
        )
    )
    return figure
