"""Dot plots, one panel per measure and period, with one unit highlighted against the others."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import PALETTE, TEXT, apply_theme, empty_figure

REQUIRED_COLUMNS = (
    "group_key",
    "group_label",
    "row_label",
    "is_focus",
    "is_drawn",
    "value",
    "value_text",
    "hover_text",
)
FOCUS_COLOUR = PALETTE[1]
OTHER_COLOUR = PALETTE[0]
NATIONAL_COLOUR = PALETTE[6]
ROW_HEIGHT = 24
PANEL_GAP = 90  # pixels between panels: the axis numbers and the next panel's heading
TOP_MARGIN = 90  # the legend and the first panel's heading
TOP_MARGIN_NO_LEGEND = 45
BOTTOM_MARGIN = 40
# A panel with a national line lifts its heading by this much (px), so the line's label has a
# line of its own between heading and plot; it stays clear when an export enlarges the type.
NATIONAL_LABEL_ROOM = 26
# A dot beyond this share of its panel's range has its figure written on its left.
LEFT_OF_DOT = 0.75
COMPARE_GAP = PANEL_GAP + 22  # the comparison's panels also fit that label
COMPARE_TOP = TOP_MARGIN + 22


def stacked_panels(
    row_counts: list[int],
    titles: list[str],
    *,
    row_height: int,
    legend: bool = True,
    panel_gap: int = PANEL_GAP,
    top_margin: int = TOP_MARGIN,
) -> go.Figure:
    """Empty subplots stacked one per panel, each as tall as its rows, with fixed gaps.

    Why by hand: make_subplots takes fractions of the whole height, so the pixel sizes are
    worked out here to keep rows equally tall whatever the number of panels.
    """
    plot_px = [max(count, 1) * row_height for count in row_counts]
    gaps = panel_gap * (len(plot_px) - 1)
    paper = sum(plot_px) + gaps
    figure = make_subplots(
        rows=len(plot_px),
        cols=1,
        row_heights=[px / sum(plot_px) for px in plot_px],
        vertical_spacing=panel_gap / paper if len(plot_px) > 1 else 0,
        subplot_titles=titles,
    )
    apply_theme(figure)
    for annotation in figure.layout.annotations[: len(titles)]:
        annotation.update(x=0, xanchor="left", font={"size": 14, "color": TEXT}, align="left")
    top = top_margin if legend else TOP_MARGIN_NO_LEGEND
    figure.update_layout(
        height=paper + top + BOTTOM_MARGIN,
        showlegend=legend,
        margin={"l": 20, "r": 20, "t": top, "b": BOTTOM_MARGIN},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
        },
    )
    return figure


def _panel_title(label: str, listed: pd.DataFrame) -> str:
    """The panel heading, naming any national total that is listed instead of drawn."""
    if listed.empty:
        return f"<b>{label}</b>"
    totals = "; ".join(
        f"{text} ({row.removeprefix('National: ')})"
        for row, text in zip(listed["row_label"], listed["value_text"], strict=True)
    )
    return (
        f"<b>{label}</b><br><span style='font-size:12px'>National total, not drawn as it covers "
        f"every area: {totals}</span>"
    )


def _row_texts(dots: pd.DataFrame) -> list[str]:
    """Label only the largest dot of a row, with all its figures, so that texts never overlap."""
    texts = [""] * len(dots)
    position = {index: number for number, index in enumerate(dots.index)}
    for _, row in dots.groupby("row_label", sort=False):
        top = row["value"].idxmax()
        texts[position[top]] = "; ".join(dict.fromkeys(row["value_text"]))
    return texts


def build_dot_compare(frame: pd.DataFrame, *, focus_name: str = "Focus unit") -> go.Figure:
    """One panel per `group_key` (a measure over one period), one row per unit, one dot per figure.

    The focus unit's dots are larger diamonds in the second palette colour, the others circles in
    the first. Rows with `is_drawn` False (national totals) are named in the panel heading, not
    drawn; a drawn national row becomes a dashed vertical line. Each panel has its own axis, so
    money is never set on the same scale as a count. Within a panel the rows are sorted by value,
    largest at the top; a unit with two figures (two sources) has two dots on its row, labelled
    together. Empty input gives a 'no data' figure.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"dot compare frame lacks columns: {', '.join(missing)}")
    rows = frame.loc[frame["value"].notna()].copy()
    if rows.empty:
        return empty_figure("No figures to compare for this selection")
    rows["is_national_line"] = rows["is_drawn"] & rows["row_label"].str.startswith("National")
    panels = []
    for key in dict.fromkeys(rows["group_key"]):
        part = rows[rows["group_key"] == key]
        dots = part[part["is_drawn"] & ~part["is_national_line"]]
        order = (
            dots.groupby("row_label", sort=False)["value"].max().sort_values(ascending=True).index
        )
        panels.append(
            {
                "label": part["group_label"].iloc[0],
                "dots": dots.assign(label_text=_row_texts(dots)),
                "lines": part[part["is_national_line"]],
                "listed": part[~part["is_drawn"]],
                "order": list(order),
            }
        )
    figure = stacked_panels(
        [len(p["order"]) for p in panels],
        [_panel_title(p["label"], p["listed"]) for p in panels],
        row_height=ROW_HEIGHT,
        panel_gap=COMPARE_GAP,
        top_margin=COMPARE_TOP,
    )
    shown_legend: set[str] = set()
    headings = list(figure.layout.annotations[: len(panels)])
    for heading, panel in zip(headings, panels, strict=True):
        if not panel["lines"].empty:
            heading.yshift = NATIONAL_LABEL_ROOM
    for number, panel in enumerate(panels, start=1):
        dots = panel["dots"]
        values = [*dots["value"], *panel["lines"]["value"]]
        low, high = min(0.0, min(values)), max(0.0, max(values))
        span = (high - low) or abs(high) or 1.0
        for is_focus, name, colour, symbol, size in (
            (False, "Other units", OTHER_COLOUR, "circle", 10),
            (True, focus_name, FOCUS_COLOUR, "diamond", 15),
        ):
            part = dots[dots["is_focus"] == is_focus]
            if part.empty:
                continue
            figure.add_trace(
                go.Scatter(
                    x=part["value"].tolist(),
                    y=part["row_label"].tolist(),
                    mode="markers+text",
                    text=part["label_text"].tolist(),
                    # A figure near the right end is written to the left of its dot: the
                    # picture's width is not known here, so text to the right could be cut.
                    textposition=[
                        "middle left" if v > low + LEFT_OF_DOT * span else "middle right"
                        for v in part["value"]
                    ],
                    textfont={"size": 12, "color": TEXT},
                    marker={
                        "color": colour,
                        "symbol": symbol,
                        "size": size,
                        "line": {"color": "#ffffff", "width": 1},
                    },
                    hovertext=part["hover_text"].tolist(),
                    hoverinfo="text",
                    name=name,
                    legendgroup=name,
                    showlegend=name not in shown_legend,
                    cliponaxis=False,
                ),
                row=number,
                col=1,
            )
            shown_legend.add(name)
        for _, line in panel["lines"].iterrows():
            figure.add_vline(
                x=float(line["value"]),
                line={"color": NATIONAL_COLOUR, "dash": "dash", "width": 1.5},
                annotation_text=f"{line['row_label']}: {line['value_text']}",
                annotation_position="top",
                annotation_font={"size": 12, "color": TEXT},
                row=number,
                col=1,
            )
        figure.update_xaxes(range=[low - span * 0.02, high + span * 0.4], row=number, col=1)
        ticks: dict[str, Any] = {}
        if "row_short" in dots.columns:
            # Rows stay keyed by their full label (hover, tests, exports' kept rows); the tick
            # shows the short one.
            short = dict(zip(dots["row_label"], dots["row_short"], strict=True))
            order = list(panel["order"])
            ticks = {"tickvals": order, "ticktext": [short.get(r, r) for r in order]}
        figure.update_yaxes(
            categoryorder="array", categoryarray=panel["order"], row=number, col=1, **ticks
        )
    # An export that shows only the top rows still shows the unit the chart is about.
    focus_rows = list(dict.fromkeys(rows.loc[rows["is_focus"].astype(bool), "row_label"]))
    figure.update_layout(hovermode="closest", meta={"keep_rows": focus_rows})
    return figure
