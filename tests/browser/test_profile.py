"""The unit profile in headless Chromium: figures, lead, sources, map, not-found page, printing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard.geography import BOUNDARY_URL

pytestmark = pytest.mark.browser

# Plotly's bundle and the WebGL map are slow to start in headless Chromium without a GPU.
GRAPH_TIMEOUT = 90_000
# Callbacks answer within a second on an idle machine; allow for a busy one.
PAGE_TIMEOUT = 20_000


def _boundaries_served(page: Page, base_url: str) -> bool:
    return page.request.get(base_url + BOUNDARY_URL).status == 200


def _errors_without_missing_boundaries(errors: list[str], served: bool) -> list[str]:
    """While the boundary route is not registered the map's fetch fails; nothing else may."""
    if served:
        return errors
    return [e for e in errors if BOUNDARY_URL not in e]


def test_profile_shows_the_units_figures_lead_and_sources(page: Page, live_server, console_errors):
    served = _boundaries_served(page, live_server.url)
    page.goto(f"{live_server.url}/unit/northumbria")
    expect(page.locator("h1")).to_have_text("Northumbria Violence Reduction Unit")
    expect(page.locator(".profile-details")).to_contain_text("Steven Hume")
    expect(page.locator("#profile-figures-container table").first).to_be_visible(
        timeout=PAGE_TIMEOUT
    )
    expect(page.locator(".profile-details")).to_contain_text("Kim McGuinness")
    figures = page.locator("#profile-figures-container")
    knife = figures.locator("tr", has_text="Knife-enabled serious violence offences")
    expect(knife).to_contain_text("from 964 to 794")
    expect(knife).to_contain_text("APCC 2020, p. 13")
    expect(figures.locator("h3")).to_have_text(
        [
            "Funding",
            "Reach",
            "Outcomes",
            "Initiatives and activity",
            "Enforcement",
            "Organisation",
            "Context",  # the official tables' counts and populations behind the rates
        ]
    )
    expect(figures).to_contain_text("over £1.1m")  # the qualifier stays with the figure
    sources = page.locator("#profile-sources-container")
    expect(sources).to_contain_text("PCCs Making a Difference")
    expect(sources).to_contain_text("Gives the unit's leadership and model, p. 12")
    outcomes = page.locator("section.profile-card", has_text="Outcomes as reported")
    expect(outcomes.locator("p[aria-live]")).to_contain_text("from 964 to 794")
    assert _errors_without_missing_boundaries(console_errors, served) == []


def test_profile_chart_switches_to_its_table(page: Page, live_server, console_errors):
    served = _boundaries_served(page, live_server.url)
    page.goto(f"{live_server.url}/unit/northumbria")
    card = page.locator("section.profile-card", has_text="Funding history")
    expect(card.locator("p[aria-live]")).to_contain_text("10 funding figures", timeout=PAGE_TIMEOUT)
    card.get_by_label("Table").check()
    table = card.locator("table")
    expect(table).to_be_visible()
    grant = table.locator("tr", has_text="Home Office VRU grant").filter(has_text="2023/24")
    expect(grant).to_contain_text("£2,163,720")
    expect(card.locator(".profile-graph")).to_be_hidden()
    assert _errors_without_missing_boundaries(console_errors, served) == []


def test_profile_map_outlines_the_units_area(page: Page, live_server, console_errors):
    if not _boundaries_served(page, live_server.url):
        pytest.skip(f"{BOUNDARY_URL} is not served yet (the map work item registers the route)")
    page.goto(f"{live_server.url}/unit/wales")
    graph = page.locator("#profile-area-graph .js-plotly-plot")
    expect(graph).to_be_attached(timeout=GRAPH_TIMEOUT)
    outlined = graph.evaluate("g => g.data[3].locations")
    assert sorted(outlined) == ["W15000001", "W15000002", "W15000003", "W15000004"]
    expect(page.locator("#profile-area-text")).to_contain_text("police force areas:")
    assert console_errors == []


def test_an_unknown_unit_shows_not_found_with_a_way_back(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/unit/atlantis")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).to_contain_text("No unit is called 'atlantis'")
    expect(page.locator("main a").first).to_be_visible()
    # The unknown unit's address is answered with status 404, which the browser logs; nothing else.
    assert [e for e in console_errors if "status of 404" not in e] == []


def test_the_units_table_links_to_each_profile(page: Page, live_server, console_errors):
    served = _boundaries_served(page, live_server.url)
    page.goto(f"{live_server.url}/units")
    page.get_by_role("link", name="Northumbria Violence Reduction Unit").click()
    expect(page).to_have_url(re.compile(r"/unit/northumbria$"))
    expect(page.locator("h1")).to_have_text("Northumbria Violence Reduction Unit")
    assert _errors_without_missing_boundaries(console_errors, served) == []


def test_profile_prints_on_a4_without_the_controls(page: Page, live_server, console_errors):
    served = _boundaries_served(page, live_server.url)
    page.goto(f"{live_server.url}/unit/northumbria")
    expect(page.locator("#profile-sources-container li").first).to_be_visible(timeout=PAGE_TIMEOUT)
    for card in page.locator("section.profile-card").all():
        card.scroll_into_view_if_needed()  # a chart is drawn when it comes into view
    charts = page.locator(".profile-graph .js-plotly-plot")
    expect(charts).to_have_count(3, timeout=GRAPH_TIMEOUT)
    # Before printing, the charts are redrawn at the width of an A4 page, and after it they
    # fill the window again (a browser fires these events around printing; so does page.pdf).
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.profile-graph .js-plotly-plot')]"
        ".every(g => g._fullLayout.width <= 640)",
        timeout=GRAPH_TIMEOUT,
    )
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.profile-graph .js-plotly-plot')]"
        ".every(g => g._fullLayout.width > 640)",
        timeout=GRAPH_TIMEOUT,
    )
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".filters", ".profile-card fieldset"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#profile-figures-container")).to_be_visible()
    assert _errors_without_missing_boundaries(console_errors, served) == []
