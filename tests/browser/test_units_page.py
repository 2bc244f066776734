"""The units overview in headless Chromium: load, filter to a unit, follow a link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_page_lists_all_units_with_their_figures(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/units")
    rows = page.locator("#units-overview-table tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("#units-summary-text")).to_contain_text("Showing 20 of 20 units")
    assert console_errors == []


def test_filtering_to_one_unit_shows_its_figures_and_updates_the_link(
    page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}/units")
    expect(page.locator("#units-overview-table tbody tr")).to_have_count(20)
    page.locator("#filters-unit-dropdown").click()
    page.keyboard.type("Northumbria")
    # Enter picks the first option shown, so wait until the search has narrowed the list.
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    rows = page.locator("#units-overview-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Northumbria")
    expect(rows.first).to_contain_text("APCC 2020, p. 1")
    expect(page).to_have_url(re.compile(r"\?unit=northumbria$"))
    assert console_errors == []


def test_a_copied_link_reopens_the_filtered_view(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/units?unit=merseyside&unit=atlantis")
    rows = page.locator("#units-overview-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Merseyside")
    expect(page.locator("#page-url-notice")).to_contain_text("Unknown unit 'atlantis'")
    assert console_errors == []
