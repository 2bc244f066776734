"""axe-core (WCAG 2.0-2.2 A and AA rules) on every page and after the main interactions.

A test fails on any finding, whatever its impact, and prints rule, impact and the elements
involved. No rule is disabled and nothing is waived.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE_JS = str(resources.files("axe_playwright_python") / "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = (
    "/",
    "/trends",
    "/investment",
    "/compare",
    "/units",
    "/unit/northumbria",
    "/data",
    "/methods",
    "/accessibility",
    "/revisions",
)

# Every rule of the tags, none disabled and no finding waived.
RUN_AXE = """
async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return results.violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => ({target: node.target.join(" "), impact: node.impact})),
    }));
}
"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """axe is injected as a script tag, which the app's Content-Security-Policy would block."""
    return {**browser_context_args, "bypass_csp": True}


def wait_until_settled(page: Page) -> None:
    """The view is drawn and Dash has no callback in flight."""
    expect(page.locator("#page-content-container h1")).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    # Generous: plotly.js is large and the test machine may be busy.
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading]')", timeout=90_000
    )


def axe_findings(page: Page) -> list[dict]:
    """Every axe violation on the page as it is now."""
    wait_until_settled(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_JS)
    return page.evaluate(RUN_AXE, AXE_TAGS)


def report(findings: list[dict], where: str) -> str:
    lines = [f"{len(findings)} accessibility finding(s) on {where}:"]
    for finding in findings:
        lines.append(f"- {finding['id']} ({finding['impact']}): {finding['help']}")
        lines.extend(f"    {node['target']}" for node in finding["nodes"][:10])
        if len(finding["nodes"]) > 10:
            lines.append(f"    ... and {len(finding['nodes']) - 10} more")
    return "\n".join(lines)


def pick_option(page: Page, dropdown_id: str, text: str) -> None:
    """Choose an option of a Dash dropdown by typing its label, as a user would."""
    page.locator(f"#{dropdown_id}").click()
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    page.keyboard.type(text)
    # Enter picks the first option shown, so wait until the search has narrowed the list.
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_findings(path: str, page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}{path}")
    findings = axe_findings(page)
    assert findings == [], report(findings, path)
    assert console_errors == []


# At 320 CSS pixels (400% zoom of a 1280 px window, WCAG 1.4.10) wide tables must scroll in a
# box a keyboard can reach.
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_findings_at_320_pixels_wide(
    path: str, page: Page, live_server, console_errors
):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}{path}")
    findings = axe_findings(page)
    assert findings == [], report(findings, f"{path} at 320 px")
    assert console_errors == []


def test_no_findings_after_picking_a_unit_and_a_year(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/data")
    wait_until_settled(page)
    pick_option(page, "filters-unit-dropdown", "Northumbria")
    expect(page).to_have_url(re.compile(r"unit=northumbria"))
    findings = axe_findings(page)
    assert findings == [], report(findings, "/data after picking a unit")

    pick_option(page, "filters-year-dropdown", "2019/20")
    expect(page).to_have_url(re.compile(r"year=2019-20"))
    findings = axe_findings(page)
    assert findings == [], report(findings, "/data after changing the year")
    assert console_errors == []


def test_no_findings_once_the_profile_charts_are_drawn_in_view(
    page: Page, live_server, console_errors
):
    """The profile draws a chart when it is scrolled to: drawn late, it must still be named
    and reachable like one drawn at once."""
    page.goto(f"{live_server.url}/unit/northumbria")
    wait_until_settled(page)
    for card in page.locator("section.profile-card").all():
        card.scroll_into_view_if_needed()
    expect(page.locator(".profile-graph .js-plotly-plot .main-svg")).to_have_count(
        3, timeout=90_000
    )
    findings = axe_findings(page)
    assert findings == [], report(findings, "/unit/northumbria with its charts drawn")
    assert console_errors == []


@pytest.mark.parametrize("path", ["/investment", "/trends", "/compare"])
def test_no_findings_with_a_chart_shown_as_its_table(
    path: str, page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}{path}")
    wait_until_settled(page)
    switches = page.locator("[id*='chart-view-radio']")
    if switches.count() == 0:
        pytest.skip(f"{path} has no chart card yet")
    switches.first.get_by_label("Table").check()
    expect(page.locator("[id*='chart-data-table']").first).to_be_visible(timeout=60_000)
    findings = axe_findings(page)
    assert findings == [], report(findings, f"{path} with a chart as its table")
    assert console_errors == []


def test_no_findings_on_a_unit_map_filtered_by_unit_and_year(
    page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}/?unit=northumbria&unit=merseyside&year=2019-20")
    findings = axe_findings(page)
    assert findings == [], report(findings, "/ filtered by two units and a year")
    assert console_errors == []


def test_filter_dropdowns_are_named_by_their_labels_and_are_the_tab_stops(
    page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}/trends?year=2019-20")
    wait_until_settled(page)
    filters = page.get_by_role("region", name="Filters")
    for label, dropdown_id in (
        ("Units", "filters-unit-dropdown"),
        ("Financial year", "filters-year-dropdown"),
        ("Measure", "filters-measure-dropdown"),
    ):
        # The name starts with the visible label; the current value follows it.
        named = filters.get_by_role("button", name=re.compile(f"^{label}\\b"))
        expect(named).to_have_id(dropdown_id)
    expect(page.get_by_role("button", name="Financial year 2019/20")).to_be_visible()
    # Nothing focusable is hidden from assistive technology: Tab lands on the named buttons.
    assert page.locator("[aria-hidden=true][tabindex='0']").count() == 0
    page.locator("#filters-reset-button").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#filters-measure-dropdown")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#filters-year-dropdown")).to_be_focused()
    assert console_errors == []


def test_one_footer_named_maps_and_no_chart_toolbar_in_the_tab_order(
    page: Page, live_server, console_errors
):
    page.goto(f"{live_server.url}/?unit=northumbria")
    wait_until_settled(page)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    # The map library draws its canvas a moment after the figure arrives; one map, no inset.
    expect(page.locator("canvas.maplibregl-canvas")).to_have_count(1, timeout=60_000)
    main_map = "Map of England and Wales by police force area"
    expect(page.get_by_role("region", name=main_map)).to_be_attached(timeout=10_000)
    expect(page.locator("canvas[aria-label='Map']")).to_have_count(0)
    expect(page.locator(".modebar-btn").first).to_be_attached(timeout=60_000)
    expect(page.locator(".modebar-btn:not([tabindex='-1'])")).to_have_count(0)
    copy = page.get_by_role("button", name=re.compile("^Copy embed code")).first
    expect(copy).to_have_attribute("type", "button")
    assert console_errors == []
