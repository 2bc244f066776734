"""The map (home page) in headless Chromium: words, clicks, patches, keyboard, profile link."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Response, expect

pytestmark = pytest.mark.browser

GRAPH = "#map-area-graph .js-plotly-plot"
WEST_MIDLANDS = (-1.9, 52.48)  # a point well inside the West Midlands force area


def _open_map(page: Page, url: str) -> None:
    """Load a map URL and wait until MapLibre has drawn the figure."""
    page.goto(url)
    page.wait_for_function(
        """(sel) => { const gd = document.querySelector(sel);
            return gd && gd.data && gd.data.length === 4 && gd._fullLayout.map
                && gd._fullLayout.map._subplot.map.loaded(); }""",
        arg=GRAPH,
        timeout=30_000,
    )


def _trace(page: Page, index: int, prop: str) -> list:
    return page.evaluate(
        "([sel, i, p]) => Array.from(document.querySelector(sel).data[i][p] || [])",
        [GRAPH, index, prop],
    )


def _screen_point(page: Page, lon: float, lat: float) -> tuple[float, float]:
    """Where a longitude/latitude is on screen in the main map (MapLibre's own projection)."""
    page.locator("#map-area-graph").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([sel, lon, lat]) => {
            const m = document.querySelector(sel)._fullLayout.map._subplot.map;
            const p = m.project([lon, lat]); const r = m.getCanvas().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }""",
        [GRAPH, lon, lat],
    )
    return x, y


def _choose(page: Page, dropdown: str, option: str) -> None:
    page.locator(dropdown).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def test_map_page_has_title_words_headlines_and_a_table(page: Page, live_server, console_errors):
    _open_map(page, f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Violence Reduction Units across England and Wales")
    expect(page.locator("#map-title-text")).to_have_text(
        "Home Office VRU funding by police force area"
    )
    expect(page.locator("#map-subtitle-text")).to_contain_text("43 police force areas")
    expect(page.locator("#map-summary-text")).to_contain_text("18 of 18 VRU units")
    expect(page.locator("#map-source-text")).to_contain_text("Source:")
    expect(page.get_by_text("Boundaries: Office for National Statistics")).to_be_visible()
    headlines = page.locator("#map-headline-container")
    expect(headlines).to_contain_text("18 of 18")
    expect(headlines).to_contain_text("Home Office VRU grant, 2020/21")
    expect(headlines).to_contain_text("at least £")
    page.get_by_role("radio", name="Table").check()
    rows = page.locator("#map-table-container tbody tr")
    expect(rows).to_have_count(20), "every unit, with what it has where it has no figure"
    expect(page.locator("#map-area-container")).to_be_hidden()
    page.get_by_role("radio", name="Chart").check()
    expect(page.locator("#map-area-container")).to_be_visible()
    assert console_errors == []


def test_clicking_an_area_selects_its_unit_everywhere(page: Page, live_server, console_errors):
    _open_map(page, f"{live_server.url}/")
    page.mouse.click(*_screen_point(page, *WEST_MIDLANDS))
    expect(page).to_have_url(re.compile(r"\?unit=west_midlands$"))
    expect(page.locator("#filters-unit-dropdown")).to_contain_text(
        "West Midlands Violence Reduction Unit"
    )
    expect(page.locator("#map-headline-container")).to_contain_text(
        "West Midlands Violence Reduction Unit"
    )
    page.wait_for_function(
        "(sel) => document.querySelector(sel).data[3].locations.length === 1", arg=GRAPH
    )
    assert _trace(page, 3, "locations") == ["E23000014"], "the selected force is outlined"
    assert console_errors == []


def test_measure_and_year_changes_patch_only_the_values(page: Page, live_server, console_errors):
    _open_map(page, f"{live_server.url}/")
    before = _trace(page, 2, "z")
    responses: list[Response] = []

    def keep_map_responses(response: Response) -> None:
        if "_dash-update-component" in response.url and b'"map-area-graph"' in response.body():
            responses.append(response)

    page.on("response", keep_map_responses)
    _choose(page, "#filters-measure-dropdown", "Young people reached")
    page.wait_for_function(
        "(sel) => document.querySelector(sel).layout.coloraxis.colorbar.title.text === 'People'",
        arg=GRAPH,
    )
    expect(page.locator("#map-title-text")).to_have_text(
        "Young people reached by police force area"
    )
    after_measure = _trace(page, 2, "z")
    assert after_measure != before
    assert after_measure == [10350.0], "one year (2023/24): only Avon and Somerset states it"
    assert 185_000 not in after_measure, "Merseyside's cumulative figure is never coloured"

    _choose(page, "#filters-year-dropdown", "2020/21")
    expect(page).to_have_url(re.compile(r"year=2020-21"))
    page.wait_for_function(
        "(sel) => document.querySelector(sel).data[2].z[0] === 2750",
        arg=GRAPH,
    )
    assert _trace(page, 2, "z") == [2750.0], "only London states young people for 2020/21"

    page.wait_for_timeout(300)
    assert len(responses) == 2
    for response in responses:
        body = response.body()
        payload = json.loads(body)["response"]["map-area-graph"]["figure"]
        assert payload.get("__dash_patch_update"), "a patch, not a new figure"
        assert b"coordinates" not in body and b"geojson" not in body
        on_the_wire = response.request.sizes()["responseBodySize"]
        assert on_the_wire < 2048, f"{on_the_wire} bytes sent for a measure or year change"
    assert console_errors == []


def test_a_unit_profile_opens_from_the_map(page: Page, live_server, console_errors):
    _open_map(page, f"{live_server.url}/?unit=wales")
    link = page.get_by_role("link", name="Open Wales Violence Prevention Unit profile")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/unit/wales$"))
    expect(page.locator("h1")).to_contain_text("Wales")
    assert console_errors == []


def test_a_unit_can_be_picked_with_the_keyboard(page: Page, live_server, console_errors):
    _open_map(page, f"{live_server.url}/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "filters-unit-dropdown":
            break
    else:
        pytest.fail("the unit picker cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.keyboard.type("Kent")
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"\?unit=kent$"))
    expect(page.locator("#map-headline-container")).to_contain_text(
        "Kent and Medway Violence Reduction Unit"
    )
    page.wait_for_function(
        "(sel) => document.querySelector(sel).data[3].locations.length === 1", arg=GRAPH
    )
    assert _trace(page, 3, "locations") == ["E23000032"]
    assert console_errors == []
