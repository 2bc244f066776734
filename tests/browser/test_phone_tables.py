"""Tables on a 390 px phone: the data grid's figure column is on screen, no raw addresses."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PAGE_TIMEOUT = 60_000
PHONE = {"width": 390, "height": 844}


def test_data_grid_shows_figures_on_a_phone(page: Page, live_server, console_errors):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/data")
    header = page.locator(".ag-header-cell", has_text="Figure").first
    expect(header).to_be_visible(timeout=PAGE_TIMEOUT)
    expect(page.locator(".ag-row").first).to_be_visible(timeout=PAGE_TIMEOUT)
    box = header.bounding_box()
    assert box is not None and box["x"] + box["width"] / 2 < PHONE["width"]
    cell = page.locator(".ag-row").first.locator("[col-id='value']")
    cell_box = cell.bounding_box()
    assert cell_box is not None and cell_box["x"] + 20 < PHONE["width"]
    assert cell.inner_text().strip()
    assert console_errors == []


def test_units_table_cells_name_sources_not_web_addresses(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/units")
    table = page.locator("#units-overview-table")
    expect(table.locator("tbody tr").first).to_be_visible(timeout=PAGE_TIMEOUT)
    assert "http" not in table.inner_text()
    assert "up_to" not in table.inner_text() and "itv_news" not in table.inner_text()
    assert console_errors == []
