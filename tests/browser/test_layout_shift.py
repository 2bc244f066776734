"""Nothing jumps while a page loads: cumulative layout shift (CLS) stays at most 0.05.

Measured as the browser reports it (PerformanceObserver, type "layout-shift", shifts after
user input left out), from the first paint until the view is drawn and Dash is idle.
"""

from __future__ import annotations

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
