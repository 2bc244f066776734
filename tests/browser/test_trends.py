"""The trends view in headless Chromium: topics opened one at a time, an area picked, the year
shaded, chart/table switch, no hidden tables, axe and the console clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WAIT = 120_000  # charts with twenty panels, on a shared (often busy) two-core machine
# The topic open at first, and its charts; the others are built only when their topic is chosen.
CHARTS = ("knife-rate-series",)
TOPICS = {
    "Knife offences (number)": ("knife-offences-series",),
    "School exclusions": ("school-exclusions", "suspension-rates"),
    "Changes the units reported": ("knife-change", "knife-before-after"),
    "Funding": ("funding-by-year",),
}


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


def _topic(page: Page, label: str) -> None:
    page.locator("#trends-topic-radio").get_by_text(label, exact=True).click()
    for chart in TOPICS[label]:
        expect(page.locator(part("chart-summary-text", chart))).not_to_have_text("", timeout=WAIT)


def test_trends_page_draws_only_the_open_topic_with_direct_labels(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/trends?unit=northumbria")
    expect(page.locator("h1")).to_have_text("Trends")
    expect(page.locator("h2")).to_have_count(1)
    graph = page.locator(part("chart-figure-graph", "knife-rate-series"))
    expect(graph.locator(".main-svg").first).to_be_visible(timeout=WAIT)
    # labelled where the lines end, no legend; the unit's start is marked
    for label in ("Northumbria", "England and Wales", "Unit starts"):
        expect(graph.locator(".annotation-text", has_text=label).first).to_be_attached()
    expect(graph.locator(".legend")).to_have_count(0)
    expect(page.locator(part("chart-summary-text", "knife-rate-series"))).to_contain_text(
        "Northumbria's latest knife offence rate"
    )
    # the other topics' charts are not in the page at all, and no table is built while hidden
    expect(page.locator(part("chart-figure-graph", "school-exclusions"))).to_have_count(0)
    assert page.locator("table").count() == 0
    assert page.evaluate("document.getElementsByTagName('*').length") < 1500
    _topic(page, "Knife offences (number)")
    expect(page.locator(part("chart-summary-text", "knife-offences-series"))).to_contain_text(
        "942 (year ending March 2019)"
    )
    expect(page.locator(part("chart-figure-graph", "knife-rate-series"))).to_have_count(0)
    assert console_errors == []


def test_exclusions_topic_compares_with_england_and_wales_says_why_it_has_none(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/trends?unit=wales")
    _topic(page, "School exclusions")
    summary = page.locator(part("chart-summary-text", "school-exclusions"))
    expect(summary).to_contain_text("England only")
    notes = page.locator(part("trends-notes-container", "school-exclusions"))
    expect(notes).to_contain_text("Welsh Government", timeout=WAIT)
    _open(page, f"{live_server.url}/trends?unit=kent")
    _topic(page, "School exclusions")
    expect(summary).to_contain_text("Kent's latest permanent exclusion rate", timeout=WAIT)
    graph = page.locator(part("chart-figure-graph", "school-exclusions"))
    expect(graph.locator(".annotation-text", has_text="England").first).to_be_attached(timeout=WAIT)
    assert console_errors == []


def test_all_areas_are_small_multiples_with_greater_manchester_explained(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/trends")
    summary = page.locator(part("chart-summary-text", "knife-rate-series"))
    expect(summary).to_contain_text("20 of 20 unit areas")
    expect(summary).to_contain_text("ONS gives no figure for Greater Manchester")
    graph = page.locator(part("chart-figure-graph", "knife-rate-series"))
    expect(graph.locator(".annotation-text", has_text="West Yorkshire")).to_have_count(1)
    # Twenty panels share one x axis per column and one y axis per row: the page stays under
    # the 1,500-element budget (2,918 when each panel had axes of its own).
    expect(graph.locator(".annotation-text", has_text="Avon and Somerset")).to_have_count(1)
    assert page.evaluate("document.getElementsByTagName('*').length") <= 1500
    assert graph.locator("clipPath.axesclip").count() < 60
    # the other topics' charts are not drawn until their topic is opened
    expect(page.locator(part("chart-figure-graph", "knife-offences-series"))).to_have_count(0)
    assert console_errors == []


def test_choosing_a_year_shades_it_and_keeps_only_that_years_funding(
    page: Page, live_server, console_errors
):
    _open(page, f"{live_server.url}/trends?unit=kent")
    _choose(page, "#filters-year-dropdown", "2020/21")
    expect(page).to_have_url(re.compile(r"year=2020-21"))
    graph = page.locator(part("chart-figure-graph", "knife-rate-series"))
    expect(
        graph.locator(".annotation-text", has_text="Shaded: financial year 2020/21")
    ).to_be_attached(timeout=WAIT)
    _topic(page, "Funding")
    funding = page.locator(part("chart-summary-text", "funding-by-year"))
    expect(funding).to_contain_text("financial year 2020/21", timeout=WAIT)
    assert console_errors == []


def test_a_chart_switches_to_its_table(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/trends?year=2020-21")
    _topic(page, "Funding")
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


def test_filtering_to_one_unit_narrows_the_reported_charts(page: Page, live_server, console_errors):
    _open(page, f"{live_server.url}/trends")
    _choose(page, "#filters-unit-dropdown", "Sussex Violence Reduction Partnership")
    expect(page).to_have_url(re.compile(r"unit=sussex"))
    _topic(page, "Changes the units reported")
    expect(page.locator(part("chart-summary-text", "knife-change"))).to_contain_text(
        "Sussex", timeout=WAIT
    )
    _topic(page, "Funding")
    notes = page.locator(part("trends-notes-container", "funding-by-year"))
    expect(notes).to_contain_text("multi-year total", timeout=WAIT)
    expect(notes).not_to_contain_text("London")
    assert console_errors == []


def test_small_multiples_are_two_to_a_row_on_a_phone(page: Page, live_server, console_errors):
    page.set_viewport_size({"width": 390, "height": 800})
    _open(page, f"{live_server.url}/trends")
    graph = page.locator(part("chart-figure-graph", "knife-rate-series"))

    def name_box(name: str) -> dict:
        label = graph.locator(".annotation-text", has_text=name)
        expect(label).to_have_count(1, timeout=WAIT)
        return label.bounding_box()

    # Cleveland, the third area, starts the second row under Avon and Somerset.
    expect(graph.locator(".annotation-text", has_text="Cleveland")).to_have_count(1, timeout=WAIT)
    page.wait_for_function(
        """() => {
            const names = [...document.querySelectorAll('.annotation-text')];
            const box = (n) => names.find((e) => e.textContent === n).getBoundingClientRect();
            return box('Cleveland').y > box('Avon and Somerset').y + 50;
        }""",
        timeout=WAIT,
    )
    first, second, third = (name_box(n) for n in ("Avon and Somerset", "Bedfordshire", "Cleveland"))
    assert abs(third["x"] - first["x"]) < 2
    assert second["y"] == first["y"]
    # the names of one row do not run into each other, and the chart fits the screen
    assert first["x"] + first["width"] < second["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []
