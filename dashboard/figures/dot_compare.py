"""Dot plots, one panel per measure and period, with one unit highlighted against the others."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.theme import PALETTE, TEXT, TEXT_HALO, base_layout, empty_plot

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
TITLE_COLUMNS = ("row_label", "value_text")  # of the national totals named in a heading


def stacked_layout(
    row_counts: list[int],
    titles: list[str],
    *,
    row_height: int,
    legend: bool = True,
    panel_gap: int = PANEL_GAP,
    top_margin: int = TOP_MARGIN,
) -> dict[str, Any]:
    """The layout of subplots stacked one per panel, each as tall as its rows, with fixed gaps.

    Why by hand: plotly's make_subplots takes fractions of the whole height, so the pixel sizes
    are worked out here to keep rows equally tall whatever the number of panels. Why a plain
    dict: make_subplots and the update_* calls validated every key again and were most of a
    chart's first answer; this gives the same layout (the same arithmetic as make_subplots, so
    the same domains to the last digit), and the builders wrap it in a figure once.
    Panel n (from 1, top first) uses axes `x<n>` and `y<n>` ('x' and 'y' for the first); the
    panel headings are the layout's first annotations, in the order of `titles`.
    """
    plot_px = [max(count, 1) * row_height for count in row_counts]
    gaps = panel_gap * (len(plot_px) - 1)
    paper = sum(plot_px) + gaps
    rows = len(plot_px)
    fractions = [px / sum(plot_px) for px in plot_px]
    spacing = panel_gap / paper if rows > 1 else 0
    whole = float(sum(fractions))
    heights = [(1.0 - spacing * (rows - 1)) * (share / whole) for share in fractions][::-1]
    layout = base_layout()
    annotations = []
    for row in range(rows):
        # Counted from the bottom, as make_subplots does, so the floats come out the same.
        from_bottom = rows - 1 - row
        start = sum(heights[:from_bottom]) + from_bottom * spacing
        bottom, top = start + 0.0, start + heights[-1 - row] - 0.0
        bottom = 0.0 if -0.01 < bottom < 0.0 else 1.0 if 1.0 < bottom < 1.01 else bottom
        top = 0.0 if -0.01 < top < 0.0 else 1.0 if 1.0 < top < 1.01 else top
        suffix = "" if row == 0 else str(row + 1)
        layout[f"xaxis{suffix}"] = {
            **layout.get(f"xaxis{suffix}", {}),
            "anchor": f"y{suffix}",
            "domain": [0.0, 1.0],
        }
        layout[f"yaxis{suffix}"] = {
            **layout.get(f"yaxis{suffix}", {}),
            "anchor": f"x{suffix}",
            "domain": [bottom, top],
        }
        if row < len(titles) and titles[row]:
            annotations.append(
                {
                    "y": top,
                    "xref": "paper",
                    "x": 0,
                    "yref": "paper",
                    "text": titles[row],
                    "showarrow": False,
                    "font": {"size": 14, "color": TEXT},
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "align": "left",
                }
            )
    top_px = top_margin if legend else TOP_MARGIN_NO_LEGEND
    layout.update(
        annotations=annotations,
        height=paper + top_px + BOTTOM_MARGIN,
        showlegend=legend,
        margin={"l": 20, "r": 20, "t": top_px, "b": BOTTOM_MARGIN},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
        },
    )
    return layout


def axis_names(number: int) -> tuple[str, str]:
    """Panel `number` (from 1)'s x and y axis references: ('x', 'y'), ('x2', 'y2')..."""
    suffix = "" if number == 1 else str(number)
    return f"x{suffix}", f"y{suffix}"


