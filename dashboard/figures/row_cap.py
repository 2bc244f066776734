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


def note_lines(figure: go.Figure) -> int:
    """Lines of the notes pinned in a panel's plot (a national figure over its dashed line):
    drawn once above the rows, not once per row."""
    notes = [note for note in figure.layout.annotations if str(note.yref).startswith("y")]
    return sum(str(note.text).count("<br>") + 1 for note in notes if note.text)


def label_lines(figure: go.Figure) -> int:
    """The most lines in one row's label of a one-panel figure (1 when it has none)."""
    axes = [key for key in figure.layout.to_plotly_json() if key.startswith("yaxis")]
    if len(axes) != 1:
        return 1
    axis = figure.layout[axes[0]]
    if axis.showticklabels is False:
        return 1
    texts = list(axis.ticktext or axis.categoryarray or ())
    return max((str(text).count("<br>") + 1 for text in texts), default=1)


def _keep(values: list[Any], kept: set[str]) -> list[int]:
    """Indices of points on kept rows; a gap (None) stays after a kept point (line breaks)."""
    chosen = []
    for index, value in enumerate(values):
        if value in kept or (value is None and index and values[index - 1] in kept):
            chosen.append(index)
    return chosen


def _as_list(values: Any) -> list | None:
    """A trace's array attribute as a list (plotly keeps pandas columns as numpy arrays)."""
    if isinstance(values, str | dict | bytes) or not hasattr(values, "__len__"):
        return None
    return list(values)


def _filtered_trace(trace: dict, kept: set[str]) -> dict | None:
    ys = _as_list(trace.get("y"))
    if ys is None:
        return trace
    chosen = _keep(ys, kept)
    if not chosen and ys:
        return None
    trace = dict(trace)
    for key in TRACE_ARRAYS:
        values = _as_list(trace.get(key))
        if values is not None and len(values) == len(ys):
            trace[key] = [values[i] for i in chosen]
    marker = trace.get("marker")
    if isinstance(marker, dict):
        marker = dict(marker)
        for key in MARKER_ARRAYS:
            values = _as_list(marker.get(key))
            if values is not None and len(values) == len(ys):
                marker[key] = [values[i] for i in chosen]
        trace["marker"] = marker
    return trace


def top_rows(figure: go.Figure, rows: int) -> tuple[go.Figure, int]:
    """The figure with only `rows` category rows, and how many rows were left out.

    The rows kept are the top ones, and always the rows a builder names in the layout's
    `meta["keep_rows"]` (the chosen unit of a comparison), which replace the lowest top rows.
    """
    found = category_rows(figure)
    if found is None or len(found[0]) <= rows:
        return figure, 0
    order, _ = found
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    must = [row for row in order if row in set(meta.get("keep_rows", ()))][:rows]
    others = [row for row in order if row not in must][: rows - len(must)]
    kept = set(must) | set(others)
    spec = figure.to_dict()
    layout = dict(spec.get("layout", {}))
    key = next(k for k in layout if k.startswith("yaxis"))
    axis = dict(layout[key])
    full = list(axis["categoryarray"])
    top_first = bool(axis.get("range")) and axis["range"][0] > axis["range"][1]
    new_order = [c for c in full if c in kept]
    offset = 0 if top_first else len(full) - len(new_order)
    axis["categoryarray"] = new_order
    # Every kept row is labelled (a page of panels asks for only a few ticks).
    axis.pop("nticks", None)
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
    # From the trace objects: `to_dict` packs numeric arrays into base64 blocks.
    plain = [trace.to_plotly_json() for trace in figure.data]
    traces = [t for t in (_filtered_trace(t, kept) for t in plain) if t]
    return go.Figure({"data": traces, "layout": layout}), removed


def labels_on_rows(figure: go.Figure) -> go.Figure:
    """Labels written above bars (see `labels_above_bars`) pinned to their row, not to pixels.

    On the screen a label is lifted above its bar by a fixed number of pixels, the bar's
    half-thickness there; in a frame whose rows are thinner that lift puts it on the bar
    above. Placed at the bar's top edge in axis units instead, it sits in the gap over its
    own bar at any row height.
    """
    found = category_rows(figure)
    if found is None:
        return figure
    axis = figure.layout.yaxis
    categories = list(axis.categoryarray or ())
    up = -1 if axis.range and axis.range[0] > axis.range[1] else 1
    half_bar = (1 - (figure.layout.bargap if figure.layout.bargap is not None else 0.2)) / 2
    notes = []
    for note in figure.layout.annotations:
        if note.yref == "y" and note.yanchor == "bottom" and note.y in categories and note.yshift:
            note = go.layout.Annotation(note, y=categories.index(note.y) + up * half_bar, yshift=1)
        notes.append(note)
    moved = go.Figure(figure)
    moved.layout.annotations = notes
    return moved
