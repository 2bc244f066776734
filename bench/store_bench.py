"""`make bench` (store part): what the store costs, on SQLite and on a throw-away PostgreSQL.

Measures, for each database: the first start (migrate and load the bundled tables), a later
start (check the bundled files and read one snapshot), one poll of the version row, and loading
the DfE exclusions table (every row as a new figure) as one release; and, for comparison,
reading and checking the CSV files as the app did before the store. Writes
bench-store-results.json. The PostgreSQL half needs Debian's postgresql (`make postgres`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.config import PROJECT_ROOT
from dashboard.datastore import load_store
from dashboard.store import Store
from dashboard.store.cli import _importer_rows
from tests.store.conftest import PostgresServer, _postgres_bin

DATA = PROJECT_ROOT / "data"
DFE = DATA / "raw" / "dfe" / "exc_nat_region_la.csv"
RESULTS = PROJECT_ROOT / "bench-store-results.json"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(url: str) -> dict[str, float]:
    first = Store(url, data_dir=DATA)
    results = {"first_start_s": timed(first.ensure_ready)}
    later = Store(url, data_dir=DATA)
    results["later_start_s"] = timed(lambda: (later.ensure_ready(), later.snapshot()))
    polls = [timed(later.version) for _ in range(50)]
    results["version_poll_median_ms"] = statistics.median(polls) * 1000
    rows = _importer_rows("dfe-exclusions", DFE, DATA)
    rows["obs_id"] = "bench-" + rows["obs_id"]  # new figures, as in a store without them
    results["dfe_rows"] = len(rows)
    results["dfe_load_s"] = timed(
        lambda: later.load_rows(
            rows, source_file=DFE.name, sha256="bench", by="bench", command="bench"
        )
    )
    results["snapshot_after_release_s"] = timed(later.snapshot)
    return results


def main() -> int:
    report: dict[str, object] = {"files_load_store_s": timed(lambda: load_store(DATA))}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vru.sqlite"
        report["sqlite"] = measure(f"sqlite:///{path}")
        report["sqlite"]["file_bytes"] = os.path.getsize(path)  # type: ignore[index]
    bin_dir = _postgres_bin()
    if bin_dir is None:
        report["postgresql"] = "not measured: PostgreSQL binaries not found (make postgres)"
    else:
        folder = Path(tempfile.gettempdir()) / f"vru-pg-bench-{os.getpid()}"
        server = PostgresServer(bin_dir, folder)
        server.start()
        try:
            report["postgresql"] = measure(server.create_database())
        finally:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
