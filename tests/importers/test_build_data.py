"""`make data`: the raw files match their manifest, and a rebuild gives the committed bytes."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from dashboard import build_data
from dashboard.config import PROJECT_ROOT
from dashboard.importers import ImportRefused
from tests.importers.conftest import RAW

DATA = PROJECT_ROOT / "data"
OUTPUTS = (
    "official/dfe_exclusions_by_area.csv",
    "official/ons_knife_by_area.csv",
    "official/ons_population_by_area.csv",
    "official/gaps.csv",
    "observations_official.csv",
)


def test_every_raw_file_is_in_the_manifest_with_its_sha256():
    entries = build_data.check_manifest()
    listed = {entry["file"] for entry in entries}
    shipped = {str(p.relative_to(RAW)) for p in RAW.rglob("*") if p.is_file()} - {"MANIFEST.csv"}
    assert listed == shipped
    for entry in entries:
        assert entry["licence"] == "Open Government Licence v3.0"
        assert entry["url"].startswith("https://")
    assert sum((RAW / name).stat().st_size for name in listed) < 15_000_000


def test_a_changed_raw_file_stops_the_build(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    target = raw / "dfe" / "exc_nat_region_la.csv"
    target.write_bytes(target.read_bytes() + b"\n")
    with pytest.raises(ImportRefused, match="SHA-256"):
        build_data.check_manifest(raw)


def test_a_rebuild_writes_the_same_bytes_as_the_committed_tables(tmp_path):
    shutil.copy(DATA / "units.csv", tmp_path / "units.csv")
    build_data.build(RAW, tmp_path)
    for name in OUTPUTS:
        fresh = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        committed = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert fresh == committed, f"{name} differs from a rebuild: run `make data`"


def test_the_shipped_copies_are_the_shared_reference_files(shared_tables):
    for path in RAW.rglob("*"):
        if path.is_file() and path.name != "MANIFEST.csv":
            reference = shared_tables / path.relative_to(RAW)
            assert reference.read_bytes() == path.read_bytes(), path.name
