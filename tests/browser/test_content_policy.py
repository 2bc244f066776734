"""Under the strict Content-Security-Policy the app sends, nothing the app does is blocked.

Chromium fires `securitypolicyviolation` on the document for every blocked script, style,
image, worker or connection, and logs a console error; the page records the events from its
first script on, and the test reads them after each step.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BUSY = 30_000  # ms: the first callback of a page can take this long on a loaded 2-core machine
PAGES = [
    "/",
    "/trends",
    "/investment",
    "/compare",
    "/units",
    "/data",
    "/methods",
    "/revisions",
    "/unit/kent",
]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _violations(page: Page) -> list[str]:
    return page.evaluate("window.__violations || []")


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def _csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or "Content-Security" in e]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_runs_under_the_policy(path, watched: Page, live_server, console_errors):
    response = watched.goto(f"{live_server.url}{path}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(watched.locator("#page-content-container h1").first).to_be_visible(timeout=BUSY)
    watched.wait_for_load_state("networkidle")
    assert _violations(watched) == []
    assert _csp_errors(console_errors) == []


def test_a_filter_change_and_a_download_run_under_the_policy(
    watched: Page, live_server, console_errors
):
    response = watched.goto(f"{live_server.url}/investment")
    assert "object-src 'none'" in response.headers["content-security-policy"]
    card = watched.locator("section.chart-card").filter(has=watched.locator(".export-menu")).first
    expect(card.locator(".export-menu .dropdown-toggle")).to_be_visible(timeout=BUSY)
    watched.locator("#filters-unit-dropdown").click()
    watched.get_by_role("option", name="Northumbria Violence Reduction Unit", exact=True).click()
    watched.keyboard.press("Escape")
    expect(watched).to_have_url(re.compile(r"unit=northumbria"), timeout=BUSY)
    card.locator(".export-menu .dropdown-toggle").click()
    with watched.expect_download(timeout=60_000) as info:
        card.get_by_text("Data as CSV", exact=True).click()
    assert info.value.suggested_filename.endswith(".csv")
    watched.wait_for_load_state("networkidle")
    assert _violations(watched) == []
    assert _csp_errors(console_errors) == []


def test_an_embed_runs_under_the_policy(watched: Page, live_server, console_errors):
    response = watched.goto(f"{live_server.url}/embed/funding-by-year?year=2019-20")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(watched.locator("#embed-chart-title-text")).not_to_be_empty(timeout=BUSY)
    watched.wait_for_load_state("networkidle")
    assert _violations(watched) == []
    assert _csp_errors(console_errors) == []
