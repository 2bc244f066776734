"""Images and decks drawn by kaleido with the system Chromium (one browser for the module)."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from pptx import Presentation

from dashboard import export
from dashboard.charts import CHARTS, build_chart, charts_for_view
from dashboard.datastore import DataStore, load_store
from dashboard.geography import BOUNDARY_PATH
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection
from tests.conftest import DATA_DIR

DEFAULT = Selection(measure=DEFAULT_MEASURE)
PICTURE = 13  # MSO_SHAPE_TYPE.PICTURE


@pytest.fixture(scope="module")
def renderer() -> Iterator[export.ImageRenderer]:
    with export.ImageRenderer() as shared:
        yield shared


@pytest.fixture(scope="module")
def store_with_map() -> DataStore:
    """The real data with the force boundaries, so the map draws its areas (not a notice)."""
    return load_store(DATA_DIR, BOUNDARY_PATH)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_chart_is_a_1920_by_1080_png(store_with_map, renderer):
    results = [build_chart(name, store_with_map, DEFAULT) for name in CHARTS]
    images = renderer.render_many([export.image_job(r, "png-1920x1080") for r in results])
    for result, image in zip(results, images, strict=True):
        assert png_size(image) == (1920, 1080), result.chart


@pytest.mark.parametrize("size", export.PNG_SIZES, ids=lambda size: size.key)
def test_png_has_the_pixel_size_its_menu_entry_states(real_store, renderer, size):
    result = build_chart("funding-per-person", real_store, Selection(year="2019-20"))
    image = export.chart_image(result, f"png-{size.key}", renderer)
    assert png_size(image) == (size.width, size.height)
    assert export.FORMATS[f"png-{size.key}"].label.endswith(f"{size.width} × {size.height} px")


def test_every_chart_is_an_svg_that_parses_and_a_pdf(store_with_map, renderer):
    """Maps are left out here only for time (WebGL in software takes seconds per image); the
    PNG test above draws them through the same path."""
    results = [build_chart(name, store_with_map, DEFAULT) for name in CHARTS]
    results = [result for result in results if export.chart_kind(result.figure) != "Map"]
    jobs = [export.image_job(r, fmt) for r in results for fmt in ("svg", "pdf")]
    images = renderer.render_many(jobs)
    for job, image in zip(jobs, images, strict=True):
        if job.fmt == "svg":
            root = ET.fromstring(image)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            texts = root.iter("{http://www.w3.org/2000/svg}text")
            text = " ".join("".join(t.itertext()) for t in texts)
            assert "Source" in text  # the source line is inside the image
        else:
            assert image.startswith(b"%PDF")


def test_the_image_carries_title_subtitle_and_source(real_store, renderer):
    result = build_chart("funding-per-person", real_store, Selection(year="2019-20"))
    svg = export.chart_image(result, "svg", renderer).decode("utf-8")
    assert result.title.split()[0] in svg
    assert "APCC" in svg or "Source" in svg


def test_deck_for_a_view_opens_with_a_picture_alt_text_and_notes_per_chart(real_store, renderer):
    names = [spec.name for spec in charts_for_view("investment")] or list(CHARTS)[:2]
    selection = Selection(measure="reach_targeted")
    deck_bytes = export.make_deck(real_store, selection, names, renderer, title="Investment")
    deck = Presentation(io.BytesIO(deck_bytes))
    results, failed = export.build_results(real_store, selection, names)
    slides = list(deck.slides)
    assert len(slides) == export.deck_slide_count(results, failed)
    assert deck.slide_width * 9 == deck.slide_height * 16
    chart_slides = slides[1 : 1 + sum(export.has_marks(r) for r in results)]
    for slide, result in zip(
        chart_slides, [r for r in results if export.has_marks(r)], strict=True
    ):
        assert slide.shapes.title.text == result.title
        pictures = [shape for shape in slide.shapes if shape.shape_type == PICTURE]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr").strip()
        image = pictures[0].image
        assert image.content_type == "image/png" and image.size[0] >= 1600
        assert result.summary in slide.notes_slide.notes_text_frame.text
    assert slides[-1].shapes.title.text.startswith("Data caveats")


def test_a_browser_that_will_not_stop_is_killed_and_the_next_export_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """kaleido's stop waits for its Chromium to exit; one that never did hung a test run for
    good. The stop is bounded: the browser is killed, kaleido is told it stopped, and the
    next export starts a browser of its own and draws."""
    import threading
    import time

    import kaleido
    import plotly.graph_objects as go

    from dashboard.export import images

    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    kept = images.ImageRenderer(keep_open=True)  # as the web app keeps one
    assert png_size(kept.render(figure, "png", width=200, height=100)) == (200, 100)
    assert kaleido._global_server.is_running()
    assert images._browser_groups(), "kaleido's Chromium is a child of this process"
    stuck = threading.Event()
    monkeypatch.setattr(kaleido, "stop_sync_server", lambda **_: stuck.wait())
    started = time.monotonic()
    images.stop_server(seconds=1.0)
    assert time.monotonic() - started < 10
    assert not kaleido._global_server.is_running()
    deadline = time.monotonic() + 10
    while images._browser_groups():  # killed: gone once the kernel has reaped it
        assert time.monotonic() < deadline, "the stuck browser is still running"
        time.sleep(0.2)
    stuck.set()
    monkeypatch.undo()
    with images.ImageRenderer() as renderer:
        assert png_size(renderer.render(figure, "png", width=200, height=100)) == (200, 100)
