"""The Revisions page of an app that follows a store: releases, a withdrawal, figures on demand."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from dashboard.config import PROJECT_ROOT, Settings
from dashboard.factory import create_app
from dashboard.store import Store
from dashboard.store.live import LiveStore
from tests import synthetic
from tests.browser.test_accessibility import axe_findings, report
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

NOTE = "SYNTHETIC TEST ROW (revisions browser test): not a real figure"


@pytest.fixture(scope="module")
def store_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("revisions-store")
    store = Store(
        f"sqlite:///{folder / 'store.sqlite'}",
        data_dir=PROJECT_ROOT / "data",
        geo_path=PROJECT_ROOT / "geo" / "police_force_areas.geojson",
    )
    store.ensure_ready()
    rows = [
        synthetic._obs(f"synthetic-browser-{i}", "kent", "reach_pupils", str(100 + i))
        | {"source_id": "apcc_2020", "page": "9", "note": NOTE}
        for i in range(3)
    ]
    path = folder / "kent_update.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    store.load(path, by="tester", command="test", reason="Kent's annual report")
    path2 = folder / "kent_mistake.csv"
    pd.DataFrame([rows[0] | {"value": "999"}]).to_csv(path2, index=False)
    wrong = store.load(path2, by="tester", command="test", reason="A correction")
    store.withdraw(wrong, by="editor", reason="The correction was itself wrong")
    live = LiveStore(store, store.snapshot(), poll_seconds=1)
    with LiveServer(create_app(Settings.defaults(), live)) as server:
        yield server


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "bypass_csp": True}


def test_revisions_list_releases_and_show_their_figures_on_demand(
    page: Page, store_server: LiveServer, console_errors
) -> None:
    page.goto(f"{store_server.url}/revisions")
    headings = page.locator("#revisions-list-container h2")
    expect(headings.first).to_contain_text("Release 3 withdrawn", timeout=30_000)
    expect(headings.nth(1)).to_contain_text("Release 3")
    expect(headings.nth(2)).to_contain_text("Release 2")
    expect(page.get_by_text("Why: The correction was itself wrong")).to_be_visible()
    table = page.get_by_role("region", name="Figures of release 2")
    expect(table).to_be_hidden()
    summary = page.locator("summary", has_text="Show the 3 figures")
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Kent and Medway Violence Reduction Unit")
    expect(table).to_contain_text("Pupils reached")
    findings = axe_findings(page)
    assert findings == [], report(findings, "/revisions with a release opened")
    assert console_errors == []
