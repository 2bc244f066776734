"""The compare view in headless Chromium: a unit against the others, and what cannot be compared."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Plotly's bundle is slow to start in headless Chromium on a busy two-core machine.
GRAPH_TIMEOUT = 90_000
# Callbacks answer within a second on an idle machine; allow for a busy one.
PAGE_TIMEOUT = 20_000


def _card(page: Page):
    return page.locator("section.chart-card", has_text="One unit against the others")


def test_compare_shows_the_unit_against_the_others(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/compare?unit=northumbria")
    expect(page.locator("#compare-focus-text")).to_contain_text(
        "Comparing Northumbria Violence Reduction Unit with every other unit", timeout=PAGE_TIMEOUT
    )
    card = _card(page)
    expect(card.locator("p[aria-live]")).to_contain_text(
        "can be compared on 6 measure-and-period pairs", timeout=GRAPH_TIMEOUT
    )
    graph = card.locator(".js-plotly-plot")
    expect(graph).to_be_attached(timeout=GRAPH_TIMEOUT)
    names = graph.evaluate("g => g.data.map(t => t.name)")
    assert "Northumbria Violence Reduction Unit" in names and "Other units" in names
    # The panel headings carry the period, and the card grows with the panels.
    titles = graph.evaluate("g => g.layout.annotations.map(a => a.text).join(' ')")
    assert "Home Office VRU grant · 2023/24" in titles
    assert graph.evaluate("g => g.getBoundingClientRect().height") > 1000
    unmatched = page.locator("#compare-unmatched-container")
    knife = unmatched.locator("tr", has_text="Knife-enabled serious violence offences")
    expect(knife).to_contain_text("from 964 to 794")
    expect(knife).to_contain_text("no dates")
    assert console_errors == []


def test_compare_table_lists_national_totals_as_not_drawn(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/compare?unit=northumbria")
    card = _card(page)
    expect(card.locator("p[aria-live]")).to_contain_text("can be compared", timeout=GRAPH_TIMEOUT)
    card.get_by_label("Table").check()
    national = card.locator("table tr", has_text="National programme").first
    # The table is built when it is first shown: on a loaded machine that takes seconds.
    expect(national).to_contain_text("listed but not drawn", timeout=GRAPH_TIMEOUT)
    assert console_errors == []


def test_compare_without_a_unit_offers_one_to_pick(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/compare")
    focus = page.locator("#compare-focus-text")
    expect(focus).to_contain_text("No unit is chosen", timeout=PAGE_TIMEOUT)
    focus.get_by_role("link", name="Merseyside Violence Reduction Partnership").click()
    expect(page).to_have_url(re.compile(r"/compare\?unit=merseyside$"))
    expect(focus).to_contain_text(
        "Comparing Merseyside Violence Reduction Partnership", timeout=PAGE_TIMEOUT
    )
    expect(page.locator("#compare-unmatched-container")).to_contain_text("cannot be set beside")
    assert console_errors == []
