"""Downloads in headless Chromium: a chart's CSV and PNG, the view's slides, the embed code."""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pptx import Presentation

from dashboard import export, ids
from dashboard.charts import charts_for_view

pytestmark = pytest.mark.browser

VIEW = "/investment" if charts_for_view("investment") else "/trends"
BUSY = 30_000  # ms: the first callback of a page can take this long on a loaded 2-core machine


def _first_card(page: Page, live_server, query: str = ""):
    page.goto(f"{live_server.url}{VIEW}{query}")
    card = page.locator("section.chart-card").filter(has=page.locator(".export-menu")).first
    expect(card.locator(".export-menu .dropdown-toggle")).to_be_visible(timeout=BUSY)
    return card


def _download(page: Page, card, label: str, timeout: float = 120_000) -> Path:
    card.locator(".export-menu .dropdown-toggle").click()
    with page.expect_download(timeout=timeout) as info:
        card.get_by_text(label, exact=True).click()
    download = info.value
    path = Path(download.path())
    assert path.stat().st_size > 0
    return path.rename(path.with_name(download.suggested_filename))


def test_download_menu_gives_the_data_as_csv_with_the_filters_applied(
    page: Page, live_server, console_errors
):
    card = _first_card(page, live_server, "?year=2019-20")
    saved = _download(page, card, export.FORMATS["csv"].label)
    assert re.fullmatch(r"vru-[a-z0-9-]+-2019-20\.zip", saved.name)
    with zipfile.ZipFile(saved) as archive:
        names = sorted(archive.namelist())
        texts = {name: archive.read(name).decode("utf-8-sig") for name in names}
    table_name = next(n for n in names if not n.endswith("-metadata.csv"))
    metadata_name = table_name.removesuffix(".csv") + "-metadata.csv"
    header = next(csv.reader(io.StringIO(texts[table_name])))
    assert {"value_text", "qualifier", "citation"} <= set(header)  # the header is row 1
    metadata = dict(list(csv.reader(io.StringIO(texts[metadata_name])))[1:])
    assert "Financial year: 2019/20" in metadata["Filters"]
    assert metadata["Source"].startswith("Source")
    expect(card.locator("[role=status]").first).to_contain_text("Downloaded", timeout=BUSY)
    assert console_errors == []


def test_download_menu_gives_a_png_of_the_stated_size(page: Page, live_server, console_errors):
    card = _first_card(page, live_server)
    saved = _download(page, card, "PNG image, 1280 × 720 px")
    data = saved.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 720)
    assert saved.name.endswith("-1280x720.png")
    assert console_errors == []


def test_download_slides_gives_a_deck_of_the_view(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}{VIEW}")
    button = page.get_by_role("button", name=re.compile("Download slides"))
    expect(button).to_be_visible(timeout=BUSY)
    progress = page.locator(f"#{ids.EXPORT_SLIDES_PROGRESS}")
    expect(progress).to_be_hidden()
    with page.expect_download(timeout=180_000) as info:
        button.click()
        # Feedback at once, long before the deck is ready (it takes 5-30 s).
        expect(progress).to_be_visible(timeout=5_000)
        expect(progress).to_contain_text("Building the slides")
        expect(button).to_be_disabled(timeout=5_000)
    expect(progress).to_be_hidden(timeout=BUSY)
    expect(button).to_be_enabled()
    deck = Presentation(info.value.path())
    slides = list(deck.slides)
    assert slides[0].shapes.title.text.startswith("VRU briefing")
    assert slides[-1].shapes.title.text.startswith("Data caveats")
    assert info.value.suggested_filename.endswith(".pptx")
    expect(page.locator("#export-slides-notice")).to_contain_text("slides")
    assert console_errors == []


def test_slides_button_is_hidden_on_pages_without_charts(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/units")
    expect(page.locator("#units-overview-table")).to_be_visible(timeout=BUSY)
    expect(page.locator("#export-slides-container")).to_be_hidden()
    assert console_errors == []


def test_embed_code_is_shown_and_copied_with_the_current_filters(
    page: Page, live_server, console_errors
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    card = _first_card(page, live_server, "?year=2019-20")
    card.locator(".export-menu .dropdown-toggle").click()
    card.get_by_text("Show embed code (HTML)").click()
    code = card.locator("textarea")
    expect(code).to_have_value(
        re.compile(r'^<iframe src="http://127\.0\.0\.1:\d+/embed/[a-z-]+'), timeout=BUSY
    )
    expect(code).to_have_value(re.compile(r"year=2019-20"))
    card.get_by_text("Copy embed code").click()
    expect(card.locator("[role=status]").first).to_contain_text("Embed code copied", timeout=BUSY)
    # dcc.Clipboard writes once the callback's code has arrived: wait for it.
    page.wait_for_function(
        "async () => (await navigator.clipboard.readText()).startsWith('<iframe')", timeout=BUSY
    )
    assert "/embed/" in page.evaluate("navigator.clipboard.readText()")
    assert console_errors == []


def test_a_profile_chart_downloads_for_its_unit(page: Page, live_server, console_errors):
    page.goto(f"{live_server.url}/unit/merseyside")
    card = page.locator("section.chart-card").filter(has=page.locator(".export-menu")).first
    expect(card.locator(".export-menu .dropdown-toggle")).to_be_visible(timeout=BUSY)
    saved = _download(page, card, "Data as Excel (XLSX)")
    assert saved.name.endswith("-merseyside.xlsx")
    cover = {row[0]: row[1] for row in load_workbook(saved)["Cover"].iter_rows(values_only=True)}
    assert "Units: Merseyside" in cover["Filters"]
    assert console_errors == []
