"""The comparison's words never cover each other: each panel's heading, the label of its
national line and the figures beside the dots are measured by Chromium in the SVG of the chart
as the page draws it (1100 px wide) and in each of its slide pictures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from dashboard import export
from dashboard.charts import build_chart
from dashboard.selection import Selection
from tests.browser.test_export_legibility import measured_labels, overlapping

pytestmark = pytest.mark.browser

SCREEN_WIDTH = 1100  # about the chart's width on a 1366 px desktop
UNITS = ("northumbria", "london", "kent")


@pytest.fixture(scope="module")
def renderer() -> Iterator[export.ImageRenderer]:
    with export.ImageRenderer() as shared:
        yield shared


def _national_labels(figure) -> list[str]:
    return [str(note.text) for note in figure.layout.annotations if "National" in str(note.text)]


@pytest.mark.parametrize("unit", UNITS)
def test_national_labels_and_panel_headings_never_touch_on_the_page(
    page: Page, renderer, real_store, unit
):
    result = build_chart("compare-units", real_store, Selection((unit,)))
    figure = result.figure
    assert _national_labels(figure), "no national line to label: the check would be empty"
    height = int(figure.layout.height)
    svg = renderer.render(figure, "svg", width=SCREEN_WIDTH, height=height)
    labels = measured_labels(page, svg, 1)
    national = [label for label in labels if label["text"].startswith("National")]
    assert national, "the national labels were not drawn"
    pairs = overlapping(labels)
    assert not pairs, f"{unit}: {len(pairs)} labels cover each other, e.g. {pairs[:4]}"


@pytest.mark.parametrize("unit", ("northumbria", "london"))
def test_no_words_cover_each_other_on_the_comparisons_slides(
    page: Page, renderer, real_store, unit
):
    result = build_chart("compare-units", real_store, Selection((unit,)))
    for slide in export.chart_pages(result):
        job = export.slide_job(result, slide)
        svg = renderer.render(job.figure, "svg", width=job.width, height=job.height)
        labels = measured_labels(page, svg, job.scale)
        pairs = overlapping(labels)
        assert not pairs, f"{unit}, {slide.part[:40]}: labels cover each other: {pairs[:4]}"
        right = job.width * job.scale + 1
        cut = [t["text"] for t in labels if t["x"] < -1 or t["x"] + t["w"] > right]
        assert not cut, f"{unit}, {slide.part[:40]}: words cut at the picture's edge: {cut[:4]}"


# Every piece of text in the page's comparison chart, as the browser laid it out.
PAGE_TEXTS = """() => [...document.querySelectorAll('#chart-figure-graph-compare-units svg text')]
    .filter((t) => t.textContent.trim())
    .map((t) => { const r = t.getBoundingClientRect();
        return {text: t.textContent, x: r.x, y: r.y, w: r.width, h: r.height}; })"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_comparison_is_readable_on_a_phone_and_a_desktop(page: Page, live_server, width):
    """On a phone the chart keeps the width its row names need and scrolls sideways in a box a
    keyboard can reach; no words cover each other at either size."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/compare?unit=london")
    page.wait_for_function(
        """() => document.querySelectorAll(
            '#chart-figure-graph-compare-units svg .scatterlayer .trace').length > 0""",
        timeout=60_000,
    )
    page.wait_for_timeout(500)  # the scroll box's Tab stop is set on the next frame
    box = page.evaluate(
        """() => { const b = document.querySelector('.chart-scroll');
            return {scrolls: b.scrollWidth > b.clientWidth + 1, tab: b.getAttribute('tabindex'),
                    graph: document.getElementById('chart-figure-graph-compare-units')
                        .getBoundingClientRect().width}; }"""
    )
    if width < 640:
        assert box["scrolls"] and box["tab"] == "0", box
        assert box["graph"] >= 639, box
    else:
        assert not box["scrolls"] and box["tab"] is None, box
    labels = page.evaluate(PAGE_TEXTS)
    assert any(label["text"] == "London" for label in labels)
    pairs = overlapping(labels)
    assert not pairs, f"{width} px: words cover each other: {pairs[:4]}"
