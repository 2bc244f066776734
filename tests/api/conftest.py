"""Fixtures of the API tests: the real app over the real data."""

from __future__ import annotations

import pytest

from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.factory import create_app


@pytest.fixture(scope="package")
def api_app(real_store: DataStore):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="package")
def client(api_app):
    return api_app.server.test_client()
