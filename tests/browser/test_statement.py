"""Each issue the accessibility statement lists can still be reproduced.

When one is fixed, its reproduction fails here: take the issue out of the statement
(dashboard/accessibility.py) with the fix, and this test with it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from dashboard.accessibility import KNOWN_ISSUES

pytestmark = pytest.mark.browser


def _chart_toolbar_is_mouse_only(page: Page) -> None:
    # plotly adds a toolbar when it draws a chart; on a busy machine that can take a while.
    expect(page.locator(".chart-card .modebar-btn").first).to_be_attached(timeout=60_000)
    expect(page.locator(".chart-card .modebar-btn:not([tabindex='-1'])")).to_have_count(0)


def _chart_marks_cannot_be_focused(page: Page) -> None:
    expect(page.locator(".chart-card .js-plotly-plot .main-svg .trace").first).to_be_attached(
        timeout=60_000
    )
    focusable = page.locator(".chart-card .js-plotly-plot .main-svg [tabindex]")
    expect(focusable).to_have_count(0)


REPRODUCTIONS: dict[str, Callable[[Page], None]] = {
    "chart-toolbar-mouse-only": _chart_toolbar_is_mouse_only,
    "chart-marks-not-navigable": _chart_marks_cannot_be_focused,
}


def test_every_listed_issue_has_a_reproduction():
    assert {issue.key for issue in KNOWN_ISSUES} == set(REPRODUCTIONS)


@pytest.mark.parametrize("key", sorted(REPRODUCTIONS))
def test_listed_issue_is_still_reproducible(key: str, page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/trends")
    expect(page.locator(".chart-card .js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")
    REPRODUCTIONS[key](page)
    assert console_errors == []
