"""Callbacks of the data_sources view (filled in by its own work item)."""

from __future__ import annotations

from dash import Dash

from dashboard.datastore import DataStore


def register(app: Dash, store: DataStore) -> None:
    """Nothing to register yet."""
