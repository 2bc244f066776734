"""The main journeys with the keyboard only: Tab, Shift+Tab, Enter, Space and arrow keys.

Each step checks its effect and that the focused element shows a visible focus ring.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Describes the focused element and the width of its focus outline.
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0;
    return {
        tag: element.tagName,
        id: element.id,
        text: (element.textContent || "").trim(),
        href: element.getAttribute("href"),
        type: element.getAttribute("type"),
        value: element.value === undefined ? null : String(element.value),
        outline: outline,
    };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page: Page, matches, *, key: str = "Tab", limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"{key} never reached the element (last focus: {focused(page)})")


def assert_focus_ring(element: dict) -> None:
    assert element["outline"] >= 2, f"no visible focus ring on {element}"


def load(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#page-content-container h1")).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    page: Page, live_server, console_errors
):
    load(page, f"{live_server.url}/investment")
    page.keyboard.press("Tab")
    element = focused(page)
    assert element["text"] == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    assert_focus_ring(element)
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert console_errors == []


def test_navigation_by_keyboard_marks_the_current_page(page: Page, live_server, console_errors):
    load(page, f"{live_server.url}/investment")
    element = tab_until(page, lambda e: e["tag"] == "A" and e["href"] == "/compare")
    assert_focus_ring(element)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/compare$"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Compare")).to_have_attribute(
        "aria-current", "page", timeout=20_000
    )
    # Focus moves to the new page's heading, the tab is retitled and the change is announced.
    expect(page.locator("#main h1")).to_be_focused(timeout=20_000)
    expect(page).to_have_title("Compare · VRU dashboard")
    expect(page.locator("#page-announce-text")).to_have_text("Opened Compare")
    expect(nav.locator("[aria-current]")).to_have_count(1)
    # Back to a link earlier in the bar with Shift+Tab, and on to the data page.
    element = tab_until(page, lambda e: e["href"] == "/investment", key="Shift+Tab")
    assert_focus_ring(element)
    element = tab_until(page, lambda e: e["href"] == "/data")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Data and sources", timeout=20_000)
    expect(nav.get_by_role("link", name="Data and sources")).to_have_attribute(
        "aria-current", "page", timeout=20_000
    )
    assert console_errors == []


def test_filters_reset_and_chart_switch_work_from_the_keyboard(
    page: Page, live_server, console_errors
):
    load(page, f"{live_server.url}/investment")

    # Units: open with the arrow key, type to narrow the list, Enter picks, Escape closes.
    element = tab_until(page, lambda e: e["id"] == "filters-unit-dropdown")
    assert_focus_ring(element)
    page.keyboard.press("ArrowDown")
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    page.keyboard.type("Northumbria")
    # Enter picks the first option shown, so wait until the search has narrowed the list.
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"\?unit=northumbria$"))
    expect(page.locator("#filters-unit-dropdown")).to_be_focused()
    expect(page.locator("#filters-unit-dropdown")).to_contain_text("Northumbria")

    # Financial year: open with the arrow key, type to narrow the list, Enter picks it.
    element = tab_until(page, lambda e: e["id"] == "filters-year-dropdown")
    assert_focus_ring(element)
    page.keyboard.press("ArrowDown")
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    page.keyboard.type("2020/21")
    # As with the units, wait until the search has narrowed the list before Enter.
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"year=2020-21"))

    # Measure: open, move to another measure, Enter picks it.
    element = tab_until(page, lambda e: e["id"] == "filters-measure-dropdown")
    assert_focus_ring(element)
    page.keyboard.press("ArrowDown")
    # Opening moves the focus to the chosen measure's option: the arrow keys move it on only
    # from there (pressed sooner, on a loaded machine, Enter picked the measure already shown).
    options = "input.dash-options-list-option-checkbox"
    expect(page.locator(f"{options}:checked")).to_be_focused(timeout=20_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"{options}[value=reach_total]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"measure=\w+"), timeout=20_000)

    # Reset with Space: every filter back to its default, the link has no query.
    element = tab_until(page, lambda e: e["id"] == "filters-reset-button")
    assert_focus_ring(element)
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/investment$"))
    expect(page.locator("#filters-unit-dropdown")).to_contain_text("All units")

    # Chart/table switch: one radio group, the arrow key moves to 'Table'.
    element = tab_until(page, lambda e: e["type"] == "radio")
    assert_focus_ring(element)
    assert element["value"] == "chart"
    page.keyboard.press("ArrowRight")
    card = page.locator(".chart-card").first
    expect(card.locator("input[type=radio][value=table]")).to_be_focused()
    expect(card.locator("[id*='chart-data-table']")).to_be_visible()
    expect(card.locator("[id*='chart-figure-container']")).to_be_hidden()
    expect(card.locator("table")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(card.locator("[id*='chart-figure-container']")).to_be_visible()
    assert console_errors == []


def test_data_grid_is_one_tab_stop_that_sorts_and_filters_from_the_keyboard(
    page: Page, live_server, console_errors
):
    load(page, f"{live_server.url}/data")
    expect(page.locator("#data-count-text")).to_contain_text("figures are listed", timeout=20_000)
    element = tab_until(page, lambda e: e["text"] == "Unit")
    assert_focus_ring(element)
    # Enter on a heading sorts by it; the arrow key moves to the next heading.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("[role='columnheader'][col-id='metric_label']")).to_have_attribute(
        "aria-sort", "ascending"
    )
    # Down to the filter box under the heading, Enter to type in it.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.type("suspensions")
    page.keyboard.press("Escape")
    expect(page.locator(".ag-paging-row-summary-panel")).not_to_contain_text("393")
    rows = page.locator(".ag-center-cols-container [role='row']")
    expect(rows.first).to_contain_text("suspensions")
    # Tab leaves the grid at once, to its page-size control, instead of walking every cell.
    page.keyboard.press("ArrowDown")
    expect(page.locator(".ag-cell:focus")).to_have_count(1)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.ag-paging-panel') !== null")
    assert console_errors == []


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Map · VRU dashboard"),
        ("/unit/northumbria", "Northumbria VRU: profile · VRU dashboard"),
        ("/no-such-page", "Page not found · VRU dashboard"),
    ],
)
def test_each_page_has_its_own_title_and_keeps_focus_at_the_top_on_arrival(
    path: str, title: str, page: Page, live_server, console_errors
):
    load(page, f"{live_server.url}{path}")
    expect(page).to_have_title(title)
    # Opening a page directly does not move focus: the skip link is still the first Tab stop.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    # An unknown address is answered with status 404, which the browser logs; nothing else.
    assert [e for e in console_errors if "status of 404" not in e] == []
