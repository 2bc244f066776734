"""pa11y with HTML_CodeSniffer (WCAG 2 AA) finds no error on any page of the running app.

A second checker beside axe-core, as an auditor would run it. `make test` installs pa11y from
tools/pa11y/package-lock.json; it drives the same Chromium as the other browser tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from dashboard.config import PROJECT_ROOT
from tests.browser.test_accessibility import PAGES as ACCESSIBILITY_PAGES
from tests.conftest import CHROMIUM

pytestmark = pytest.mark.browser

PA11Y_DIR = PROJECT_ROOT / "tools" / "pa11y"
# Every page axe checks, and the map with a unit and a year chosen.
PAGES = (*ACCESSIBILITY_PAGES, "/?unit=northumbria&year=2019-20")


def test_html_codesniffer_finds_no_error_on_any_page(live_server):
    node = shutil.which("node")
    if node is None or not (PA11Y_DIR / "node_modules" / "pa11y").is_dir():
        pytest.fail("pa11y is not installed; run `make test`, which installs it.")
    # One Chromium for all pages (tools/pa11y/check.mjs), so the whole check takes seconds.
    done = subprocess.run(
        [node, str(PA11Y_DIR / "check.mjs"), CHROMIUM, live_server.url, *PAGES],
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    # Every page at desktop (1280 px) and phone (390 px) width.
    assert set(results) == {f"{path} @ {width}" for path in PAGES for width in (1280, 390)}
    found = {path: issues for path, issues in results.items() if issues}
    assert found == {}, json.dumps(found, indent=1)[:4000]
