"""Small multiples cut into pages of whole rows, so an export never squeezes 20 panels into 16:9.

A screen can scroll through a tall stack of panels; a slide or a 1280 x 720 image cannot. Rather
than shrinking every panel (and its type) until labels collide, a presentation shows a few rows
of panels at their natural size: an image shows the first page and names the panels left out,
a deck gives each page its own slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import plotly.graph_objects as go

PANEL_GAP = 0.25  # share of the plot height between two rows: room for the x ticks and a title
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class PanelPage:
    """One page of panels: the figure and the names of the panels it shows."""

    figure: go.Figure
    panels: tuple[str, ...]


def _axis_key(ref: str, letter: str) -> str:
    """'y3' -> 'yaxis3', 'y' -> 'yaxis' (a trace's axis reference to its layout key)."""
    return f"{letter}axis{ref[1:]}"


def _rows(layout: dict) -> list[tuple[float, float]]:
    """The distinct vertical domains of the y axes, top row first."""
    domains = {
        tuple(round(v, 6) for v in axis["domain"])
        for key, axis in layout.items()
        if key.startswith("yaxis") and isinstance(axis, dict) and axis.get("domain")
    }
    return sorted(domains, key=lambda domain: -domain[1])


def panel_rows(figure: go.Figure) -> int:
    """How many rows of panels a figure has (1 for a figure without subplots)."""
    return max(1, len(_rows(figure.layout.to_plotly_json())))


def _in_row(value: float, row: tuple[float, float], slack: float) -> bool:
    return row[0] - slack <= value <= row[1] + slack


def panel_pages(figure: go.Figure, rows_per_page: int) -> list[PanelPage]:
    """The figure cut into pages of at most `rows_per_page` rows of panels, in reading order.

    Each page keeps its rows' traces, axes and panel titles, spread over the whole plot
    height; legend entries that only a left-out panel declared are declared again. A figure
    with no more rows than `rows_per_page` comes back whole, as one page.
    """
    spec = figure.to_dict()
    layout = spec.get("layout", {})
    rows = _rows(layout)
    if len(rows) <= rows_per_page:
        return [PanelPage(figure, ())]
    gap = min((a[1] - b[1]) - (a[1] - a[0]) for a, b in pairwise(rows))
    slack = max(gap, 0.0) * 0.9
    pages = []
    for start in range(0, len(rows), rows_per_page):
        chosen = rows[start : start + rows_per_page]
        pages.append(_page(spec, chosen, rows, slack))
    return pages


def _page(
    spec: dict, chosen: list[tuple[float, float]], rows: list[tuple[float, float]], slack: float
) -> PanelPage:
    layout = dict(spec.get("layout", {}))
    count = len(chosen)
    height = (1 - PANEL_GAP * (count - 1)) / count
    new_domain = {
        row: (1 - index * (height + PANEL_GAP) - height, 1 - index * (height + PANEL_GAP))
        for index, row in enumerate(chosen)
    }
    kept_y: set[str] = set()
    kept_x: set[str] = set()
    for key in [k for k in layout if k.startswith("yaxis")]:
        axis = layout[key]
        domain = tuple(round(v, 6) for v in axis.get("domain", (0, 1)))
        if domain in new_domain:
            # A page's panels are short: three ticks keep their labels apart.
            domain_now = [max(0.0, v) for v in new_domain[domain]]
            layout[key] = {**axis, "domain": domain_now, "nticks": 4}
            kept_y.add(key)
            anchor = axis.get("anchor")
            if anchor and anchor != "free":
                kept_x.add(_axis_key(anchor, "x"))
        else:
            del layout[key]
    # Small multiples share one x axis per column, drawn under the column's lowest panel: a
    # page keeps the x axes its traces use and hangs each under its lowest kept panel.
    lowest: dict[str, str] = {}
    for trace in spec.get("data", []):
        y_key = _axis_key(trace.get("yaxis", "y"), "y")
        if y_key not in kept_y:
            continue
        x_key = _axis_key(trace.get("xaxis", "x"), "x")
        kept_x.add(x_key)
        bottom = layout[y_key]["domain"][0]
        if x_key not in lowest or bottom < layout[_axis_key(lowest[x_key], "y")]["domain"][0]:
            lowest[x_key] = trace.get("yaxis", "y")
    for key in [k for k in layout if k.startswith("xaxis")]:
        if key not in kept_x:
            del layout[key]
        elif _axis_key(str(layout[key].get("anchor", "y")), "y") not in kept_y and key in lowest:
            layout[key] = {**layout[key], "anchor": lowest[key]}

    def moved(y: float) -> float | None:
        """A paper position in a kept row, carried to the row's new place (None if dropped)."""
        for row in rows:
            if _in_row(y, row, slack):
                if row not in new_domain:
                    return None
                low, high = new_domain[row]
                share = (y - row[0]) / (row[1] - row[0]) if row[1] > row[0] else 0
                return low + share * (high - low)
        return y

    names: list[str] = []
    annotations = []
    for note in layout.get("annotations", []):
        yref = str(note.get("yref", "paper"))
        if yref.startswith("y") and not yref.startswith("y domain"):
            if _axis_key(yref.split(" ")[0], "y") not in kept_y:
                continue
            annotations.append(note)
            continue
        y = note.get("y")
        if isinstance(y, int | float):
            new_y = moved(float(y))
            if new_y is None:
                continue
            note = {**note, "y": new_y}
            if note.get("xref", "paper") == "paper" and note.get("text"):
                # The heading's first line: a second one is a note under it.
                names.append(TAG.sub("", str(note["text"]).split("<br>")[0]).strip())
        annotations.append(note)
    layout["annotations"] = annotations
    layout["shapes"] = [
        shape
        for shape in layout.get("shapes", [])
        if not str(shape.get("yref", "")).startswith("y")
        or _axis_key(str(shape["yref"]).split(" ")[0], "y") in kept_y
    ]
    traces = [t for t in spec.get("data", []) if _axis_key(t.get("yaxis", "y"), "y") in kept_y]
    _declare_legend_entries(traces)
    page = go.Figure({"data": traces, "layout": layout})
    return PanelPage(page, tuple(names))


def _declare_legend_entries(traces: list[dict[str, Any]]) -> None:
    """A legend group shown only by a dropped trace is shown by its first kept trace."""
    shown = {
        trace.get("legendgroup") or trace.get("name")
        for trace in traces
        if trace.get("showlegend") is not False
    }
    for trace in traces:
        group = trace.get("legendgroup")
        if group and group not in shown and trace.get("showlegend") is False:
            trace["showlegend"] = True
            shown.add(group)
