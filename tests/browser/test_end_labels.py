"""Direct labels at the ends of the knife rate lines, in the 1280 x 720 export: no name is
printed over a marker (the line's own later dots, the news diamonds) or over another label.
Chromium measures the exported SVG, the same figure the PNG and the slides are drawn from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from dashboard import export
from dashboard.charts import build_chart
from dashboard.charts.trends import short_names
from dashboard.datastore import DataStore, load_store
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.browser

TOUCH_PX = 1.0  # boxes may touch (antialiasing); they may not cover each other
MIN_FILE_PX = 14
# The text of each annotation, and the box of each marker, in file-independent SVG px.
MEASURE = """
() => {
    const box = (node) => { const b = node.getBoundingClientRect();
        return {x: b.x, y: b.y, w: b.width, h: b.height}; };
    const labels = Array.from(document.querySelectorAll('g.annotation text')).map((node) => {
        const m = node.getScreenCTM();
        const size = parseFloat(getComputedStyle(node).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
        return {text: node.textContent.trim(), size, ...box(node)};
    });
    const marks = Array.from(document.querySelectorAll('.scatterlayer path.point')).map(box);
    return {labels, marks};
}
"""


@pytest.fixture(scope="module")
def renderer() -> Iterator[export.ImageRenderer]:
    with export.ImageRenderer() as shared:
        yield shared


@pytest.fixture(scope="module")
def store() -> DataStore:
    return load_store(DATA_DIR)


def _covers(a: dict, b: dict) -> bool:
    across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return across > TOUCH_PX and down > TOUCH_PX


UNITS = [  # every unit: each has its own mix of later editions and news figures at the end
    "avon_and_somerset", "bedfordshire", "cleveland", "essex", "greater_manchester",
    "hampshire", "humberside", "kent", "lancashire", "leicestershire", "london", "merseyside",
    "northumbria", "nottinghamshire", "south_yorkshire", "sussex", "thames_valley", "wales",
    "west_midlands", "west_yorkshire",
]  # fmt: skip


@pytest.mark.parametrize("unit_id", UNITS)
def test_knife_rate_end_labels_clear_every_marker_and_label_in_the_export(
    page: Page, renderer, store, unit_id
):
    result = build_chart("knife-rate-series", store, Selection((unit_id,), None, DEFAULT_MEASURE))
    job = export.image_job(result, "png-1280x720")
    svg = renderer.render(job.figure, "svg", width=job.width, height=job.height)
    page.set_content(f"<html><body style='margin:0'>{svg.decode('utf-8')}</body></html>")
    found = page.evaluate(MEASURE)
    names = {short_names(store)[unit_id], "England and Wales"}
    ends = [label for label in found["labels"] if label["text"] in names]
    assert ends, "no end label drawn"
    assert found["marks"], "no markers drawn"
    scale = 1280 / job.width
    assert all(label["size"] * scale >= MIN_FILE_PX for label in ends)
    on_marks = [
        (label["text"], mark) for label in ends for mark in found["marks"] if _covers(label, mark)
    ]
    assert not on_marks, f"{unit_id}: end labels over markers: {on_marks[:4]}"
    others = [label for label in found["labels"] if label not in ends]
    on_labels = [
        (a["text"], b["text"])
        for i, a in enumerate(ends)
        for b in [*ends[i + 1 :], *others]
        if _covers(a, b)
    ]
    assert not on_labels, f"{unit_id}: end labels over other labels: {on_labels}"
