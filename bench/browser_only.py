"""Only the browser section of `make bench`: both apps under gunicorn, every page opened cold.

For working on page weight without waiting for the whole benchmark:
`nice .venv/bin/python bench/browser_only.py [BENCH_PORT_BASE]` prints one row per page with
its ratios to the bare Dash page and the load average, and writes BENCH_BROWSER_JSON if set.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser_metrics import browser_section  # noqa: E402
from bench.run_bench import CHROMIUM, CHROMIUM_ARGS, Server, free_port, running, wait_ready  # noqa: E402


def main() -> int:
    base = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    logs = Path(tempfile.mkdtemp(prefix="vru-browser-bench-"))
    app = Server("dashboard", "app:server", base or free_port(), logs / "dashboard.log")
    floor_port = base + 1 if base else free_port()
    floor = Server("floor", "bench.floor_app:server", floor_port, logs / "floor.log")
    load_start = os.getloadavg()
    with running([app, floor]):
        wait_ready(app, "/healthz")
        wait_ready(floor, "/")
        section = browser_section(app.url, floor.url, CHROMIUM, CHROMIUM_ARGS)
    load_end = os.getloadavg()
    floor_row = section["floor"]
    print(f"load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f}")
    print(
        f"{'page':<20} {'drawn ms':>9} {'idle ms':>8} {'x idle':>7} {'long ms':>8} "
        f"{'x long':>7} {'CLS':>6} {'DOM':>6}"
    )
    bare = floor_row
    print(
        f"{'(bare Dash page)':<20} {bare['drawn_ms']:>9} {bare['idle_ms']:>8} {'':>7} "
        f"{bare['long_task_ms']:>8} {'':>7} {bare['cls']:>6} {bare['dom_elements']:>6}"
    )
    for path, row in section["pages"].items():
        print(
            f"{path:<20} {row['drawn_ms']:>9} {row['idle_ms']:>8} {row['idle_ratio']:>7} "
            f"{row['long_task_ms']:>8} {row['long_task_ratio']:>7} {row['cls']:>6} "
            f"{row['dom_elements']:>6}"
        )
    out = os.environ.get("BENCH_BROWSER_JSON")
    if out:
        section["load_average"] = {"start": load_start, "end": load_end}
        Path(out).write_text(json.dumps(section, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
