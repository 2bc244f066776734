"""Decks: a 16:9 PowerPoint file of a view's charts, with notes and caveats."""

from __future__ import annotations

import datetime as dt
import io
import logging
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.charts import CHARTS, UnknownChartError, build_chart
from dashboard.charts.base import ChartResult
from dashboard.charts.map_view import coverage_for, labels_for
from dashboard.datastore import DataStore
from dashboard.export.formats import (
    CORE_PROPERTY_LIMIT,
    ExportContext,
    export_context,
)
from dashboard.export.images import (
    MIN_TEXT_PX,
    ImageRenderer,
    RenderJob,
    stretch_for,
)
from dashboard.export.slide_pages import ROW_GAP, SlidePage, is_stack, slide_pages
from dashboard.export.tables import (
    sources_of,
)
from dashboard.export.words import (
    alt_text,
    deck_caveats,
    has_marks,
    key_figures,
    speaker_notes,
)
from dashboard.figures.locator_map import build_locator_map
from dashboard.figures.theme import (
    MUTED,
    PALETTE,
    TEXT,
    presentation_figure,
)
from dashboard.selection import Selection

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Slides

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Inches(7.5)  # 13.333 x 7.5 in: 16:9
MARGIN = Inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = Inches(0.42)
SOURCE_BOTTOM = Inches(7.15)  # the source line ends here; the picture stops just above it
EMU_PER_PT = 12700
# Layout pixels per inch of the slide picture: 18 px type then reads as 15 pt on the slide.
SLIDE_PX_PER_INCH = 84
SLIDE_FONT_PX = 18
SLIDE_IMAGE_SCALE = 2
SLIDE_AXIS_ROOM = 60  # px of the picture taken by the axis labels and title
CAVEAT_LINES_PER_SLIDE = 16
CAVEAT_CHARS_PER_LINE = 105
SOURCES_ON_TITLE_SLIDE = 8
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _lines(text: str, size_pt: float, width_emu: int, glyph: float = 0.55) -> int:
    """Lines `text` needs at `size_pt` in a box `width_emu` wide (a generous estimate)."""
    per_line = max(10, int(width_emu / EMU_PER_PT / (size_pt * glyph)))
    return max(1, len(textwrap.wrap(text, per_line)))


@dataclass(frozen=True)
class ChartSlideLayout:
    """Where the words and the picture of a chart slide go: long titles push the picture down,
    and the caveats (on the slide face, above the source) push its foot up."""

    title_size: float
    title_height: int
    subtitle_top: int
    subtitle_height: int
    picture_top: int
    source_top: int
    caveat_top: int = 0
    side_width: int = 0  # a column of words right of the picture (0: the words go under it)

    @property
    def picture_bottom(self) -> int:
        return self.caveat_top or self.source_top

    @property
    def picture_height(self) -> int:
        return self.picture_bottom - Inches(0.12) - self.picture_top

    @property
    def picture_width(self) -> int:
        return CONTENT_WIDTH - self.side_width - (SIDE_GAP if self.side_width else 0)

    @property
    def side_left(self) -> int:
        return MARGIN + self.picture_width + SIDE_GAP


FACE_CAVEATS = 3  # caveats printed on the slide itself; the rest are in the speaker notes
FACE_CAVEAT_PT = 12
FACE_CAVEAT_LINES = 6  # at most this many lines of them, so the chart keeps its room
# A stack of panels (the comparison: one measure per panel, one row per unit) is cut into a
# slide per panel; its picture takes the slide's whole height, with the rows left out and the
# caveats in a column beside it, and its rows are set in smaller (still >= 14 px) type, so a
# slide holds 8-12 rows instead of the 2-5 left under a band of words.
SIDE_WIDTH = Inches(4.1)
SIDE_GAP = Inches(0.3)
SIDE_LINE_PITCH = 1.45  # a line of the column, with the space between paragraphs, in type sizes
STACK_FONT_PX = 14  # 16 px when the slide is shown 1280 px wide
STACK_ROW_GAP = 0.5  # between two rows' labels, in units of the type (ROW_GAP elsewhere)


