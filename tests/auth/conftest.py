"""The app with sign-in switched on, over a throw-away SQLite store seeded from data/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dashboard.auth import accounts
from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.factory import create_app
from dashboard.store import SQLITE_FILE, Store

SECRET = "test-secret-key-of-forty-characters-long!"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database file; each app copies it, so tests never share changes by accident."""
    folder = tmp_path_factory.mktemp("seeded")
    store = Store(f"sqlite:///{folder / SQLITE_FILE}")
    store.upgrade()
    store.seed()
    return folder / SQLITE_FILE


def editor_settings(folder: Path, **extra: str) -> Settings:
    return Settings.from_env(
        {
            "VRU_SECRET_KEY": SECRET,
            "VRU_STORE_DIR": str(folder),
            "VRU_LOGIN_MAX_FAILURES": "3",
            "VRU_CALLBACK_CACHE": "false",
            **extra,
        }
    )


@pytest.fixture(scope="session")
def figures(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("store")
    shutil.copy(seeded_db, folder / SQLITE_FILE)
    return Store(f"sqlite:///{folder / SQLITE_FILE}")


@pytest.fixture(scope="session")
def editors_app(figures: Store, real_store: DataStore):
    folder = Path(figures.url.removeprefix("sqlite:///")).parent
    return create_app(editor_settings(folder), real_store, figures=figures)


class Accounts:
    """Makes accounts with names unique to the test, so the shared database stays tidy."""

    def __init__(self, figures: Store, prefix: str) -> None:
        self.figures = figures
        self.prefix = prefix
        self.unit_ids = list(figures.snapshot().unit_ids)

    def make(self, name: str, *roles: tuple[str, str]) -> str:
        username = f"{self.prefix}-{name}"
        accounts.create_account(
            self.figures.engine, username, PASSWORD, roles, unit_ids=self.unit_ids, by="test"
        )
        return username


@pytest.fixture
def people(figures: Store, request: pytest.FixtureRequest) -> Accounts:
    return Accounts(figures, re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[-60:])


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def token_from(client, path: str = "/upload") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))


@pytest.fixture
def client(editors_app, request: pytest.FixtureRequest):
    """A browser of its own, from an address of its own (sign-in limits count per address)."""
    test_client = editors_app.server.test_client()
    number = abs(hash(request.node.nodeid)) % 250 + 1
    test_client.environ_base["REMOTE_ADDR"] = f"10.0.{abs(hash(request.node.name)) % 250}.{number}"
    return test_client
