"""Embedding in headless Chromium: an /embed/ page shows inside another site's frame; the
dashboard's own pages refuse to be framed. The "other site" is a tiny page served from a second
loopback server, which is a different origin (another port)."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.charts import CHARTS
from dashboard.config import Settings
from dashboard.factory import create_app
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

A_CHART = "funding-per-person" if "funding-per-person" in CHARTS else next(iter(CHARTS))
REFUSALS = ("frame-ancestors", "X-Frame-Options")
BUSY = 30_000  # ms: the first callback of a page can take this long on a loaded 2-core machine


class FrameHost:
    """Another origin: serves HTML pages that frame the dashboard."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.folder = folder
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def page_framing(self, src: str, name: str = "host.html") -> str:
        (self.folder / name).write_text(
            "<!DOCTYPE html><html lang='en'><head><title>Host</title>"
            "<link rel='icon' href='data:,'></head><body>"
            "<h1>A partner's page</h1>"
            f"<iframe src='{src}' title='Embedded chart' width='900' height='640'></iframe>"
            "</body></html>",
            encoding="utf-8",
        )
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """No request log on stderr."""


@pytest.fixture
def frame_host(tmp_path: Path) -> Iterator[FrameHost]:
    host = FrameHost(tmp_path)
    yield host
    host.close()


def _refusals(errors: list[str]) -> list[str]:
    return [error for error in errors if any(word in error for word in REFUSALS)]


def test_an_embed_page_renders_inside_a_frame_on_another_origin(
    page: Page, live_server, frame_host, console_errors
):
    src = f"{live_server.url}/embed/{A_CHART}?year=2019-20"
    page.goto(frame_host.page_framing(src))
    frame = page.frame_locator("iframe")
    expect(frame.locator("#embed-chart-title-text")).to_have_text(
        CHARTS[A_CHART].title, timeout=BUSY
    )
    expect(frame.locator("#embed-chart-subtitle-text")).to_contain_text("2019/20")
    expect(frame.locator("#embed-chart-source-text")).to_contain_text("Source")
    expect(frame.locator("#embed-chart-graph .main-svg").first).to_be_visible(timeout=30_000)
    frame.get_by_text("Show the figures as a table").click()
    expect(frame.locator("#embed-chart-table-container table")).to_be_visible()
    expect(frame.locator("nav")).to_have_count(0)  # no navigation in an embed
    expect(frame.locator("#filters-unit-dropdown")).to_have_count(0)
    assert console_errors == []


@pytest.mark.parametrize("path", ["/", "/investment"])
def test_a_dashboard_page_refuses_to_be_framed(
    page: Page, live_server, frame_host, console_errors, path
):
    page.goto(frame_host.page_framing(f"{live_server.url}{path}"))
    expect(page.get_by_role("heading", name="A partner's page")).to_be_visible(timeout=BUSY)
    page.wait_for_timeout(1500)
    child = page.frames[1]
    assert child.url.startswith("chrome-error://") or child.url == "about:blank"
    expect(page.frame_locator("iframe").locator("#page-content-container")).to_have_count(0)
    assert _refusals(console_errors), "Chromium should report the refused frame"
    assert [e for e in console_errors if e not in _refusals(console_errors)] == []


def test_only_the_configured_origins_may_frame_embeds(
    page: Page, real_store, frame_host, tmp_path, console_errors
):
    settings = dataclasses.replace(Settings.defaults(), embed_origins=(frame_host.origin,))
    with LiveServer(create_app(settings, real_store)) as server:
        src = f"{server.url}/embed/{A_CHART}"
        page.goto(frame_host.page_framing(src))
        expect(page.frame_locator("iframe").locator("#embed-chart-title-text")).to_have_text(
            CHARTS[A_CHART].title, timeout=BUSY
        )
        assert console_errors == []
        # The same embed, framed from a third origin that is not on the list.
        (tmp_path / "other").mkdir()
        other = FrameHost(tmp_path / "other")
        try:
            page.goto(other.page_framing(src))
            expect(page.get_by_role("heading", name="A partner's page")).to_be_visible(timeout=BUSY)
            page.wait_for_timeout(1500)
            frame = page.frame_locator("iframe")
            expect(frame.locator("#embed-chart-title-text")).to_have_count(0)
        finally:
            other.close()
    assert _refusals(console_errors)
    assert [e for e in console_errors if e not in _refusals(console_errors)] == []