def face_caveats(
    result: ChartResult, width: int = CONTENT_WIDTH, budget_lines: int = FACE_CAVEAT_LINES
) -> list[str]:
    """The caveats printed under the chart, where the audience reads them with the figures.

    They say how to read the chart (bounds, breaks, what is not drawn), so they cannot live
    only in the speaker notes. Up to FACE_CAVEATS of them, in the builder's order, as long as
    they fit in `budget_lines` lines of a box `width` wide (a longer first one is cut, ending
    'in full in the notes'); one closing line counts the rest.
    """
    budget = budget_lines - 1  # keep a line for the count of the rest
    per_line = max(10, int(width / EMU_PER_PT / (FACE_CAVEAT_PT * 0.55)))
    shown: list[str] = []
    for caveat in result.caveats[:FACE_CAVEATS]:
        text = f"• {caveat}"
        lines = _lines(text, FACE_CAVEAT_PT, width)
        if lines > budget and not shown:
            words = textwrap.shorten(caveat, per_line * (budget - 1), placeholder="…")
            text = f"• {words} (in full in the notes)"
            lines = _lines(text, FACE_CAVEAT_PT, width)
        if lines > budget:
            break
        shown.append(text)
        budget -= lines
    rest = len(result.caveats) - len(shown)
    if rest > 0:
        more = "caveat" if rest == 1 else "caveats"
        shown.append(f"• {rest} more {more} in the speaker notes.")
    return shown


REST_PT = 12  # the rows a slide leaves out, named under the picture


def slide_title(result: ChartResult, page: SlidePage | None = None) -> str:
    """The chart's title on every slide it takes (the subtitle says which part each shows:
    a counter here would wrap long titles onto a second line and take the chart's room)."""
    return result.title


def slide_subtitle(result: ChartResult, page: SlidePage | None = None) -> str:
    """The chart's subtitle and, on a slide showing part of it, which part ('slide 2 of 5:
    panels 5-8 of 20: ...')."""
    if page is None or not page.part:
        return result.subtitle
    counter = f"slide {page.number} of {page.count}: " if page.count > 1 else ""
    return f"{result.subtitle} · {counter}{page.part}"


# What a page of a split chart may add to the words, for the first estimate of the room left.
PAGE_WORDS = SlidePage(go.Figure(), "panels 10-12 of 21: " + "Greater Manchester, " * 4, "x" * 200)


def beside(result: ChartResult) -> bool:
    """Whether the chart's slides put their words beside the picture (a stack of panels)."""
    return is_stack(result.figure)


def side_words(result: ChartResult, page: SlidePage | None, height: int) -> list[str]:
    """The column beside a stack's picture, `height` EMU tall: the rows left out, then as
    many of the caveats as the rest of the column holds."""
    rest = [page.rest] if page is not None and page.rest else []
    fit = int(height / EMU_PER_PT / (FACE_CAVEAT_PT * SIDE_LINE_PITCH))
    used = sum(_lines(text, REST_PT, SIDE_WIDTH) for text in rest)
    caveats = face_caveats(result, SIDE_WIDTH, max(4, fit - used))
    return [*rest, *caveats]


