"""Decks without a browser: what the slide face says, in words a reader knows."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from pptx import Presentation

from dashboard import export
from dashboard.charts import CHARTS, charts_for_view
from dashboard.charts.trends import short_names
from dashboard.datastore import load_store
from dashboard.figures.panels import panel_pages
from dashboard.figures.row_cap import category_rows
from dashboard.geography import BOUNDARY_PATH
from dashboard.selection import Selection
from tests.conftest import DATA_DIR

TODAY = dt.date(2026, 3, 5)
# A valid 1 x 1 PNG, standing in for a rendered chart: these tests read the deck's words.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
# An internal name: lower-case words joined by underscores ('ons_jul2019', 'birkenhead_news').
SLUG = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
VIEWS = sorted({spec.view for spec in CHARTS.values()})
SELECTIONS = {
    "all-units": Selection(),
    "london": Selection(("london",)),
    "northumbria": Selection(("northumbria",)),
}


def _deck(store, view: str, selection: Selection):
    names = [spec.name for spec in charts_for_view(view)]
    results, failed = export.build_results(store, selection, names)
    pictures = {result.chart: TINY_PNG for result in results if export.has_marks(result)}
    context = export.export_context(store, selection, TODAY)
    data = export.build_deck(
        results, title="A deck", context=context, pictures=pictures, failed=failed
    )
    return results, Presentation(io.BytesIO(data))


def _face_text(slide) -> str:
    """Everything printed on a slide (not its notes)."""
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.mark.parametrize("who", SELECTIONS)
@pytest.mark.parametrize("view", VIEWS)
def test_no_slide_shows_an_internal_series_or_source_name(real_store, view, who):
    _, deck = _deck(real_store, view, SELECTIONS[who])
    for number, slide in enumerate(deck.slides, start=1):
        found = SLUG.findall(_face_text(slide))
        assert not found, f"slide {number} of the {view} deck shows {found}"


@pytest.mark.parametrize("view", VIEWS)
def test_each_chart_slide_shows_its_caveats_on_the_face(real_store, view):
    results, deck = _deck(real_store, view, SELECTIONS["all-units"])
    shown = [result for result in results if export.has_marks(result)]
    pages = [result for result in shown for _ in export.chart_pages(result)]
    for result, slide in zip(pages, list(deck.slides)[1:], strict=False):
        face = _face_text(slide)
        assert result.title in face
        assert result.caveats[0][:60] in face, f"{result.chart}: its caveats only in the notes"
        on_face = [caveat for caveat in result.caveats if caveat in face]
        if len(on_face) < len(result.caveats):
            assert "more caveat" in face, result.chart


def test_the_caveats_box_sits_between_the_picture_and_the_source(real_store):
    _, deck = _deck(real_store, "investment", SELECTIONS["all-units"])
    slide = list(deck.slides)[1]
    shapes = {shape.name: shape for shape in slide.shapes}
    picture = next(shape for shape in slide.shapes if shape.shape_type == 13)
    caveats = shapes["Caveats"]
    assert picture.top + picture.height <= caveats.top
    source = [s for s in slide.shapes if s.has_text_frame and "Source" in s.text_frame.text][-1]
    assert caveats.top + caveats.height <= source.top


def test_a_one_unit_deck_opens_with_the_unit_on_the_map_and_its_key_figures(real_store):
    selection = Selection(("northumbria",))
    name, job = export.locator_job(_store_with_map(), selection)
    assert name == "Northumbria Violence Reduction Unit"
    highlighted = job.figure.data[1]
    assert list(highlighted.locations) == ["E23000007"]  # Northumbria's force area alone
    assert len(job.figure.data[0].locations) == 42  # every other force, unhighlighted
    names = [spec.name for spec in charts_for_view("profile")]
    results, failed = export.build_results(real_store, selection, names)
    pictures = {result.chart: TINY_PNG for result in results if export.has_marks(result)}
    glance = export.UnitGlance(name, TINY_PNG)
    data = export.build_deck(
        results,
        title="Northumbria: profile",
        context=export.export_context(real_store, selection, TODAY),
        pictures=pictures,
        failed=failed,
        glance=glance,
    )
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(slides) == export.deck_slide_count(results, failed, glance=True)
    face = _face_text(slides[1])
    assert "Northumbria Violence Reduction Unit at a glance" in face
    assert "Key figures" in face
    shown = [r for r in results if export.has_marks(r)]
    first = export.key_figures(export.glance_rows(shown[0].table), 1)[0]
    assert first in face
    locator = [shape for shape in slides[1].shapes if shape.name == "Locator map"]
    assert locator and "Northumbria" in locator[0]._element.nvPicPr.cNvPr.get("descr")


def test_the_glance_slide_gives_the_latest_figure_per_measure_and_no_projection(real_store):
    names = [spec.name for spec in charts_for_view("profile")]
    results, _ = export.build_results(real_store, Selection(("london",)), names)
    lines = export.glance_figures([r for r in results if export.has_marks(r)])
    assert not any("expected" in line.lower() for line in lines)  # London's projection
    figures = [line for line in lines if line.startswith("• ") and "more in the data" not in line]
    measures = [line.split(":")[0] for line in figures]
    assert len(measures) == len(set(measures)), "one figure per measure"


def test_a_deck_of_several_units_has_no_locator_map(real_store):
    assert export.locator_job(_store_with_map(), Selection(("kent", "essex"))) is None
    assert export.locator_job(_store_with_map(), Selection()) is None


def _store_with_map():
    return load_store(DATA_DIR, BOUNDARY_PATH)


def _emu_to_px_at_1280(points: float) -> float:
    """A type size in points as pixels on a 13.33 in slide shown 1280 px wide."""
    return points / 72 * 1280 / (export.SLIDE_WIDTH / 914400)


@pytest.mark.parametrize(
    ("view", "who"), [("trends", "all-units"), ("compare", "northumbria"), ("profile", "london")]
)
def test_a_tall_chart_takes_a_slide_per_page_and_every_panel_is_named(real_store, view, who):
    results, deck = _deck(real_store, view, SELECTIONS[who])
    slides = list(deck.slides)
    assert len(slides) == export.deck_slide_count(results)
    faces = [_face_text(slide) for slide in slides]
    split = 0
    for result in (r for r in results if export.has_marks(r)):
        pages = export.chart_pages(result)
        on_slides = [
            face for face in faces if face.startswith(export.slide_title(result, pages[0]))
        ]
        if len(pages) == 1:
            continue
        split += 1
        for page in pages:
            subtitle = export.slide_subtitle(result, page)
            assert f"slide {page.number} of {len(pages)}" in subtitle
            assert sum(subtitle in face for face in faces) == 1, subtitle
        panels = {name for page in panel_pages(result.figure, 1) for name in page.panels}
        named = "\n".join(faces)
        missing = [name for name in panels if name not in named]
        assert not missing, f"{result.chart}: panels on no slide: {missing}"
        assert on_slides
    assert split, f"no chart of the {view} deck is split over slides"


def test_every_small_multiple_of_the_twenty_areas_is_on_a_slide(real_store):
    results, deck = _deck(real_store, "trends", SELECTIONS["all-units"])
    text = "\n".join(_face_text(slide) for slide in deck.slides)
    names = [short_names(real_store)[unit] for unit in real_store.units["unit_id"]]
    for chart in ("knife-rate-series", "school-exclusions", "suspension-rates"):
        result = next(r for r in results if r.chart == chart)
        pages = export.chart_pages(result)
        assert len(pages) > 1
        shown = [part for page in pages for part in page.part.split(": ", 1)[1].split(", ")]
        assert sorted(shown) == sorted(names), chart
        assert all(result.source_line in text for _ in pages)
        # The scale is the same on every page: the subtitle says the areas share both axes.
        assert all("share both axes" in export.slide_subtitle(result, page) for page in pages)


def test_a_long_ranking_shows_its_top_rows_and_names_the_rest_on_the_slide(real_store):
    results, deck = _deck(real_store, "compare", SELECTIONS["northumbria"])
    result = next(r for r in results if r.chart == "compare-units")
    pages = export.chart_pages(result)
    capped = [page for page in pages if page.rest]
    assert capped, "no panel of the comparison is capped"
    slides = list(deck.slides)[1 : 1 + len(pages)]
    for page, slide in zip(pages, slides, strict=True):
        face = _face_text(slide)
        assert export.slide_title(result, page) in face
        assert result.source_line in face
        assert result.caveats[0][:60] in face
        if page.rest:
            assert page.rest in face
        if " rows, " in page.part:
            assert "Not drawn here" in face
    # The unit the comparison is about is never among the rows left out.
    assert all("Northumbria" not in page.rest for page in capped)


@pytest.mark.parametrize(("view", "who"), [("trends", "all-units"), ("compare", "northumbria")])
def test_no_slide_text_is_under_14px_when_shown_1280_wide(real_store, view, who):
    _, deck = _deck(real_store, view, SELECTIONS[who])
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if run.font.size is not None and run.text.strip():
                        px = _emu_to_px_at_1280(run.font.size.pt)
                        assert px >= 14, f"slide {number}: {run.text[:40]!r} at {px:.1f} px"


@pytest.mark.parametrize("who", ["london", "northumbria"])
def test_a_comparison_slide_carries_8_to_12_rows_with_the_rest_listed_beside_it(real_store, who):
    """A panel of the comparison with more rows than a slide holds shows 8-12 of them (the
    words that used to sit under the picture left room for 2-5), names the others in the
    column beside the picture, and sets its rows in type that is 14 px or more at 1280."""
    result = next(
        r for r in export.build_results(real_store, SELECTIONS[who], ["compare-units"])[0]
    )
    pages = export.chart_pages(result)
    capped = [page for page in pages if page.rest.startswith("Not drawn here")]
    assert capped, "no panel of the comparison has more rows than a slide"
    for page in capped:
        shown = len(category_rows(page.figure)[0])
        assert 8 <= shown <= 12, f"{page.part[:60]}: {shown} rows on the slide"
        job = export.slide_job(result, page)
        layout = export.chart_slide_layout(result, page)
        assert layout.side_width, "the rows left out and the caveats go beside the picture"
        px_at_1280 = layout.picture_width / 914400 * 96 / job.width
        assert job.figure.layout.font.size * px_at_1280 >= 14


def test_the_words_beside_a_comparison_slide_fit_their_column(real_store):
    results, deck = _deck(real_store, "compare", SELECTIONS["northumbria"])
    result = next(r for r in results if r.chart == "compare-units")
    slides = [s for s in deck.slides if _face_text(s).startswith(result.title)]
    assert len(slides) == len(export.chart_pages(result))
    for slide in slides:
        picture = next(shape for shape in slide.shapes if shape.shape_type == 13)
        words = next(shape for shape in slide.shapes if shape.name == "Caveats")
        source = [s for s in slide.shapes if s.has_text_frame and "Source" in s.text_frame.text]
        assert picture.left + picture.width <= words.left
        assert words.top + words.height <= source[-1].top
        assert "Only figures for the same measure" in words.text_frame.text
