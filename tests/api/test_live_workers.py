"""Two gunicorn workers over one SQLite store: a figure loaded with `python -m dashboard load`
is in the API and in the data package of both within 10 s, without a restart."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "data"
NEW_ID = "synthetic-api-kent-001"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Connection": "close", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _synthetic_file(folder: Path) -> Path:
    """SYNTHETIC: one made-up Kent figure in the project's observation format."""
    with open(DATA_DIR / "observations.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kent = next(r for r in rows if r["unit_id"] == "kent" and r["value"])
    row = {**kent, "obs_id": NEW_ID, "value": "4321", "note": "SYNTHETIC test figure."}
    path = folder / "one_figure.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(row)
    return path


def _in_package(base: str) -> bool:
    status, body, _ = _get(f"{base}/api/v1/datapackage.zip")
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/observations.csv"))
        return NEW_ID in archive.read(name).decode("utf-8")


@pytest.mark.timeout(300)
def test_two_workers_serve_a_loaded_figure_in_the_api_and_package_within_ten_seconds(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "VRU_STORE_DIR": str(tmp_path / "store"),
        "VRU_DATA_DIR": str(DATA_DIR),
        "VRU_STORE_POLL_SECONDS": "1",
        "VRU_LOG_LEVEL": "WARNING",
    }
    env.pop("VRU_DATABASE_URL", None)
    seeded = subprocess.run(
        [sys.executable, "-m", "dashboard", "db", "seed"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server"],
        cwd=PROJECT_ROOT,
        env={**env, "VRU_BIND": f"127.0.0.1:{port}", "VRU_WORKERS": "2", "VRU_THREADS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 180
        while len(workers) < 2:  # both workers up, each having built its first package
            assert time.monotonic() < deadline, "gunicorn did not serve two workers"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                status, body, _ = _get(f"{base}/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            workers.add(json.loads(body)["worker"])
            assert not _in_package(base)
        status, _, headers = _get(f"{base}/api/v1/observations?unit=kent&limit=1000")
        assert status == 200
        old_etag = headers["ETag"]
        assert _get(f"{base}/api/v1/observations/{NEW_ID}")[0] == 404

        loaded = subprocess.run(
            [sys.executable, "-m", "dashboard", "load", str(_synthetic_file(tmp_path))],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert loaded.returncode == 0, loaded.stderr
        started = time.monotonic()
        found = 0
        while found < 6 and time.monotonic() - started < 10:
            status, body, _ = _get(f"{base}/api/v1/observations/{NEW_ID}")
            found = found + 1 if status == 200 else 0  # six in a row: both workers have it
            time.sleep(0.1)
        assert found == 6, "the API did not show the loaded figure in every worker"
        row = json.loads(body)["data"]
        assert row["value"] == 4321 and row["release_id"] >= 2
        status, _, _ = _get(
            f"{base}/api/v1/observations?unit=kent&limit=1000", {"If-None-Match": old_etag}
        )
        assert status == 200  # the old ETag no longer holds
        assert all(_in_package(base) for _ in range(4))
        assert time.monotonic() - started < 10
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
