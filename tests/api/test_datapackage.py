"""The open data package: `python -m dashboard dump` and /api/v1/datapackage.zip, checked by
`frictionless validate` (schemas, primary and foreign keys, types of every cell)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from frictionless import Package

from dashboard.api.datapackage import PACKAGE_NAME, package_files
from dashboard.config import PROJECT_ROOT

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def _validate(descriptor: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FRICTIONLESS), "validate", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def dumped(tmp_path_factory) -> Path:
    """The package of a fresh store (seeded from data/ on first use, as the app does)."""
    folder = tmp_path_factory.mktemp("dump") / "package"
    env = {**os.environ, "VRU_STORE_DIR": str(tmp_path_factory.mktemp("store"))}
    env.pop("VRU_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "dump", "-o", str(folder)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 7 files" in result.stdout
    return folder


def test_frictionless_validate_passes_on_the_dump(dumped):
    result = _validate(dumped / "datapackage.json")
    assert result.returncode == 0, result.stdout[-3000:]
    for name in ("units", "metrics", "sources", "observations", "releases"):
        assert (dumped / f"{name}.csv").is_file()


def test_frictionless_validate_fails_on_a_broken_copy(dumped, tmp_path):
    """The check can fail: a figure citing no known source and a repeated key are caught."""
    broken = tmp_path / "broken"
    shutil.copytree(dumped, broken)
    path = broken / "observations.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header = rows[0]
    rows[1][header.index("source_id")] = "no_such_source"
    rows[3][0] = rows[2][0]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    report = Package(str(broken / "datapackage.json")).validate()
    assert not report.valid
    assert {"foreign-key", "primary-key"} <= {row[0] for row in report.flatten(["type"])}


def test_the_descriptor_states_keys_licence_and_sources(dumped, real_store):
    descriptor = json.loads((dumped / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == PACKAGE_NAME
    assert descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    assert "Open Government Licence v3.0" in descriptor["description"]
    assert "sources.csv's licence column" in descriptor["description"]
    assert len(descriptor["sources"]) == len(real_store.sources)
    resources = {r["name"]: r for r in descriptor["resources"]}
    observations = resources["observations"]["schema"]
    assert observations["primaryKey"] == "obs_id"
    references = {k["fields"]: k["reference"]["resource"] for k in observations["foreignKeys"]}
    assert references == {"metric_id": "metrics", "source_id": "sources", "release_id": "releases"}
    assert resources["units"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "sources"
    versions = resources["observation_versions"]["schema"]
    assert versions["primaryKey"] == "version_id"
    value = next(f for f in observations["fields"] if f["name"] == "value")
    assert value["type"] == "number"


def test_the_dump_holds_every_current_figure_and_every_version(dumped, real_store):
    with (dumped / "observations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(real_store.observations)
    assert {r["obs_id"] for r in rows} == set(real_store.observations["obs_id"])
    with (dumped / "observation_versions.csv").open(encoding="utf-8", newline="") as handle:
        versions = list(csv.DictReader(handle))
    assert {v["obs_id"] for v in versions} >= {r["obs_id"] for r in rows}
    chart_only = [r for r in rows if r["value_status"] == "chart_only"]
    assert chart_only and all(r["value"] == "" for r in chart_only)


def test_a_second_dump_needs_force(dumped):
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "dump", "-o", str(dumped)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--force" in result.stderr


def test_the_download_is_the_same_package_and_validates(client, real_store, tmp_path):
    first = client.get("/api/v1/datapackage.zip")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert "attachment" in first.headers["Content-Disposition"]
    assert client.get("/api/v1/datapackage.zip").data == first.data  # same bytes, same ETag
    again = client.get("/api/v1/datapackage.zip", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
        files = {n.split("/", 1)[1]: archive.read(n) for n in names}
    assert files == package_files(real_store)
    report = Package(str(tmp_path / PACKAGE_NAME / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])[:10]
