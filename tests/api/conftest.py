"""Fixtures of the API tests: the real app over the real data."""

from __future__ import annotations

import pytest

from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.factory import create_app

# The store tests' throw-away PostgreSQL server (one per session), for the API's store tests.
from tests.store.conftest import postgres_server  # noqa: F401


@pytest.fixture(scope="package")
def api_app(real_store: DataStore):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="package")
def client(api_app):
    return api_app.server.test_client()
