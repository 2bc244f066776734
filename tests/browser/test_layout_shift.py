"""Nothing jumps while a page loads: cumulative layout shift (CLS) stays at most 0.05.

Measured as the browser reports it (PerformanceObserver, type "layout-shift", shifts after
user input left out), from the first paint until the view is drawn and Dash is idle.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import PAGES

pytestmark = pytest.mark.browser

CLS_LIMIT = 0.05
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Installed before any script of the page runs, so the first shift is counted too.
RECORD_SHIFTS = """
window.vruShifts = [];
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) {
            window.vruShifts.push({
                value: entry.value,
                nodes: (entry.sources || []).map((s) => s.node ? (s.node.id || s.node.className
                    || s.node.nodeName) : "?"),
            });
        }
    }
}).observe({type: "layout-shift", buffered: true});
"""


def settled(page: Page) -> None:
    expect(page.locator("#page-content-container h1")).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading]')", timeout=90_000
    )
    # Late shifts (a chart drawn after its data arrived) are reported a frame or two later.
    page.wait_for_timeout(1000)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_pages_do_not_shift_while_they_load(size: str, page: Page, live_server, console_errors):
    page.set_viewport_size(SIZES[size])
    page.add_init_script(RECORD_SHIFTS)
    over = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        settled(page)
        shifts = page.evaluate("() => window.vruShifts")
        total = sum(s["value"] for s in shifts)
        if total > CLS_LIMIT:
            over[path] = (round(total, 3), [s for s in shifts if s["value"] > 0.005])
    assert over == {}, f"layout shift over {CLS_LIMIT} at {size} size: {over}"
    assert console_errors == []


ROWS_LATE_S = 2.0  # a busy server: the grid's rows come well after the grid has been drawn


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_data_grid_does_not_shift_when_its_rows_arrive_late(
    size: str, page: Page, live_server, console_errors
):
    """A cold load of /data measured 0.16 of layout shift: the empty grid was shown, then its
    rows, the count above it and its paging bar moved in. Its rows are held back here, as a
    busy server would, and nothing in view may move when they come."""

    def late_rows(route) -> None:
        if "data-observations-table" in (route.request.post_data or ""):
            time.sleep(ROWS_LATE_S)
        route.continue_()

    page.set_viewport_size(SIZES[size])
    page.add_init_script(RECORD_SHIFTS)
    page.route("**/_dash-update-component", late_rows)
    page.goto(f"{live_server.url}/data")
    settled(page)
    expect(page.locator("#data-observations-table .ag-row").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    shifts = page.evaluate("() => window.vruShifts")
    total = sum(s["value"] for s in shifts)
    assert total <= CLS_LIMIT, (round(total, 3), [s for s in shifts if s["value"] > 0.005])
    assert console_errors == []
