"""Profile cards settle inside themselves: no empty plot overflowing over tables and sources."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SETTLE_TIMEOUT = 60_000
LOADS_PER_UNIT = 10  # 20 loads in all, as the issue asks

# Every card is settled: its body is hidden (nothing to draw) or its graph has been drawn.
SETTLED = """() => {
    const cards = [...document.querySelectorAll("section.profile-card")];
    return cards.length >= 3 && cards.every((card) => {
        const body = card.querySelector("[id^='profile-body-container']");
        if (body && body.hidden) return true;
        const plot = card.querySelector(".js-plotly-plot");
        return plot && plot._fullLayout && plot.querySelector(".main-svg");
    });
}"""

# For each card: how far its graph reaches below the card's bottom edge (px), and whether an
# empty card still shows a download menu or a plot.
MEASURE = """() => [...document.querySelectorAll("section.profile-card")].map((card) => {
    const box = card.getBoundingClientRect();
    const body = card.querySelector("[id^='profile-body-container']");
    const graph = card.querySelector(".js-plotly-plot");
    const hidden = body && body.hidden;
    const reach = graph && !hidden ? graph.getBoundingClientRect().bottom - box.bottom : 0;
    const tools = card.querySelector(".export-menu");
    return {
        title: card.querySelector("h2").textContent,
        overflow: reach,
        emptyShowsTools: !!(hidden && tools && tools.offsetParent !== null),
    };
})"""


@pytest.mark.parametrize("unit", ["leicestershire", "lancashire"])
def test_profile_cards_contain_their_graphs_on_repeated_loads(
    page: Page, live_server, console_errors, unit
):
    for _ in range(LOADS_PER_UNIT):
        page.goto(f"{live_server.url}/unit/{unit}")
        page.wait_for_function(SETTLED, timeout=SETTLE_TIMEOUT)
        page.wait_for_timeout(300)  # a late resize would show here
        for card in page.evaluate(MEASURE):
            assert card["overflow"] <= 1, card
            assert not card["emptyShowsTools"], card
    assert console_errors == []


def test_an_empty_profile_chart_is_one_line_without_download_or_embed(
    page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}/unit/leicestershire")
    page.wait_for_function(SETTLED, timeout=SETTLE_TIMEOUT)
    card = page.locator("section.profile-card", has_text="People reached")
    assert card.locator("p[aria-live]").inner_text() == (
        "No people reached figures for this unit; see the sources below."
    )
    assert not card.locator(".js-plotly-plot").is_visible()
    assert not card.get_by_text("Copy embed code").is_visible()
    assert not card.get_by_role("button", name="Download").is_visible()
    assert console_errors == []
