"""Exported images read when projected: every chart of the catalogue, drawn as it is exported at
1280 x 720, has no text smaller than 14 px in the file and no two text labels on top of each
other. Chromium measures the text of the exported SVG (the same figure the PNG is drawn from)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from dashboard import export
from dashboard.charts import CHARTS, build_chart
from dashboard.datastore import DataStore, load_store
from dashboard.geography import BOUNDARY_PATH
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.browser

MIN_FILE_PX = 14  # the floor for text in a 1280 x 720 export
OVERLAP_PX = 1.5  # boxes may touch (antialiasing, font metrics); they may not cover each other
SELECTIONS = {
    "all-units": Selection(measure=DEFAULT_MEASURE),
    "northumbria": Selection(("northumbria",), None, DEFAULT_MEASURE),
}
# Every visible text element: its words, its box and its font size, in SVG layout pixels.
MEASURE = """
() => Array.from(document.querySelectorAll('svg text')).flatMap((node) => {
    const text = (node.textContent || '').trim();
    const style = getComputedStyle(node);
    if (!text || style.display === 'none' || style.visibility === 'hidden') return [];
    let hidden = false;
    for (let el = node; el && el.tagName !== 'svg'; el = el.parentElement) {
        const s = getComputedStyle(el);
        if (s.display === 'none' || parseFloat(s.opacity) === 0) hidden = true;
    }
    if (hidden) return [];
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return [];
    const m = node.getScreenCTM();
    const size = parseFloat(style.fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    return [{text, size, x: box.x, y: box.y, w: box.width, h: box.height}];
})
"""


@pytest.fixture(scope="module")
def renderer() -> Iterator[export.ImageRenderer]:
    with export.ImageRenderer() as shared:
        yield shared


@pytest.fixture(scope="module")
def store_with_map() -> DataStore:
    return load_store(DATA_DIR, BOUNDARY_PATH)


def measured_labels(page: Page, svg: bytes, file_scale: float) -> list[dict]:
    """The text boxes of an SVG in file pixels (layout pixels times the export's scale)."""
    page.set_content(f"<html><body style='margin:0'>{svg.decode('utf-8')}</body></html>")
    labels = page.evaluate(MEASURE)
    for label in labels:
        for key in ("size", "x", "y", "w", "h"):
            label[key] *= file_scale
    return labels


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes cover each other by more than OVERLAP_PX both ways."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if across > OVERLAP_PX and down > OVERLAP_PX:
                pairs.append((a["text"][:40], b["text"][:40]))
    return pairs


@pytest.mark.parametrize("who", SELECTIONS)
@pytest.mark.parametrize("name", list(CHARTS))
def test_exported_chart_text_is_14px_or_more_and_never_overlaps(
    page: Page, renderer, store_with_map, name, who
):
    result = build_chart(name, store_with_map, SELECTIONS[who])
    if not export.has_marks(result):
        pytest.skip("nothing drawn for this selection: the export is a notice")
    job = export.image_job(result, "png-1280x720")
    png = renderer.render_many([job])[0]
    assert png[16:24] == (1280).to_bytes(4, "big") + (720).to_bytes(4, "big")
    svg = renderer.render(job.figure, "svg", width=job.width, height=job.height)
    labels = measured_labels(page, svg, 1280 / job.width)
    assert labels, "no text measured"
    small = sorted({(round(label["size"], 1), label["text"][:30]) for label in labels
                    if label["size"] < MIN_FILE_PX - 0.05})  # fmt: skip
    assert not small, f"{name}: text under {MIN_FILE_PX} px at 1280 x 720: {small[:6]}"
    pairs = overlapping(labels)
    assert not pairs, f"{name}: {len(pairs)} overlapping labels, e.g. {pairs[:4]}"
