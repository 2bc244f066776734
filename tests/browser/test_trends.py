"""The trends view in headless Chromium: load, change the year, chart/table switch, one unit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WAIT = 120_000  # six charts, some with many panels, on a shared (often busy) two-core machine
CHARTS = (
    "knife-change",
    "knife-before-after",
    "knife-offences-series",
    "knife-rate-series",
    "school-exclusions",
    "funding-by-year",
)


def part(kind: str, chart: str) -> str:
    """CSS selector of one chart's part: its id is "<kind>-<chart>" (dashboard/ids.py)."""
    return f"[id='{kind}-{chart}']"


def _open(page: Page, url: str) -> None:
    page.goto(url)
    for chart in CHARTS:
        expect(page.locator(part("chart-summary-text", chart))).not_to_have_text("", timeout=WAIT)


def _choose(page: Page, dropdown: str, option: str) -> None:
    page.locator(dropdown).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_trends_page_shows_every_chart_with_its_words(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/trends")
    expect(page.locator("h1")).to_have_text("Trends")
    expect(page.locator("h2")).to_have_count(len(CHARTS))
    for chart in CHARTS:
        expect(page.locator(part("chart-subtitle-text", chart))).to_contain_text(" · ")
        expect(page.locator(part("chart-source-text", chart))).to_contain_text("Source")
        expect(page.locator(f"{part('chart-figure-graph', chart)} .main-svg").first).to_be_visible(
            timeout=WAIT
        )
    notes = page.locator(part("trends-notes-container", "school-exclusions"))
    expect(notes).to_contain_text(
        "shown only as a chart in APCC 2020 p. 7, values not published", timeout=WAIT
    )
    assert console_errors == []


def test_choosing_a_year_shades_it_and_keeps_only_that_years_funding(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/trends")
    funding = page.locator(part("chart-summary-text", "funding-by-year"))
    expect(funding).to_contain_text("across all years")
    _choose(page, "#filters-year-dropdown", "2020/21")
    expect(page).to_have_url(re.compile(r"year=2020-21"))
    expect(funding).to_contain_text("financial year 2020/21", timeout=WAIT)
    series = page.locator(part("chart-summary-text", "knife-offences-series"))
    expect(series).to_contain_text("2020/21 (shaded)", timeout=WAIT)
    legend = page.locator(f"{part('chart-figure-graph', 'knife-offences-series')} .legend")
    expect(legend).to_contain_text("Shaded: financial year 2020/21", timeout=WAIT)
    assert console_errors == []


def test_a_chart_switches_to_its_table(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/trends?year=2020-21")
    table = page.locator(part("chart-data-table", "funding-by-year"))
    expect(table).to_be_hidden()
    card = page.locator("section.chart-card").filter(has=table)
    card.get_by_label("Table").check()
    expect(table).to_be_visible()
    expect(page.locator(part("chart-figure-container", "funding-by-year"))).to_be_hidden()
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("2020/21")
    assert rows.count() >= 10
    expect(table).to_contain_text("over £1.1m")
    assert console_errors == []


def test_filtering_to_one_unit_narrows_every_chart(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/trends")
    _choose(page, "#filters-unit-dropdown", "Sussex Violence Reduction Partnership")
    expect(page).to_have_url(re.compile(r"unit=sussex"))
    expect(page.locator(part("chart-summary-text", "knife-change"))).to_contain_text(
        "Sussex", timeout=WAIT
    )
    funding = page.locator(part("chart-summary-text", "funding-by-year"))
    expect(funding).to_contain_text("Sussex", timeout=WAIT)
    notes = page.locator(part("trends-notes-container", "funding-by-year"))
    expect(notes).to_contain_text("multi-year total", timeout=WAIT)
    expect(notes).not_to_contain_text("London")
    assert console_errors == []
