"""Marks that show, beyond words, that a figure is a bound ('over', 'up to') or approximate."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd

from dashboard.figures.theme import PALETTE, TEXT, base_layout, empty_layout

LOWER = frozenset({"over", "at_least"})
UPPER = frozenset({"nearly", "under", "up_to"})

# Horizontal charts point the triangle along the value axis: right = "could be more".
BOUND_SYMBOLS_H = {"lower": "triangle-right", "upper": "triangle-left"}
BOUND_SYMBOLS_V = {"lower": "triangle-up", "upper": "triangle-down"}
BOUND_NAMES = {
    "lower": "'Over' or 'at least': may be higher",
    "upper": "'Up to' or 'nearly': may be lower",
}
BOUND_COLOUR = PALETTE[6]
NBSP = "\u00a0"


def bound_kind(qualifier: object) -> str | None:
    """'lower', 'upper' or None for a qualifier (ratios use 'at_least' / 'up_to' too)."""
    if qualifier in LOWER:
        return "lower"
    if qualifier in UPPER:
        return "upper"
    return None


def is_inexact(qualifier: object) -> bool:
    """True for anything but an exact figure: bounds and approximations get an open marker."""
    return isinstance(qualifier, str) and qualifier != "exact"


def bound_marker_traces(
    values: Sequence[float],
    positions: Sequence[object],
    qualifiers: Sequence[object],
    *,
    orientation: str = "h",
    hover: Sequence[str] | None = None,
    shown_kinds: set[str] | None = None,
) -> list[dict]:
    """One scatter trace (a plain dict, for figures built in one go) per kind of bound present,
    drawn at the figure's value.

    `shown_kinds` collects the kinds already in the legend (for figures with several panels),
    so each kind gets one legend entry however many panels use it.
    """
    shown = shown_kinds if shown_kinds is not None else set()
    symbols = BOUND_SYMBOLS_H if orientation == "h" else BOUND_SYMBOLS_V
    traces = []
    kinds = [bound_kind(q) for q in qualifiers]
    for kind in ("lower", "upper"):
        picked = [i for i, k in enumerate(kinds) if k == kind]
        if not picked:
            continue
        xs = [values[i] for i in picked]
        ys = [positions[i] for i in picked]
        if orientation != "h":
            xs, ys = ys, xs
        trace = {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "markers",
            "marker": {
                "symbol": symbols[kind],
                "size": 13,
                "color": BOUND_COLOUR,
                "line": {"color": "#ffffff", "width": 1},
            },
            "name": BOUND_NAMES[kind],
            "legendgroup": f"bound-{kind}",
            "showlegend": kind not in shown,
            "hoverinfo": "text" if hover is not None else "skip",
            "cliponaxis": False,
        }
        if hover is not None:
            trace["hovertext"] = [hover[i] for i in picked]
        traces.append(trace)
        shown.add(kind)
    return traces


def padded_text(
    texts: pd.Series, qualifiers: pd.Series, values: pd.Series | None = None
) -> list[str]:
    """Bar labels pushed clear of a bound marker drawn at the bar's end (either side of zero)."""
    signs = [1.0] * len(texts) if values is None else [float(v) for v in values]
    labels = []
    for text, qualifier, sign in zip(texts, qualifiers, signs, strict=True):
        pad = NBSP * (4 if bound_kind(qualifier) else 1)
        labels.append(f"{text}{pad}" if sign < 0 else f"{pad}{text}")
    return labels


def labels_above_bars(
    categories: Sequence[str],
    labels: Sequence[str],
    *,
    row_height: float,
    bargap: float,
    width: int = 48,
) -> list[dict]:
    """Annotations that write each bar's label on its own line just above the bar.

    Long labels on the y axis leave a 360 px screen almost no room for the bars; above the bar
    the label can use the full width. Row height and bar gap give the bar's half-thickness in
    pixels, which is how far up the label is lifted. The caller hides the y tick labels.
    """
    lift = row_height * (1 - bargap) / 2 + 1
    return [
        {
            "x": 0,
            "xref": "paper",
            "y": category,
            "yref": "y",
            "yshift": lift,
            "xanchor": "left",
            "yanchor": "bottom",
            "align": "left",
            "text": "<br>".join(textwrap.wrap(str(label), width)) or str(label),
            "showarrow": False,
            "font": {"size": 12, "color": TEXT},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
        for category, label in zip(categories, labels, strict=True)
    ]


def themed_layout(**layout: object) -> dict:
    """The house layout with this chart's settings on top (axes merged, not replaced).

    Figures are then built in one go: each update_layout on a finished figure re-validates
    the whole layout, which is slow for charts with many labels or shapes.
    """
    theme = base_layout()
    merged = {**theme, **layout}
    for axis in ("xaxis", "yaxis"):
        if axis in layout:
            merged[axis] = {**theme[axis], **layout[axis]}  # type: ignore[dict-item]
    return merged


EMPTY_HEIGHT = 220


def compact_empty(message: str) -> dict:
    """The house 'nothing to draw' figure, wrapped for a phone and only as tall as it needs
    (a plain dict, as `empty_plot` is and for the same reason)."""
    layout = empty_layout("<br>".join(textwrap.wrap(message, 34)) or message)
    layout.update(height=EMPTY_HEIGHT, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return {"data": [], "layout": layout}
