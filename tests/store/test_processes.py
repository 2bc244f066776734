"""The store under real processes: a load killed with SIGKILL, the command line's exits, and
two gunicorn workers following a release without a restart (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from dashboard import schema
from dashboard.config import PROJECT_ROOT
from dashboard.store import Store
from tests import synthetic
from tests.grid_rows import grid_rows
from tests.store.conftest import DATA_DIR

SYNTHETIC_NOTE = "SYNTHETIC TEST ROW (store process tests): not a real figure"


def cli(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=PROJECT_ROOT,
        env=_env(database_url, data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "VRU_DATABASE_URL": database_url,
        "VRU_DATA_DIR": str(data_dir),
        **extra,
    }


def write_synthetic_file(path: Path, count: int, unit_id: str = "alpha") -> Path:
    """A large file of made-up figures, labelled as such in every row."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(schema.OBSERVATIONS.column_names))
        writer.writeheader()
        for i in range(count):
            writer.writerow(
                synthetic._obs(f"synthetic-bulk-{i:06d}", unit_id, "reach_total", str(i + 1))
                | {"note": SYNTHETIC_NOTE, "series": "synthetic_bulk"}
            )
    return path


def test_a_load_killed_midway_leaves_the_data_exactly_as_it_was(
    store: Store, synthetic_dir: Path, tmp_path: Path
) -> None:
    before = store.snapshot()
    releases_before = store.releases()
    big = write_synthetic_file(tmp_path / "synthetic_bulk.csv", 25_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "load", str(big)],
        cwd=PROJECT_ROOT,
        env=_env(store.url, synthetic_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # printed once the rows are checked, before writing
        assert "rows checked; writing" in line, line + process.stderr.read()
        time.sleep(0.3)
        assert process.poll() is None, "the load finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    # A new process (a restart) sees exactly the data of before, and no trace of the load.
    again = Store(store.url, data_dir=synthetic_dir)
    after = again.snapshot()
    assert after.data_version == before.data_version
    pd.testing.assert_frame_equal(after.observations, before.observations)
    pd.testing.assert_frame_equal(again.releases(), releases_before)
    assert again.history(obs_id="synthetic-bulk-000000").empty
    # and the store is not left locked: the same load now goes through whole
    finished = cli(store.url, synthetic_dir, "load", str(big))
    assert finished.returncode == 0, finished.stderr
    assert len(again.snapshot().observations) == len(before.observations) + 25_000


def test_the_command_line_says_what_went_wrong(
    store: Store, synthetic_dir: Path, tmp_path: Path
) -> None:
    missing = cli(store.url, synthetic_dir, "load", str(tmp_path / "nothing.csv"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr
    bad = write_synthetic_file(tmp_path / "bad.csv", 3)
    bad.write_text(bad.read_text().replace(",2,", ",two,", 1), encoding="utf-8")
    refused = cli(store.url, synthetic_dir, "load", str(bad))
    assert refused.returncode == 2
    assert "refused, nothing was stored" in refused.stderr
    assert "bad.csv, line 3, column 'value'" in refused.stderr
    assert "Traceback" not in refused.stderr
    unknown = cli(store.url, synthetic_dir, "withdraw", "42", "--reason", "test")
    assert unknown.returncode == 1 and "there is no release 42" in unknown.stderr
    good = write_synthetic_file(tmp_path / "good.csv", 2)
    loaded = cli(store.url, synthetic_dir, "load", str(good), "--reason", "new survey")
    assert loaded.returncode == 0, loaded.stderr
    assert "2 figures added" in loaded.stdout
    listed = cli(store.url, synthetic_dir, "db", "releases")
    assert "good.csv" in listed.stdout
    release = int(loaded.stdout.split("Release ")[1].split(":")[0])
    gone = cli(store.url, synthetic_dir, "withdraw", str(release), "--reason", "duplicate")
    assert gone.returncode == 0 and "2 figures no longer shown" in gone.stdout


def test_an_unreachable_database_is_one_clear_message(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = cli(url, DATA_DIR, "db", "upgrade")
    assert result.returncode == 1
    assert "the database (127.0.0.1:1/none) failed" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Connection": "close"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _grid_answer(base: str, unit_id: str) -> str:
    """The grid's rows for one unit as the page gets them (its callback, then the rows body)."""

    def post(path: str, body: bytes) -> bytes:
        request = urllib.request.Request(
            f"{base}{path}",
            data=body,
            headers={"Content-Type": "application/json", "Connection": "close"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def get(path: str) -> bytes:
        request = urllib.request.Request(f"{base}{path}", headers={"Connection": "close"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    rows, _ = grid_rows(post, get, [unit_id])
    return json.dumps(rows)


@pytest.mark.timeout(300)
def test_two_gunicorn_workers_show_a_loaded_figure_within_ten_seconds(
    database_url: str, tmp_path: Path
) -> None:
    store = Store(database_url, data_dir=DATA_DIR)
    store.ensure_ready()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server"],
        cwd=PROJECT_ROOT,
        env=_env(
            database_url,
            DATA_DIR,
            VRU_BIND=f"127.0.0.1:{port}",
            VRU_WORKERS="2",
            VRU_THREADS="2",
            VRU_STORE_POLL_SECONDS="1",
            VRU_LOG_LEVEL="WARNING",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        version = store.version()
        workers: dict[int, int] = {}
        deadline = time.monotonic() + 120
        while len(workers) < 2:  # both workers answer, with the data of before
            assert time.monotonic() < deadline, "gunicorn did not serve two workers"
            assert server.poll() is None, server.stderr.read()
            try:
                report = _get_json(f"{base}/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            workers[report["worker"]] = report["data_version"]
        assert set(workers.values()) == {version}
        assert "synthetic-cli-kent" not in _grid_answer(base, "kent")

        row = synthetic._obs("synthetic-cli-kent", "kent", "reach_pupils", "4321") | {
            "source_id": "apcc_2020",
            "page": "9",
            "note": SYNTHETIC_NOTE,
        }
        path = tmp_path / "one_figure.csv"
        pd.DataFrame([row]).to_csv(path, index=False)
        loaded = cli(database_url, DATA_DIR, "load", str(path))
        assert loaded.returncode == 0, loaded.stderr
        started = time.monotonic()

        seen: dict[int, int] = {}
        while time.monotonic() - started < 10:
            report = _get_json(f"{base}/healthz")
            if report["worker"] in workers:
                seen[report["worker"]] = report["data_version"]
            if len(seen) == 2 and set(seen.values()) == {version + 1}:
                break
            time.sleep(0.1)
        assert seen == dict.fromkeys(workers, version + 1), seen
        answers = [_grid_answer(base, "kent") for _ in range(6)]
        assert time.monotonic() - started < 10
        assert all("synthetic-cli-kent" in answer for answer in answers)
        assert all("4,321" in answer or "4321" in answer for answer in answers)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
