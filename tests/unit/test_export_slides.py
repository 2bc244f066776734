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
from dashboard.datastore import load_store
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
    for result, slide in zip(shown, list(deck.slides)[1:], strict=False):
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
