"""Fixtures of the API tests: the real app over the real data, and a store that keeps releases."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest

from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.factory import BOUNDARY_FILE, create_app
from dashboard.geography import load_boundaries


@pytest.fixture(scope="package")
def api_app(real_store: DataStore):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="package")
def client(api_app):
    return api_app.server.test_client()


class ReleasedStore:
    """The shape the SQL store hands the app (see /work/briefs/store-contract.md): the
    DataStore's attributes plus `releases` and `data_version`, observations with `release_id`.

    SYNTHETIC releases: release 1 published every real figure; release 2 (published) is said
    to have re-published Kent's figures; 3 is pending and 4 rejected (never shown).
    """

    def __init__(self, store: DataStore, version: int = 7) -> None:
        obs = store.observations.copy()
        obs["release_id"] = pd.array([2 if u == "kent" else 1 for u in obs["unit_id"]], "Int64")
        obs["supplied_by"] = ""
        # Boundaries loaded here: the factory adds them to a bare DataStore only.
        geo = load_boundaries(Settings.defaults().geo_dir / BOUNDARY_FILE)
        self._store = dataclasses.replace(store, observations=obs, boundaries=geo)
        stamp = pd.Timestamp("2026-11-30T10:00:00Z")
        self.releases = pd.DataFrame(
            {
                "release_id": [1, 2, 3, 4],
                "status": ["published", "published", "pending", "rejected"],
                "created_at": [stamp] * 4,
                "created_by": ["db seed", "load", "editor", "editor"],
                "command": ["db seed", "load kent.csv", "stage", "stage"],
                "source_file": ["data/observations.csv", "kent.csv", "x.csv", "y.csv"],
                "sha256": ["a" * 64, "b" * 64, "c" * 64, "d" * 64],
                "rows_added": [len(obs), 0, 3, 1],
                "rows_changed": [0, 5, 0, 0],
                "rows_withdrawn": [0, 0, 0, 0],
                "reason": ["", "a correction", "", "wrong file"],
                "published_at": [stamp, stamp, pd.NaT, pd.NaT],
                "published_by": ["seed", "lead", "", ""],
            }
        )
        self.data_version = version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture(scope="package")
def released_store(real_store: DataStore) -> ReleasedStore:
    return ReleasedStore(real_store)


@pytest.fixture(scope="package")
def released_client(released_store):
    return create_app(Settings.defaults(), released_store).server.test_client()