def chart_slide_layout(result: ChartResult, page: SlidePage | None = None) -> ChartSlideLayout:
    """Title at 28 pt on one line, else 24 pt on two or more; subtitle at 16 pt below it;
    the rows left out (if any) at 12 pt and the chart's caveats at 12 pt above the 11 pt
    source line, or in a column beside the picture (`beside`)."""
    title = slide_title(result, page)
    subtitle = slide_subtitle(result, page)
    title_size = 28.0 if _lines(title, 28, CONTENT_WIDTH, 0.6) == 1 else 24.0
    title_lines = _lines(title, title_size, CONTENT_WIDTH, 0.6)
    title_height = int(title_lines * title_size * 1.2 * EMU_PER_PT)
    subtitle_top = TITLE_TOP + title_height + Inches(0.1)
    subtitle_height = int(_lines(subtitle, 16, CONTENT_WIDTH) * 16 * 1.25 * EMU_PER_PT)
    picture_top = subtitle_top + subtitle_height + Inches(0.2)
    source_height = int(_lines(result.source_line, 11, CONTENT_WIDTH) * 11 * 1.25 * EMU_PER_PT)
    source_top = SOURCE_BOTTOM - source_height
    if beside(result):
        return ChartSlideLayout(
            title_size,
            title_height,
            subtitle_top,
            subtitle_height,
            picture_top,
            source_top,
            side_width=SIDE_WIDTH,
        )
    caveats = face_caveats(result)
    caveat_lines = sum(_lines(text, FACE_CAVEAT_PT, CONTENT_WIDTH) for text in caveats)
    if page is not None and page.rest:
        caveat_lines += _lines(page.rest, REST_PT, CONTENT_WIDTH)
    caveat_height = int(caveat_lines * FACE_CAVEAT_PT * 1.3 * EMU_PER_PT)
    caveat_top = source_top - Inches(0.08) - caveat_height if caveat_lines else 0
    return ChartSlideLayout(
        title_size,
        title_height,
        subtitle_top,
        subtitle_height,
        picture_top,
        source_top,
        caveat_top,
    )


def slide_picture_size(layout: ChartSlideLayout) -> tuple[int, int]:
    """Layout size (px) of a chart picture that fills the picture box of a chart slide."""
    return (
        round(layout.picture_width / 914400 * SLIDE_PX_PER_INCH),
        round(layout.picture_height / 914400 * SLIDE_PX_PER_INCH),
    )


SLIDE_PX_AT_1280 = 1280 / (SLIDE_WIDTH / 914400)  # px per slide inch when shown 1280 px wide


def chart_pages(result: ChartResult) -> list[SlidePage]:
    """The slides a chart takes: one, or one per page of panels or rows (see slide_pages)."""
    font, gap = (STACK_FONT_PX, STACK_ROW_GAP) if beside(result) else (SLIDE_FONT_PX, ROW_GAP)
    _, height = slide_picture_size(chart_slide_layout(result, PAGE_WORDS))
    pages = slide_pages(result, height - SLIDE_AXIS_ROOM, font, gap)
    # The first cut assumed long words; with the words it really has, more rows may fit.
    _, room = slide_picture_size(chart_slide_layout(result, pages[0]))
    if len(pages) == 1 and pages[0].rest and room > height:
        pages = slide_pages(result, room - SLIDE_AXIS_ROOM, font, gap)
    return pages


def slide_job(result: ChartResult, page: SlidePage | None = None) -> RenderJob:
    """One slide's picture of the chart, without its words (the slide carries title, subtitle,
    the rows left out and source as text); no text is smaller than 14 px when the slide is
    shown 1280 px wide. Without `page`, the chart's first slide."""
    page = page or chart_pages(result)[0]
    width, height = slide_picture_size(chart_slide_layout(result, page))
    figure = page.figure
    stretch = stretch_for(figure, height - SLIDE_AXIS_ROOM)
    figure = presentation_figure(
        figure,
        title=result.title,
        subtitle=result.subtitle,
        source_line=result.source_line,
        size=(round(width * stretch), round(height * stretch)),
        with_text=False,
        font_size=STACK_FONT_PX if beside(result) else SLIDE_FONT_PX,
        min_font_size=MIN_TEXT_PX * SLIDE_PX_PER_INCH / SLIDE_PX_AT_1280 * stretch,
    )
    layout = figure.layout
    return RenderJob(figure, "png", layout.width, layout.height, SLIDE_IMAGE_SCALE / stretch)