def figure_of(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """The figure of traces and a layout built as plain dicts, left a dict: the page sends it
    as it is and exports wrap it (`ChartResult.figure`). Neither plotly's validation nor even
    an unvalidated go.Figure (it copies the layout and template in and out) is needed for the
    same JSON (tests/unit/test_figure_dicts.py compares the two on every unit)."""
    return {"data": data, "layout": layout}


def _panel_title(label: str, rows: list[str], texts: list[str]) -> str:
    """The panel heading, naming any national total that is listed instead of drawn."""
    if not rows:
        return f"<b>{label}</b>"
    totals = "; ".join(
        f"{text} ({row.removeprefix('National: ')})" for row, text in zip(rows, texts, strict=True)
    )
    return (
        f"<b>{label}</b><br><span style='font-size:12px'>National total, not drawn as it covers "
        f"every area: {totals}</span>"
    )


def _row_texts(rows: list[str], values: list[float], texts: list[str]) -> list[str]:
    """Label only the largest dot of a row, with all its figures, so that texts never overlap."""
    members: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        members.setdefault(row, []).append(position)
    labels = [""] * len(rows)
    for positions in members.values():
        # The first of equal largest values, as pandas' idxmax picks it.
        top = max(positions, key=lambda position: (values[position], -position))
        labels[top] = "; ".join(dict.fromkeys(texts[position] for position in positions))
    return labels


def _row_order(rows: list[str], values: list[float]) -> list[str]:
    """The panel's rows, smallest largest value first (the top of the panel is the end)."""
    largest: dict[str, float] = {}
    for row, value in zip(rows, values, strict=True):
        largest[row] = max(largest.get(row, value), value)
    names = list(largest)
    # numpy's default sort, as pandas' sort_values uses it, so that ties keep the same order.
    ranked = np.asarray(list(largest.values()), dtype=float).argsort(kind="quicksort")
    return [names[index] for index in ranked]


def build_dot_compare(frame: pd.DataFrame, *, focus_name: str = "Focus unit") -> dict[str, Any]:
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
    rows = frame.loc[frame["value"].notna()]
    if rows.empty:
        return empty_plot("No figures to compare for this selection")
    is_line = (rows["is_drawn"] & rows["row_label"].str.startswith("National")).tolist()
    columns = {
        name: rows[name].tolist()
        for name in (*REQUIRED_COLUMNS, *(("row_short",) if "row_short" in rows else ()))
    }
    # Each panel's positions in the frame, in the frame's order (grouped once, not filtered
    # per panel).
    members: dict[Any, list[int]] = {}
    for position, key in enumerate(columns["group_key"]):
        members.setdefault(key, []).append(position)

    def pick(positions: list[int], column: str) -> list[Any]:
        values = columns[column]
        return [values[position] for position in positions]

    panels = []
    for positions in members.values():
        dots = [p for p in positions if columns["is_drawn"][p] and not is_line[p]]
        lines = [p for p in positions if is_line[p]]
        listed = [p for p in positions if not columns["is_drawn"][p]]
        labels, values = pick(dots, "row_label"), pick(dots, "value")
        panels.append(
            {
                "label": columns["group_label"][positions[0]],
                "dots": dots,
                "texts": _row_texts(labels, values, pick(dots, "value_text")),
                "lines": lines,
                "listed": listed,
                "order": _row_order(labels, values),
            }
        )
    layout = stacked_layout(
        [len(p["order"]) for p in panels],
        [
            _panel_title(
                p["label"], pick(p["listed"], "row_label"), pick(p["listed"], "value_text")
            )
            for p in panels
        ],
        row_height=ROW_HEIGHT,
        panel_gap=COMPARE_GAP,
        top_margin=COMPARE_TOP,
    )
    headings = layout["annotations"][: len(panels)]
    for heading, panel in zip(headings, panels, strict=True):
        if panel["lines"]:
            heading["yshift"] = NATIONAL_LABEL_ROOM
    data: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    shown_legend: set[str] = set()
    for number, panel in enumerate(panels, start=1):
        x_ref, y_ref = axis_names(number)
        dots = panel["dots"]
        texts = dict(zip(dots, panel["texts"], strict=True))
        values = [*pick(dots, "value"), *pick(panel["lines"], "value")]
        low, high = min(0.0, min(values)), max(0.0, max(values))
        span = (high - low) or abs(high) or 1.0
        drawn = False
        for is_focus, name, colour, symbol, size in (
            (False, "Other units", OTHER_COLOUR, "circle", 10),
            (True, focus_name, FOCUS_COLOUR, "diamond", 15),
        ):
            part = [p for p in dots if columns["is_focus"][p] == is_focus]
            if not part:
                continue
            xs = pick(part, "value")
            data.append(
                {
                    "cliponaxis": False,
                    "hoverinfo": "text",
                    "hovertext": pick(part, "hover_text"),
                    "legendgroup": name,
                    "marker": {
                        "color": colour,
                        "line": {"color": "#ffffff", "width": 1},
                        "size": size,
                        "symbol": symbol,
                    },
                    "mode": "markers+text",
                    "name": name,
                    "showlegend": name not in shown_legend,
                    "text": [texts[p] for p in part],
                    "textfont": {"color": TEXT, "size": 12, "shadow": TEXT_HALO},
                    # A figure near the right end is written to the left of its dot: the
                    # picture's width is not known here, so text to the right could be cut.
                    "textposition": [
                        "middle left" if v > low + LEFT_OF_DOT * span else "middle right"
                        for v in xs
                    ],
                    "x": xs,
                    "y": pick(part, "row_label"),
                    "type": "scatter",
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                }
            )
            shown_legend.add(name)
            drawn = True
        # As plotly's add_vline does, a national line is drawn only in a panel with dots.
        for position in panel["lines"] if drawn else ():
            value = float(columns["value"][position])
            text = f"{columns['row_label'][position]}: {columns['value_text'][position]}"
            shapes.append(
                {
                    # Under the dots and their figures (which have a halo): a figure beside a
                    # dot near the national value stays readable across the line.
                    "layer": "below",
                    "line": {"color": NATIONAL_COLOUR, "dash": "dash", "width": 1.5},
                    "type": "line",
                    "x0": value,
                    "x1": value,
                    "xref": x_ref,
                    "y0": 0,
                    "y1": 1,
                    "yref": f"{y_ref} domain",
                }
            )
            layout["annotations"].append(
                {
                    "font": {"color": TEXT, "size": 12},
                    "showarrow": False,
                    "text": text,
                    "x": value,
                    "xanchor": "center",
                    "xref": x_ref,
                    "y": 1,
                    "yanchor": "bottom",
                    "yref": f"{y_ref} domain",
                }
            )
        x_key, y_key = f"xaxis{x_ref[1:]}", f"yaxis{y_ref[1:]}"
        layout[x_key]["range"] = [low - span * 0.02, high + span * 0.4]
        order = list(panel["order"])
        y_axis = layout[y_key]
        y_axis.update(categoryorder="array", categoryarray=order)
        if "row_short" in columns:
            # Rows stay keyed by their full label (hover, tests, exports' kept rows); the tick
            # shows the short one.
            short = dict(zip(pick(dots, "row_label"), pick(dots, "row_short"), strict=True))
            y_axis.update(tickvals=order, ticktext=[short.get(r, r) for r in order])
    if shapes:
        layout["shapes"] = shapes
    # An export that shows only the top rows still shows the unit the chart is about.
    focus_rows = list(dict.fromkeys(rows.loc[rows["is_focus"].astype(bool), "row_label"]))
    layout.update(hovermode="closest", meta={"keep_rows": focus_rows})
    return figure_of(data, layout)
