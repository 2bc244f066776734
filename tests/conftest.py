"""Shared fixtures: the real data, a synthetic store, and the app served for browser tests."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.config import PROJECT_ROOT, Settings
from dashboard.datastore import DataStore, load_store
from dashboard.factory import create_app
from tests import synthetic

DATA_DIR = PROJECT_ROOT / "data"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def real_store() -> DataStore:
    return load_store(DATA_DIR)


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> DataStore:
    return load_store(synthetic.write_tables(tmp_path_factory.mktemp("synthetic")))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of the real data folder, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


class LiveServer:
    """The real app on a free loopback port, in a thread of this process."""

    def __init__(self, app) -> None:
        self._server = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(real_store: DataStore) -> Iterator[LiveServer]:
    with LiveServer(create_app(Settings.defaults(), real_store)) as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Use Debian's Chromium: Playwright must not download a browser of its own."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make test`, which installs it.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def console_errors(page) -> list[str]:
    """Errors the page logs or throws; browser tests end by asserting this is empty."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