def slide_pictures(
    results: Sequence[ChartResult], renderer: ImageRenderer
) -> dict[str, list[bytes]]:
    """Chart name -> its slides' PNGs, for every chart that draws something, drawn as one
    batch."""
    shown = [result for result in results if has_marks(result)]
    jobs = [
        (result.chart, slide_job(result, page)) for result in shown for page in chart_pages(result)
    ]
    images = renderer.render_many([job for _, job in jobs])
    pictures: dict[str, list[bytes]] = {}
    for (chart, _), image in zip(jobs, images, strict=True):
        pictures.setdefault(chart, []).append(image)
    return pictures


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = int(left), int(top), int(width), int(height)


def _write(
    frame: Any,
    paragraphs: Iterable[str],
    size: float,
    *,
    colour: str = TEXT,
    bold: bool = False,
    space_after: float = 0,
) -> None:
    """Replace a text frame's text with paragraphs in one size and colour, wrapped to the box."""
    frame.clear()
    frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        if space_after:
            paragraph.space_after = Pt(space_after)


def _text_box(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    box = slide.shapes.add_textbox(int(left), int(top), int(width), int(height))
    frame = box.text_frame
    frame.margin_left = frame.margin_right = 0
    return box


def _accent(slide: Any, left: int, top: int, width: int, height: int) -> None:
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, int(left), int(top), int(width), int(height))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(PALETTE[0])
    bar.line.fill.background()
    bar.shadow.inherit = False


def _left_aligned(frame: Any) -> None:
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT


# The title slide's heading box (below the overline) and the type sizes it tries, largest first.
TITLE_SLIDE_HEADING_HEIGHT = Inches(1.9)
TITLE_SLIDE_SIZES = (40.0, 32.0, 28.0, 24.0)


def title_slide_size(title: str, width: int) -> float:
    """The largest type size at which the deck's title fits its box: a bottom-anchored title
    that needs more lines than the box holds grows upwards over the overline."""
    for size in TITLE_SLIDE_SIZES:
        if _lines(title, size, width, 0.6) * size * 1.2 * EMU_PER_PT <= TITLE_SLIDE_HEADING_HEIGHT:
            return size
    return TITLE_SLIDE_SIZES[-1]


