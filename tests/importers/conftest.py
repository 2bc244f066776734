"""Paths of the publishers' files shipped in data/raw/ and of the shared reference copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw"
SHARED_TABLES = PROJECT_ROOT.parent / "shared" / "reference" / "tables"
DFE_FILE = RAW / "dfe" / "exc_nat_region_la.csv"
PFA_FILES = sorted((RAW / "ons_crime").glob("*.xlsx"))
POPULATION_FILES = sorted((RAW / "ons_population").glob("*"))


@pytest.fixture
def shared_tables() -> Path:
    if not SHARED_TABLES.is_dir():
        pytest.skip(f"{SHARED_TABLES} is absent (the app and CI use the copies in data/raw/)")
    return SHARED_TABLES
