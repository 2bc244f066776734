"""A tall chart cut into slides: every panel of small multiples on some slide, or the top rows
of a long one-panel chart with the rest named on the slide face.

Why: a slide is projected, not scrolled. Squeezing twenty panels or eighty bars into one 16:9
picture made 4 px labels; the first rows alone hid the other units. Per kind of chart:

- small multiples in a grid (one panel per area, shared axes): pages of whole rows of panels,
  each page a slide, every panel on one of them; the subtitle already says whether the areas
  share their axes, and the slide says which panels it shows ("panels 9-16 of 20");
- a stack of one-column panels (one measure each, e.g. the comparison): one slide per panel;
- one panel with more category rows than a slide holds: the rows in the chart's own order up
  to what fits, and the rest named on the slide ("Not drawn here: ..."). No ranking is made
  here: the order is the builder's (a comparison's, within one measure and period, by value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.charts.base import ChartResult
from dashboard.export.formats import NATURAL_MARGINS
from dashboard.figures.panels import panel_pages, panel_rows
from dashboard.figures.row_cap import (
    category_rows,
    label_lines,
    labels_on_rows,
    note_lines,
    top_rows,
)

SLIDE_PANEL_ROW_PX = 150  # layout px of one row of small multiples on a slide
LINE_PITCH = 1.4  # a label line's height, in units of the slide's type
ROW_GAP = 0.8  # room between two rows' labels, in units of the slide's type
LEGEND_LINES = 2.5  # a legend under the plot, in lines of the slide's type
REST_CHARS = 230  # at most this much of the list of rows not drawn (about two lines)
PANEL_REST_CHARS = 480  # on a panel's own slide, in the column beside it (about nine lines)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SlidePage:
    """One slide's worth of a chart: its figure, what the slide says it shows, what it leaves out.

    `part` is '' for a chart that fits one slide, else e.g. 'panels 1-8 of 20' or
    'rows 1-9 of 79'; `rest` names the rows left out ('' when none).
    """

    figure: go.Figure
    part: str = ""
    rest: str = ""
    number: int = 1
    count: int = 1


def _plain(label: object) -> str:
    return " ".join(TAG.sub(" ", str(label).replace("<br>", " ")).split())


def _is_grid(figure: go.Figure) -> bool:
    """Panels side by side (more than one x domain), as in small multiples of areas."""
    layout = figure.layout.to_plotly_json()
    domains = {
        tuple(round(v, 4) for v in axis.get("domain", (0, 1)))
        for key, axis in layout.items()
        if key.startswith("xaxis") and isinstance(axis, dict)
    }
    return len(domains) > 1


def is_stack(figure: go.Figure) -> bool:
    """A stack of one-column panels (one measure each, e.g. the comparison)."""
    return panel_rows(figure) > 1 and not _is_grid(figure)


def rows_per_slide(plot_px: float, font_px: float, lines: int = 1, gap: float = ROW_GAP) -> int:
    """Category rows of `lines`-line labels that a slide picture `plot_px` high holds, with
    `gap` line heights between two rows' labels."""
    return max(2, int(plot_px // (font_px * (lines * LINE_PITCH + gap))))


def panel_rows_per_slide(plot_px: float) -> int:
    """Rows of small multiples a slide picture `plot_px` high holds at their natural size."""
    return max(1, int(plot_px // SLIDE_PANEL_ROW_PX))


def _rest_text(left_out: list[str], limit: int = REST_CHARS) -> str:
    """'Not drawn here (in the data download): A; B; and 5 more.' in about `limit` characters."""
    shown: list[str] = []
    used = 0
    for name in left_out:
        if shown and used + len(name) + 2 > limit:
            break
        shown.append(name)
        used += len(name) + 2
    more = len(left_out) - len(shown)
    text = "; ".join(shown) + (f"; and {more} more" if more else "")
    return f"Not drawn here (all in the data download): {text}."


def _row_labels(figure: go.Figure, order: list) -> list:
    """The rows' labels as the reader sees them (an axis may show a text for a key)."""
    axis = next(figure.select_yaxes(), None)
    if any("|" in str(row) for row in order):  # 'Kent|2020/21': unit and year, both needed
        return [str(row).replace("|", " ") for row in order]
    if axis is None or axis.tickvals is None or axis.ticktext is None:
        return order
    words = dict(zip(axis.tickvals, axis.ticktext, strict=False))
    return [words.get(row, row) for row in order]


def _capped(
    figure: go.Figure,
    plot_px: float,
    font_px: float,
    gap: float = ROW_GAP,
    panel_slide: bool = False,
) -> tuple[go.Figure, str, str]:
    """A one-panel figure with no more category rows than fit, the part shown and the rest."""
    found = category_rows(figure)
    if found is None:
        return figure, "", ""
    order, lines = found
    if panel_slide:
        # A slide of its own for the panel: its notes take their own lines once, above the
        # rows, rather than widening every row (which left 5 rows where 9 fit).
        lines = label_lines(figure)
        plot_px -= note_lines(figure) * LINE_PITCH * font_px
    shows_legend = figure.layout.showlegend is not False and any(
        trace.showlegend is not False and trace.name for trace in figure.data
    )
    legend = LEGEND_LINES * font_px if shows_legend else 0
    fit = rows_per_slide(plot_px - legend, font_px, lines, gap)
    if len(order) <= fit:
        return figure, "", ""
    capped, left_out = top_rows(figure, fit)
    capped = labels_on_rows(capped)
    # Every kept row is labelled: plotly would skip category labels it finds too close.
    key = next(k for k in capped.layout.to_plotly_json() if k.startswith("yaxis"))
    axis = capped.layout[key]
    if axis.tickvals is None and axis.categoryarray is not None:
        axis.update(tickmode="array", tickvals=list(axis.categoryarray))
    capped.update_layout(height=None)  # laid out on the picture: the rows were chosen to fit it
    kept = set(category_rows(capped)[0])
    labels = _row_labels(figure, order)
    names = [_plain(label) for row, label in zip(order, labels, strict=True) if row not in kept]
    part = f"{fit} of {fit + left_out} rows, in the chart's order"
    return capped, part, _rest_text(names, PANEL_REST_CHARS if panel_slide else REST_CHARS)


def _without_headings(figure: go.Figure) -> tuple[go.Figure, list[str]]:
    """A one-panel page without its panel heading, and the heading's further lines.

    On a slide of one panel the subtitle names the panel; the heading drawn above the plot
    would sit in the picture's thin top margin and be cut off. A note under the heading (a
    national total not drawn) moves to the words under the picture.
    """
    notes: list[str] = []
    kept = []
    for note in figure.layout.annotations:
        is_heading = note.xref == "paper" and note.yref == "paper" and note.yanchor == "bottom"
        if is_heading and note.text:
            lines = str(note.text).split("<br>")[1:]
            notes.extend(f"{_plain(line).rstrip('.')}." for line in lines if _plain(line))
            continue
        kept.append(note)
    moved = go.Figure(figure)
    moved.layout.annotations = kept
    return moved, notes


def slide_pages(
    result: ChartResult, plot_px: float, font_px: float, gap: float = ROW_GAP
) -> list[SlidePage]:
    """The slides a chart takes (see the module docstring); `plot_px` is the picture's height
    for the plot and `font_px` the slide's type, both in layout px; `gap` is the room between
    two rows' labels in line heights."""
    figure = result.figure
    rows = panel_rows(figure)
    if rows <= 1:
        capped, part, rest = _capped(figure, plot_px, font_px, gap)
        return [SlidePage(capped, part, rest)]
    grid = _is_grid(figure)
    per_page = panel_rows_per_slide(plot_px) if grid else 1
    pages = panel_pages(figure, per_page)
    if len(pages) == 1:
        return [SlidePage(figure)]
    total = sum(len(page.panels) for page in pages) or len(pages)
    slides: list[SlidePage] = []
    first = 1
    for number, page in enumerate(pages, start=1):
        shown = len(page.panels) or 1
        last = first + shown - 1
        page_figure = go.Figure(page.figure)
        page_figure.update_layout(height=NATURAL_MARGINS + SLIDE_PANEL_ROW_PX * per_page)
        rest = part_rows = ""
        if not grid:
            page_figure, notes = _without_headings(page_figure)
            page_figure, part_rows, rest = _capped(
                page_figure, plot_px, font_px, gap, panel_slide=True
            )
            rest = " ".join([*notes, rest]).strip()
            if part_rows:
                page_figure.update_layout(height=None)
        span = f"panel {first}" if first == last else f"panels {first}-{last}"
        part = f"{span} of {total}"
        if page.panels:
            part += ": " + ", ".join(page.panels)
        if not grid and part_rows:
            part += f" ({part_rows})"
        slides.append(SlidePage(page_figure, part, rest, number, len(pages)))
        first = last + 1
    return slides
