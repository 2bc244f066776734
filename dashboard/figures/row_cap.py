"""The top rows of a one-panel category chart, so a presentation never squeezes rows together.

A ranking of 60 bars or a profile of 10 two-line rows fits a scrolling page, but squeezed into
a 16:9 frame its labels sit on each other. An export keeps the rows at the top of the chart
(in reading order) at a readable pitch and says how many are left out; the data download has
them all. Only whole rows are dropped: every figure that is shown keeps its words, qualifier
and value exactly.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

TRACE_ARRAYS = ("x", "y", "text", "hovertext", "customdata", "ids")
MARKER_ARRAYS = ("color", "size", "symbol", "opacity")


def category_rows(figure: go.Figure) -> tuple[list[str], int] | None:
    """The y categories of a one-panel figure, top row first, and the most lines in a label.

    None when the figure is not one panel of categories in a known order.
    """
    layout = figure.layout
    axes = [key for key in layout.to_plotly_json() if key.startswith("yaxis")]
    if len(axes) != 1 or len(figure.data) == 0:
        return None
    axis = layout[axes[0]]
    order = list(axis.categoryarray or ())
    if not order:
        return None
    texts = list(axis.ticktext or order) if axis.showticklabels is not False else []
    lines = max((str(text).count("<br>") + 1 for text in texts), default=1)
    notes = [note for note in layout.annotations if str(note.yref).startswith("y")]
    lines = max([lines, *(str(note.text).count("<br>") + 2 for note in notes if note.text)])
    top_first = bool(axis.range) and axis.range[0] > axis.range[1]
    return (order if top_first else order[::-1]), lines


def _keep(values: list[Any], kept: set[str]) -> list[int]:
    """Indices of points on kept rows; a gap (None) stays after a kept point (line breaks)."""
    chosen = []
    for index, value in enumerate(values):
        if value in kept or (value is None and index and values[index - 1] in kept):
            chosen.append(index)
    return chosen


def _filtered_trace(trace: dict, kept: set[str]) -> dict | None:
    ys = trace.get("y")
    if not isinstance(ys, list | tuple):
        return trace
    ys = list(ys)
    chosen = _keep(ys, kept)
    if not chosen and ys:
        return None
    trace = dict(trace)
    for key in TRACE_ARRAYS:
        values = trace.get(key)
        if isinstance(values, list | tuple) and len(values) == len(ys):
            trace[key] = [values[i] for i in chosen]
    marker = trace.get("marker")
    if isinstance(marker, dict):
        marker = dict(marker)
        for key in MARKER_ARRAYS:
            values = marker.get(key)
            if isinstance(values, list | tuple) and len(values) == len(ys):
                marker[key] = [values[i] for i in chosen]
        trace["marker"] = marker
    return trace


def top_rows(figure: go.Figure, rows: int) -> tuple[go.Figure, int]:
    """The figure with only its top `rows` category rows, and how many rows were left out."""
    found = category_rows(figure)
    if found is None or len(found[0]) <= rows:
        return figure, 0
    order, _ = found
    shown = order[:rows]
    kept = set(shown)
    spec = figure.to_dict()
    layout = dict(spec.get("layout", {}))
    key = next(k for k in layout if k.startswith("yaxis"))
    axis = dict(layout[key])
    full = list(axis["categoryarray"])
    top_first = bool(axis.get("range")) and axis["range"][0] > axis["range"][1]
    new_order = [c for c in full if c in kept]
    offset = 0 if top_first else len(full) - len(new_order)
    axis["categoryarray"] = new_order
    if axis.get("tickvals") is not None:
        pairs = zip(axis["tickvals"], axis.get("ticktext") or axis["tickvals"], strict=True)
        pairs = [(v, t) for v, t in pairs if v in kept]
        axis["tickvals"] = [v for v, _ in pairs]
        axis["ticktext"] = [t for _, t in pairs]
    removed = len(full) - len(new_order)
    if axis.get("range"):
        low, high = axis["range"]
        # The padding beyond the first and last row stays; the left-out rows' span goes.
        axis["range"] = [low - removed, high] if top_first else [low, high - removed]
    layout[key] = axis
    yref = "y" + key.removeprefix("yaxis")
    layout["annotations"] = [
        note
        for note in layout.get("annotations", [])
        if note.get("yref") != yref or note.get("y") in kept
    ]
    shapes = []
    for shape in layout.get("shapes", []):
        if shape.get("yref") == yref and isinstance(shape.get("y0"), int | float):
            middle = (shape["y0"] + shape["y1"]) / 2 - offset
            if not -0.5 <= middle <= len(new_order) - 0.5:
                continue
            shape = {**shape, "y0": shape["y0"] - offset, "y1": shape["y1"] - offset}
        shapes.append(shape)
    layout["shapes"] = shapes
    traces = [t for t in (_filtered_trace(t, kept) for t in spec.get("data", [])) if t]
    return go.Figure({"data": traces, "layout": layout}), removed
