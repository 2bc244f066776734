"""An editor's figures from sign-in to the public views, in headless Chromium.

The editor downloads the template, uploads a file with a mistake (sees it, nothing is stored),
fixes it, previews and submits; a publisher publishes; a reader then finds the figure on the
map, /investment and the unit's profile, labelled as supplied by the unit; the audit log and
the revisions log show it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.auth import accounts
from dashboard.factory import create_app
from dashboard.formatting import UNIT_SUPPLIED_LABEL
from dashboard.store import SQLITE_FILE, Store
from tests.auth.conftest import PASSWORD, editor_settings
from tests.browser.test_accessibility import AXE_JS, AXE_TAGS, RUN_AXE, report
from tests.browser.test_trends import WAIT, part
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

UNIT = "essex"  # has Home Office funding for 2024/25 and, before this test, no reach figure
YEAR = "2024-25"


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("editor-site")
    store = Store(f"sqlite:///{folder / SQLITE_FILE}")
    store.upgrade()
    store.seed()
    units = list(store.snapshot().unit_ids)
    for name, roles in (
        ("eve.editor", [("editor", UNIT)]),
        ("paul", [("publisher", "")]),
        ("ada", [("admin", "")]),
        ("all.roles", [("editor", UNIT), ("publisher", ""), ("admin", "")]),
    ):
        accounts.create_account(store.engine, name, PASSWORD, roles, unit_ids=units, by="test")
    app = create_app(editor_settings(folder, VRU_STORE_POLL_SECONDS="0.5"))
    with LiveServer(app) as server:
        yield server, store


def _sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")


def test_an_editors_figure_goes_from_upload_to_every_view(
    page: Page, editor_site, tmp_path: Path, console_errors
):
    server, store = editor_site
    url = server.url
    page.set_default_timeout(WAIT)
    _sign_in(page, url, "eve.editor")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upload figures of Essex")

    with page.expect_download() as download:
        page.get_by_role("link", name="Template (CSV)").click()
    template = tmp_path / "template.csv"
    shutil.copy(download.value.path(), template)
    text = template.read_text(encoding="utf-8")
    assert "# allowed metric_id reach_total" in text
    row = (
        f"reach_total,{YEAR},{{value}},exact,reported,April 2024 to March 2025,"
        "Young people aged 10-24 in funded sessions,\n"
    )

    releases = len(store.releases())
    broken = tmp_path / "figures.csv"
    broken.write_text(text + row.format(value="about 1250"), encoding="utf-8")
    page.get_by_label("File").set_input_files(broken)
    page.get_by_role("button", name="Check and preview").first.click()
    problems = page.locator("#upload-problems")
    expect(problems).to_contain_text("nothing was stored")
    expect(problems).to_contain_text("column 'value': must be a number")
    assert len(store.releases()) == releases

    broken.write_text(text + row.format(value="1250"), encoding="utf-8")
    page.get_by_label("File").set_input_files(broken)
    page.get_by_role("button", name="Check and preview").first.click()
    table = page.locator("#preview-table")
    expect(table).to_contain_text("new figure")
    expect(table).to_contain_text("1,250")
    expect(page.locator("figure svg")).to_have_count(1)
    page.get_by_role("button", name="Submit for publication").click()
    expect(page.locator("#upload-submitted")).to_contain_text("waiting for a publisher")
    release_id = int(store.releases()["release_id"].max())
    _sign_out(page)

    _sign_in(page, url, "paul")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review submissions")
    expect(page.locator(f"#release-{release_id}")).to_contain_text(f"editor of {UNIT}")
    page.locator(f"#publish-{release_id}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Release {release_id} published")
    _sign_out(page)

    # A reader, signed in nowhere, once the app serves the release: a worker builds and
    # prepares it in the background within seconds (requests meanwhile get the previous one).
    deadline = time.monotonic() + 10
    while page.request.get(f"{url}/healthz").json()["data_version"] < int(store.version()):
        assert time.monotonic() < deadline, "the published release was not served within 10 s"
        time.sleep(0.2)
    page.goto(f"{url}/?measure=reach_total&year={YEAR}")
    expect(page.locator("#map-source-text")).to_contain_text(UNIT_SUPPLIED_LABEL, timeout=WAIT)
    page.goto(f"{url}/investment?year={YEAR}")
    source = page.locator(part("chart-source-text", "funding-per-person"))
    expect(source).to_contain_text(UNIT_SUPPLIED_LABEL, timeout=WAIT)
    page.goto(f"{url}/unit/{UNIT}")
    expect(page.locator(part("profile-source-text", "unit-reach"))).to_contain_text(
        UNIT_SUPPLIED_LABEL, timeout=WAIT
    )
    page.goto(f"{url}/revisions")
    expect(page.locator("main")).to_contain_text(f"Release {release_id}", timeout=WAIT)
    expect(page.locator("main")).not_to_contain_text("eve.editor")

    _sign_in(page, url, "ada")
    audit = page.locator("#audit-table")
    expect(audit).to_contain_text("upload refused")
    expect(audit).to_contain_text(f"release {release_id}: {UNIT}: figures.csv: 1 figure(s)")
    expect(audit).to_contain_text("release published")
    # The refused upload is answered 422 on purpose (nothing was stored); Chromium logs that
    # status of the page itself. Nothing else may be logged.
    refused = "the server responded with a status of 422"
    assert [e for e in console_errors if refused not in e] == []
    assert len(console_errors) <= 1


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict) -> dict:
    """axe is injected as a script tag, which the Content-Security-Policy would block."""
    return {**browser_context_args, "bypass_csp": True}


def test_the_editor_pages_pass_axe(page: Page, editor_site):
    server, _ = editor_site
    found = {}
    page.goto(f"{server.url}/login")
    pages = ["/login"]
    page.add_script_tag(path=AXE_JS)
    found["/login"] = page.evaluate(RUN_AXE, AXE_TAGS)
    _sign_in(page, server.url, "all.roles")
    for path in ("/upload", "/review", "/admin"):
        page.goto(f"{server.url}{path}")
        page.add_script_tag(path=AXE_JS)
        found[path] = page.evaluate(RUN_AXE, AXE_TAGS)
        pages.append(path)
    problems = [report(found[p], p) for p in pages if found[p]]
    assert not problems, "\n".join(problems)
