"""The investment view in headless Chromium: reach type from the measure, year, table, one unit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.charts.investment import gaps_table
from dashboard.selection import Selection
from tests.browser.test_trends import WAIT, part

pytestmark = pytest.mark.browser

CHARTS = ("funding-reach-scatter", "funding-per-person")


def _open(page: Page, url: str) -> None:
    page.goto(url)
    for chart in CHARTS:
        expect(page.locator(part("chart-summary-text", chart))).not_to_have_text("", timeout=WAIT)


def _choose(page: Page, dropdown: str, option: str) -> None:
    page.locator(dropdown).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def _gaps(page: Page):
    return page.locator(part("investment-notes-container", "gaps"))


def test_investment_page_shows_both_charts_and_the_units_left_out(
    page: Page, live_server, real_store, console_errors
):
    _open(page, f"{live_server.url}/investment")
    expect(page.locator("h1")).to_have_text("Investment against reach")
    summary = page.locator(part("chart-summary-text", "funding-per-person"))
    expect(summary).to_contain_text("every reach type")
    rows = _gaps(page).locator("tbody tr")
    expect(rows.first).to_be_visible(timeout=WAIT)
    assert rows.count() == len(gaps_table(real_store, Selection()))
    expect(_gaps(page)).to_contain_text("Essex Violence and Vulnerability Unit")
    expect(_gaps(page)).to_contain_text("periods differ")
    assert console_errors == []


def test_the_measure_chooses_the_reach_type_and_lives_in_the_link(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/investment")
    _choose(page, "#filters-measure-dropdown", "People reached (targeted)")
    expect(page).to_have_url(re.compile(r"measure=reach_targeted"))
    subtitle = page.locator(part("chart-subtitle-text", "funding-per-person"))
    expect(subtitle).to_contain_text("targeted reach", timeout=WAIT)
    summary = page.locator(part("chart-summary-text", "funding-per-person"))
    expect(summary).to_contain_text("Merseyside at at least £581", timeout=WAIT)
    assert console_errors == []


def test_changing_the_year_changes_the_charts(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/investment")
    summary = page.locator(part("chart-summary-text", "funding-reach-scatter"))
    expect(summary).to_contain_text("across all periods")
    _choose(page, "#filters-year-dropdown", "2019/20")
    expect(page).to_have_url(re.compile(r"year=2019-20"))
    expect(summary).to_contain_text("financial year 2019/20", timeout=WAIT)
    expect(summary).not_to_contain_text("London")
    assert console_errors == []


def test_the_cost_per_person_chart_switches_to_its_table(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/investment")
    table = page.locator(part("chart-data-table", "funding-per-person"))
    card = page.locator("section.chart-card").filter(has=table)
    card.get_by_label("Table").check()
    # The table is built when first shown: seconds on a loaded machine.
    expect(table).to_be_visible(timeout=20_000)
    expect(table.locator("thead")).to_contain_text("Funding measure")
    expect(table).to_contain_text("Invested in interventions")
    expect(table).to_contain_text("up to £2,545")
    assert table.locator("tbody tr").count() >= 18
    assert console_errors == []


def test_filtering_to_one_unit_shows_its_ratio(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/investment")
    _choose(page, "#filters-unit-dropdown", "Northumbria Violence Reduction Unit")
    expect(page).to_have_url(re.compile(r"unit=northumbria"))
    summary = page.locator(part("chart-summary-text", "funding-per-person"))
    expect(summary).to_contain_text("Northumbria at £251", timeout=WAIT)
    expect(_gaps(page)).to_contain_text("Every chosen unit has a comparable pair", timeout=WAIT)
    assert console_errors == []
