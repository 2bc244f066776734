"""The data, methods and accessibility pages in Chromium: grid, filters, CSV download, counts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard import catalogue

pytestmark = pytest.mark.browser


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#page-content-container h1")).to_be_visible(timeout=20_000)


def test_grid_lists_every_figure_with_its_source(
    page: Page, live_server, real_store, console_errors
):
    total = len(real_store.observations)
    open_page(page, f"{live_server.url}/data")
    expect(page.locator("#data-count-text")).to_have_text(
        f"All {total} figures are listed.", timeout=20_000
    )
    # The grid writes the count with a thousands separator.
    expect(page.locator(".ag-paging-row-summary-panel")).to_contain_text(f"{total:,}")
    first_row = page.locator(".ag-center-cols-container [role='row']").first
    expect(first_row).to_contain_text("Avon and Somerset")
    # Official figures link to the page they were read from.
    links = page.locator(".ag-center-cols-container [col-id='location'] a")
    expect(links.first).to_have_attribute("href", re.compile(r"^https?://"))
    # A page of the grid, not every figure nor the sources list: within the element budget.
    assert page.evaluate("document.getElementsByTagName('*').length") <= 1500
    assert console_errors == []


def test_grid_follows_the_unit_and_year_filters(
    page: Page, live_server, real_store, console_errors
):
    expected = catalogue.observation_rows(
        real_store.observations, real_store.sources, units=("northumbria",), year="2019-20"
    )
    open_page(page, f"{live_server.url}/data?unit=northumbria&year=2019-20")
    count = page.locator("#data-count-text")
    expect(count).to_contain_text(
        f"{len(expected)} of {len(real_store.observations)} figures", timeout=20_000
    )
    rows = page.locator(".ag-center-cols-container [role='row']")
    expect(rows).to_have_count(len(expected))
    for index in range(len(expected)):
        expect(rows.nth(index)).to_contain_text("Northumbria")
    # Clearing the filters brings every figure back.
    page.get_by_role("button", name="Reset filters").click()
    expect(count).to_contain_text("All")
    assert console_errors == []


def test_the_rows_are_fetched_once_and_the_filters_only_pick(
    page: Page, live_server, real_store, console_errors
):
    """A change of filter shows its figures without sending the 3,000-odd rows again."""
    fetched: list[str] = []
    page.on(
        "request", lambda request: fetched.append(request.url) if "/_grid/" in request.url else None
    )
    open_page(page, f"{live_server.url}/data")
    count = page.locator("#data-count-text")
    expect(count).to_contain_text("All", timeout=20_000)
    expect(page.locator(".ag-center-cols-container [role='row']").first).to_be_visible()
    page.locator("#filters-unit-dropdown").click()
    page.keyboard.type("Kent")
    page.keyboard.press("Enter")
    kent = catalogue.observation_rows(real_store.observations, real_store.sources, units=("kent",))
    expect(count).to_contain_text(f"{len(kent)} of {len(real_store.observations)} figures")
    expect(page.locator(".ag-paging-row-summary-panel")).to_contain_text(f"of {len(kent)}")
    expect(page.locator(".ag-center-cols-container [role='row']").first).to_contain_text("Kent")
    assert fetched == [f"{live_server.url}/_grid/{real_store.fingerprint}.json"]
    assert console_errors == []


def test_rows_that_cannot_be_fetched_are_said_so_not_shown_as_no_figures(
    page: Page, live_server, console_errors
):
    page.route("**/_grid/*.json", lambda route: route.fulfill(status=500, body="down"))
    open_page(page, f"{live_server.url}/data")
    expect(page.locator("#data-grid-problem")).to_have_text(
        "The figures could not be loaded. Reload the page to try again.", timeout=20_000
    )
    expect(page.locator("#data-grid-problem")).to_have_attribute("role", "alert")
    # The browser logs the failed request itself; nothing else went wrong.
    assert all("500" in message for message in console_errors)


def test_csv_download_has_the_rows_shown(page: Page, live_server, real_store, console_errors):
    expected = catalogue.observation_rows(
        real_store.observations, real_store.sources, units=("sussex",)
    )
    open_page(page, f"{live_server.url}/data?unit=sussex")
    expect(page.locator("#data-count-text")).to_contain_text(f"{len(expected)} of", timeout=20_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    download = info.value
    assert download.suggested_filename == "vru-figures.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert sorted(row["obs_id"] for row in rows) == sorted(expected["obs_id"])
    assert {row["unit_id"] for row in rows} == {"sussex"}
    assert any(row["qualifier"] != "exact" and row["value_text"] for row in rows)
    assert console_errors == []


def test_csv_download_keeps_the_grids_own_filter(
    page: Page, live_server, real_store, console_errors
):
    open_page(page, f"{live_server.url}/data")
    page.get_by_role("textbox", name=re.compile("Measure Filter Input")).fill("suspensions")
    expect(page.locator(".ag-paging-row-summary-panel")).not_to_contain_text(
        f" {len(real_store.observations):,}", timeout=20_000
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows
    assert all("suspension" in row["metric_label"].lower() for row in rows)
    assert console_errors == []


def test_sources_list_counts_figures_per_source(
    page: Page, live_server, real_store, console_errors
):
    open_page(page, f"{live_server.url}/data")
    # The list is built when asked for, so the page opens light.
    expect(page.locator("#data-sources-table")).to_have_count(0)
    page.get_by_role("button", name=f"List the {len(real_store.sources)} sources").click()
    rows = page.locator("#data-sources-table tbody tr")
    expect(rows).to_have_count(len(real_store.sources), timeout=20_000)
    apcc = page.locator("#data-sources-table tr[data-source='apcc_2020']")
    count = int((real_store.observations["source_id"] == "apcc_2020").sum())
    expect(apcc.locator("td").last).to_have_text(str(count))
    assert console_errors == []


def test_methods_page_quotes_counts_from_the_data(
    page: Page, live_server, real_store, console_errors
):
    counts = catalogue.method_counts(real_store.observations, real_store.sources, real_store.units)
    open_page(page, f"{live_server.url}/methods")
    main = page.locator("#main")
    expect(main).to_contain_text(f"holds {counts.figures} figures")
    expect(main).to_contain_text(f"{counts.chart_only} figures appear in their source only")
    expect(page.get_by_role("heading", level=2)).to_have_count(12)
    footer_nav = page.get_by_role("navigation", name="About this site")
    expect(footer_nav.get_by_role("link", name="Methods and data quality")).to_have_attribute(
        "aria-current", "page", timeout=20_000
    )
    assert console_errors == []


def test_nav_marks_only_the_current_page(page: Page, live_server, console_errors):
    open_page(page, f"{live_server.url}/data")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Data and sources")).to_have_attribute(
        "aria-current", "page", timeout=20_000
    )
    nav.get_by_role("link", name="Units").click()
    expect(page.locator("h1")).to_contain_text("Violence Reduction Units")
    expect(nav.get_by_role("link", name="Units")).to_have_attribute(
        "aria-current", "page", timeout=20_000
    )
    expect(nav.locator("[aria-current]")).to_have_count(1)
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.locator("h1")).to_have_text("Accessibility statement")
    expect(nav.locator("[aria-current]")).to_have_count(0)
    assert console_errors == []


def test_data_page_links_the_whole_package_and_the_api(
    page: Page, live_server, real_store, console_errors, tmp_path: Path
):
    """The 'everything at once' link downloads the Data Package; the API link answers JSON."""
    open_page(page, f"{live_server.url}/data")
    package = page.get_by_role("link", name=re.compile("Data Package"))
    expect(package).to_be_visible()
    with page.expect_download() as download_info:
        package.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name.endswith(".zip")
    import zipfile

    with zipfile.ZipFile(saved) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert {"datapackage.json", "observations.csv", "units.csv"} <= names
    api = page.get_by_role("link", name=re.compile("open data API"))
    answer = page.request.get(live_server.url + api.get_attribute("href"))
    assert answer.ok and answer.json()["openapi"].startswith("3.")
    assert console_errors == []
