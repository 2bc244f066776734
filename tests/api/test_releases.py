"""The API over the real store, on SQLite and on PostgreSQL: releases, the release filter,
and a load or withdrawal showing in the API without a restart."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package

from dashboard.config import PROJECT_ROOT, Settings
from dashboard.factory import BOUNDARY_FILE, create_app
from dashboard.store import Store
from dashboard.store.live import LiveStore

DATA_DIR = PROJECT_ROOT / "data"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sql_store(request, tmp_path_factory) -> Store:
    """The real data in each kind of database (PostgreSQL: the store tests' throw-away
    server)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'vru.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    geo = Settings.defaults().geo_dir / BOUNDARY_FILE
    store = Store(url, data_dir=DATA_DIR, geo_path=geo)
    store.ensure_ready()
    return store


@pytest.fixture(scope="module")
def client(sql_store):
    # Every request sees the newest release at once (no background preparation to wait for).
    live = LiveStore(sql_store, sql_store.snapshot(), poll_seconds=0.0, background=False)
    return create_app(Settings.defaults(), live).server.test_client()


def _kent_file(folder: Path) -> tuple[Path, str, str]:
    """SYNTHETIC load: a correction of one real Kent figure (value changed) and one made-up
    new figure, in the project's observation format."""
    with open(DATA_DIR / "observations.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kent = next(r for r in rows if r["unit_id"] == "kent" and r["value"] not in ("", "0"))
    corrected = {**kent, "value": str(float(kent["value"]) + 1), "note": "Synthetic correction."}
    new = {**kent, "obs_id": "test-kent-new-001", "note": "Synthetic test figure."}
    path = folder / "kent.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([corrected, new])
    return path, kent["obs_id"], corrected["value"]


def test_the_seed_is_release_one_and_every_figure_carries_it(client):
    releases = client.get("/api/v1/releases").get_json()["data"]
    assert [r["release_id"] for r in releases] == [1]
    assert releases[0]["status"] == "published" and releases[0]["rows_added"] > 2000
    assert releases[0]["published_at"].endswith("Z")
    rows = client.get("/api/v1/observations?limit=5").get_json()
    assert {r["release_id"] for r in rows["data"]} == {1}
    assert rows["meta"]["data_version"] >= 1
    everything = client.get("/api/v1/observations?release=1&limit=1").get_json()
    assert everything["meta"]["total"] == rows["meta"]["total"]
    problem = client.get("/api/v1/observations?release=2").get_json()["error"]["problems"][0]
    assert problem["parameter"] == "release" and "1" in problem["message"]


def test_a_load_shows_in_the_api_with_its_release_and_a_new_etag(client, sql_store, tmp_path):
    before = client.get("/api/v1/observations?unit=kent&limit=1000")
    version = int(before.headers["X-Data-Version"])
    path, corrected_id, value = _kent_file(tmp_path)
    release_id = sql_store.load(path, by="test", command="load kent.csv")

    after = client.get(
        "/api/v1/observations?unit=kent&limit=1000",
        headers={"If-None-Match": before.headers["ETag"]},
    )
    assert after.status_code == 200
    assert int(after.headers["X-Data-Version"]) > version
    released = client.get(f"/api/v1/observations?release={release_id}").get_json()["data"]
    assert sorted(r["obs_id"] for r in released) == sorted([corrected_id, "test-kent-new-001"])
    corrected = client.get(f"/api/v1/observations/{corrected_id}").get_json()["data"]
    assert float(corrected["value"]) == float(value) and corrected["release_id"] == release_id
    listed = client.get(f"/api/v1/releases/{release_id}").get_json()["data"]
    assert listed["status"] == "published"
    assert (listed["rows_added"], listed["rows_changed"]) == (1, 1)
    assert listed["source_file"].endswith("kent.csv")


def test_pending_and_rejected_releases_are_not_public(client, sql_store, tmp_path):
    path, _, _ = _kent_file(tmp_path)
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    pending = sql_store.stage(rows, source_file=str(path), sha256="0" * 64, by="t", command="t")
    ids = [r["release_id"] for r in client.get("/api/v1/releases").get_json()["data"]]
    assert pending not in ids
    assert client.get(f"/api/v1/releases/{pending}").status_code == 404
    assert client.get(f"/api/v1/observations?release={pending}").status_code == 400
    sql_store.reject(pending, by="t", reason="test")
    ids = [r["release_id"] for r in client.get("/api/v1/releases").get_json()["data"]]
    assert pending not in ids


def test_a_withdrawn_release_stays_listed_and_its_new_figure_leaves(client, sql_store):
    releases = client.get("/api/v1/releases").get_json()["data"]
    loaded = max(r["release_id"] for r in releases if r["command"] == "load kent.csv")
    assert client.get("/api/v1/observations/test-kent-new-001").status_code == 200
    sql_store.withdraw(loaded, by="test", reason="synthetic test release")
    assert client.get("/api/v1/observations/test-kent-new-001").status_code == 404
    listed = client.get(f"/api/v1/releases/{loaded}").get_json()["data"]
    assert listed["status"] == "withdrawn" and listed["reason"]
    statuses = client.get("/api/v1/releases?status=withdrawn").get_json()["data"]
    assert [r["release_id"] for r in statuses] == [loaded]


def test_the_package_of_the_store_has_releases_and_validates(client, tmp_path):
    response = client.get("/api/v1/datapackage.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        archive.extractall(tmp_path)
    folder = next(tmp_path.glob("*/datapackage.json")).parent
    assert (folder / "releases.csv").is_file()
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = Package(str(folder / "datapackage.json"))
    keys = descriptor.get_resource("observations").schema.foreign_keys
    assert {"fields": ["release_id"], "reference": {"resource": "releases", "fields": [
        "release_id"]}} in keys  # fmt: skip