def _title_slide(deck: Any, title: str, context: ExportContext, sources: Sequence[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    _accent(slide, 0, 0, Inches(0.3), SLIDE_HEIGHT)
    left, width = Inches(1.0), SLIDE_WIDTH - Inches(2.0)
    overline = _text_box(slide, left, Inches(1.3), width, Inches(0.5))
    _write(overline.text_frame, [context.app_name.upper()], 16, colour=PALETTE[0], bold=True)
    heading, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(heading, left, Inches(1.8), width, TITLE_SLIDE_HEADING_HEIGHT)
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _write(heading.text_frame, [title], title_slide_size(title, width), bold=True)
    _left_aligned(heading.text_frame)
    _place(subtitle, left, Inches(3.9), width, Inches(1.5))
    subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    lines = [context.filters, f"Prepared on {context.generated_text}"]
    _write(subtitle.text_frame, lines, 20, colour=MUTED, space_after=6)
    _left_aligned(subtitle.text_frame)
    named = list(sources[:SOURCES_ON_TITLE_SLIDE])
    if len(sources) > len(named):
        named.append(f"and {len(sources) - len(named)} more (all listed in the notes)")
    source_text = "Sources: " + ("; ".join(named) if named else "none for these filters") + "."
    note = _text_box(slide, left, Inches(5.8), width, Inches(1.2))
    source_lines = [source_text, "The page or web address of every figure is in the notes."]
    _write(note.text_frame, source_lines, 12, colour=MUTED, space_after=4)
    notes = [f"{title}. {context.filters}.", "Sources: " + "; ".join(sources) + "."]
    slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)


def _chart_slide(deck: Any, result: ChartResult, picture: bytes, page: SlidePage) -> None:
    layout = chart_slide_layout(result, page)
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _accent(slide, MARGIN, Inches(0.3), Inches(0.8), Inches(0.06))
    heading = slide.shapes.title
    _place(heading, MARGIN, TITLE_TOP, CONTENT_WIDTH, layout.title_height)
    frame = heading.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _write(frame, [slide_title(result, page)], layout.title_size, bold=True)
    _left_aligned(frame)
    subtitle = _text_box(slide, MARGIN, layout.subtitle_top, CONTENT_WIDTH, layout.subtitle_height)
    subtitle.text_frame.margin_top = subtitle.text_frame.margin_bottom = 0
    _write(subtitle.text_frame, [slide_subtitle(result, page)], 16, colour=MUTED)
    image = slide.shapes.add_picture(
        io.BytesIO(picture), MARGIN, layout.picture_top, width=layout.picture_width
    )
    if image.height > layout.picture_height:  # keep the aspect; centre a narrower picture
        image.width = int(image.width * layout.picture_height / image.height)
        image.height = layout.picture_height
        image.left = int(MARGIN + (layout.picture_width - image.width) / 2)
    image.name = f"Chart: {result.title}"
    image._element.nvPicPr.cNvPr.set("descr", alt_text(result))
    if layout.side_width:
        height = layout.source_top - Inches(0.08) - layout.picture_top
        words = _text_box(slide, layout.side_left, layout.picture_top, layout.side_width, height)
        words.name = "Caveats"
        words.text_frame.margin_top = words.text_frame.margin_bottom = 0
        _write(words.text_frame, side_words(result, page, height), FACE_CAVEAT_PT, space_after=4)
    elif layout.caveat_top:
        caveats = _text_box(
            slide, MARGIN, layout.caveat_top, CONTENT_WIDTH, layout.source_top - layout.caveat_top
        )
        caveats.name = "Caveats"
        caveats.text_frame.margin_top = caveats.text_frame.margin_bottom = 0
        lines = [page.rest] if page.rest else []
        _write(caveats.text_frame, [*lines, *face_caveats(result)], FACE_CAVEAT_PT)
    source = _text_box(
        slide, MARGIN, layout.source_top, CONTENT_WIDTH, SOURCE_BOTTOM - layout.source_top
    )
    source.text_frame.margin_top = source.text_frame.margin_bottom = 0
    _write(source.text_frame, [result.source_line], 11, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = speaker_notes(result)


def _caveat_pages(items: Sequence[str]) -> list[list[str]]:
    """Caveats split over as many slides as they need, by an estimate of their wrapped lines."""
    pages: list[list[str]] = [[]]
    used = 0
    for item in items:
        lines = len(textwrap.wrap(item, CAVEAT_CHARS_PER_LINE)) or 1
        if pages[-1] and used + lines > CAVEAT_LINES_PER_SLIDE:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += lines + 0.4  # the space between bullets
    return pages


def _caveat_slides(deck: Any, items: Sequence[str]) -> None:
    pages = _caveat_pages(items)
    for number, page in enumerate(pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[CONTENT_LAYOUT])
        _accent(slide, MARGIN, Inches(0.3), Inches(0.8), Inches(0.06))
        heading, body = slide.placeholders[0], slide.placeholders[1]
        _place(heading, MARGIN, TITLE_TOP, CONTENT_WIDTH, Inches(0.6))
        frame = heading.text_frame
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        title = "Data caveats" if len(pages) == 1 else f"Data caveats ({number} of {len(pages)})"
        _write(heading.text_frame, [title], 28, bold=True)
        _left_aligned(heading.text_frame)
        _place(body, MARGIN, Inches(1.35), CONTENT_WIDTH, Inches(5.75))
        _write(body.text_frame, page, 16, space_after=8)


LOCATOR_LAYOUT = (360, 480)  # px of the locator map's layout (drawn at SLIDE_IMAGE_SCALE)
GLANCE_FIGURES_PER_CHART = 3


@dataclass(frozen=True)
class UnitGlance:
    """What the 'at a glance' slide of a one-unit deck shows besides the key figures."""

    name: str
    locator: bytes  # PNG: the unit highlighted on the map of force areas


def locator_job(store: DataStore, selection: Selection) -> tuple[str, RenderJob] | None:
    """The unit's name and its locator map to draw, for a deck about exactly one unit."""
    if len(selection.units) != 1 or store.boundaries is None:
        return None
    units = store.units.set_index("unit_id")
    if selection.units[0] not in units.index:
        return None
    row = units.loc[selection.units[0]]
    codes = [code for code in str(row["pfa_codes"]).split(";") if code]
    coverage = coverage_for(store)
    own = coverage[coverage["unit_id"].eq(selection.units[0]).fillna(False)]
    figure = build_locator_map(
        store.boundaries, codes, str(row["area_name"]), labels_for(store, own)
    )
    width, height = LOCATOR_LAYOUT
    figure.update_layout(width=width, height=height)
    return str(row["name"]), RenderJob(figure, "png", width, height, SLIDE_IMAGE_SCALE)


def unit_glance(
    store: DataStore, selection: Selection, renderer: ImageRenderer
) -> UnitGlance | None:
    """The locator map of a one-unit deck, drawn; None for a deck about several units."""
    job = locator_job(store, selection)
    if job is None:
        return None
    name, render = job
    return UnitGlance(name, renderer.render_many([render])[0])


def glance_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per measure for the glance slide (the last one the chart lists), leaving out
    projections, which are not figures of what happened."""
    rows = table[table["value"].notna()] if "value" in table.columns else table
    if "note" in rows.columns:
        projected = rows["note"].fillna("").astype(str).str.startswith("Projection")
        rows = rows[~projected]
    if "metric_label" in rows.columns:
        rows = rows.groupby("metric_label", sort=False).tail(1)
    return rows


def glance_figures(results: Sequence[ChartResult]) -> list[str]:
    """Up to GLANCE_FIGURES_PER_CHART key figures of each chart (one per measure), under the
    chart's title."""
    lines: list[str] = []
    for result in results:
        figures = key_figures(glance_rows(result.table), GLANCE_FIGURES_PER_CHART)
        if figures:
            lines.append(result.title)
            lines.extend(f"• {line}" for line in figures)
    return lines


def _glance_slide(deck: Any, glance: UnitGlance, results: Sequence[ChartResult]) -> None:
    """The unit on the map (left) and its key figures as published (right)."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _accent(slide, MARGIN, Inches(0.3), Inches(0.8), Inches(0.06))
    heading = slide.shapes.title
    _place(heading, MARGIN, TITLE_TOP, CONTENT_WIDTH, Inches(0.6))
    frame = heading.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _write(frame, [f"{glance.name} at a glance"], 28, bold=True)
    _left_aligned(frame)
    top, height = Inches(1.3), Inches(5.6)
    picture = slide.shapes.add_picture(io.BytesIO(glance.locator), MARGIN, top, height=height)
    picture.name = "Locator map"
    picture._element.nvPicPr.cNvPr.set(
        "descr",
        f"Map of the police force areas of England and Wales with {glance.name} highlighted.",
    )
    left = MARGIN + picture.width + Inches(0.4)
    box = _text_box(slide, left, top, SLIDE_WIDTH - MARGIN - left, height)
    lines = glance_figures(results) or ["No figures for this unit with these filters."]
    _write(box.text_frame, ["Key figures, as published", *lines], 14, space_after=3)
    first = box.text_frame.paragraphs[0].runs[0].font
    first.bold, first.size = True, Pt(18)
    for paragraph in box.text_frame.paragraphs[1:]:
        if not paragraph.runs[0].text.startswith("•"):
            paragraph.runs[0].font.bold = True
    slide.notes_slide.notes_text_frame.text = (
        "Each figure keeps its qualifier; its source is in the notes of its chart's slide and "
        "in the data downloads."
    )


def property_text(text: str, limit: int = CORE_PROPERTY_LIMIT) -> str:
    """`text` cut to fit a document property, ending in an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_deck(
    results: Sequence[ChartResult],
    *,
    title: str,
    context: ExportContext,
    pictures: Mapping[str, bytes | Sequence[bytes]],
    failed: Sequence[str] = (),
    glance: UnitGlance | None = None,
) -> bytes:
    """A 16:9 deck: title slide, one slide per chart that draws something, then the caveats.

    `pictures` maps chart names to their slides' PNGs (from `slide_pictures`, perhaps through a
    cache; one PNG stands for every slide of its chart). A tall chart takes several slides
    (see `chart_pages`).
    Charts with nothing to draw for the filters get no slide; the caveats say which were left
    out, as they do for the titles in `failed` (charts whose builder raised).
    """
    shown = [result for result in results if has_marks(result)]
    omitted = [result for result in results if not has_marks(result)]
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    # PowerPoint's document properties hold at most 255 characters (python-pptx refuses more);
    # the title slide shows the whole text.
    deck.core_properties.title = property_text(title)
    deck.core_properties.subject = property_text(context.filters)
    deck.core_properties.author = property_text(context.app_name)
    sources = sorted({source for result in shown for source in sources_of(result)})
    _title_slide(deck, title, context, sources)
    if glance is not None:
        _glance_slide(deck, glance, shown)
    for result in shown:
        drawn = pictures[result.chart]
        for index, page in enumerate(chart_pages(result)):
            picture = drawn if isinstance(drawn, bytes) else drawn[min(index, len(drawn) - 1)]
            _chart_slide(deck, result, picture, page)
    _caveat_slides(deck, deck_caveats(shown, omitted, failed))
    output = io.BytesIO()
    deck.save(output)
    return output.getvalue()


def build_results(
    store: DataStore, selection: Selection, names: Iterable[str]
) -> tuple[list[ChartResult], list[str]]:
    """Each named chart built for the selection, and the titles of those whose builder failed.

    Why not raise: one broken chart should not cost the user the whole deck; the failure is
    logged (traceback at debug level) and named on the caveats slide.
    """
    results: list[ChartResult] = []
    failed: list[str] = []
    for name in names:
        try:
            results.append(build_chart(name, store, selection))
        except UnknownChartError:
            raise
        except Exception as error:
            # One line; the traceback only when debug logging is on.
            log.error("chart %s could not be built: %s", name, type(error).__name__)
            log.debug("traceback of chart %s for %s", name, selection, exc_info=error)
            failed.append(CHARTS[name].title)
    return results, failed


def make_deck(
    store: DataStore,
    selection: Selection,
    names: Iterable[str],
    renderer: ImageRenderer,
    *,
    title: str,
    today: dt.date | None = None,
) -> bytes:
    """Build the charts, draw their pictures in one batch and assemble the deck."""
    results, failed = build_results(store, selection, names)
    pictures = slide_pictures(results, renderer)
    glance = unit_glance(store, selection, renderer)
    context = export_context(store, selection, today)
    return build_deck(
        results, title=title, context=context, pictures=pictures, failed=failed, glance=glance
    )


def deck_slide_count(
    results: Sequence[ChartResult], failed: Sequence[str] = (), glance: bool = False
) -> int:
    """How many slides `build_deck` makes for these charts (title + chart pages + caveats)."""
    shown = [result for result in results if has_marks(result)]
    omitted = [result for result in results if not has_marks(result)]
    caveat_pages = len(_caveat_pages(deck_caveats(shown, omitted, failed)))
    charts = sum(len(chart_pages(result)) for result in shown)
    return 1 + int(glance) + charts + caveat_pages
