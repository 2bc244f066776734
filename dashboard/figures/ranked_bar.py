"""Horizontal bars ranked by value, with qualifier-aware labels and hover."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import PALETTE, apply_theme, empty_figure


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
) -> go.Figure:
    """Bars for rows with a value, largest at the top; rows without a value are not drawn.

    The caller lists the undrawn rows (with reasons) beside the chart, so nothing is dropped
    silently. Highlighted ids are drawn in a second colour.
    """
    drawn = frame[frame[value_column].notna()].sort_values(value_column)
    if drawn.empty:
        return empty_figure("No comparable figures for this selection")
    colours = [PALETTE[1] if key in highlight else PALETTE[0] for key in drawn[id_column]]
    figure = go.Figure(
        go.Bar(
            x=drawn[value_column],
            y=drawn[label_column],
            orientation="h",
            marker={"color": colours},
            text=drawn[text_column],
            textposition="auto",
            hovertext=drawn[hover_column] if hover_column in drawn else drawn[text_column],
            hoverinfo="text",
        )
    )
    apply_theme(figure)
    figure.update_layout(
        xaxis_title=axis_title,
        height=max(300, 40 * len(drawn) + 120),
        showlegend=False,
    )
    return figure
