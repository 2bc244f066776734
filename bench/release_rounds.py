"""First answers over gunicorn after several releases in a row, per callback.

Why beside `make bench`: the bench times each callback's first answer after one release against
the floor's one first answer, and on a shared 2-core machine a single request moves a lot. This
publishes N releases one after another (as `make bench` does, see run_bench.new_release) and
after each times the first answer of every recorded callback input and of the floor, so the
spread is seen. Uses the request bodies a bench run recorded (`recorded_bodies` in its JSON).

    python bench/release_rounds.py --bodies bench-results.json --rounds 4
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run_bench as rb  # noqa: E402  (after the path line above)

FLOOR_BODY = json.dumps(
    {
        "output": "floor-chart-graph.figure",
        "outputs": {"id": "floor-chart-graph", "property": "figure"},
        "inputs": [{"id": "floor-series-dropdown", "property": "value", "value": "first"}],
        "changedPropIds": [],
    }
)


def slowest_first_answer(port: int, bodies: list[str]) -> float:
    """Seconds of the slowest of these requests, on one fresh keep-alive connection."""
    client = rb.Client(port)
    try:
        return max(client.request("POST", rb.UPDATE_PATH, b.encode()).seconds for b in bodies)
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=Path, default=ROOT / "bench-results.json")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--only", default="", help="only the callbacks whose name has this")
    args = parser.parse_args()
    recorded = json.loads(args.bodies.read_text(encoding="utf-8"))["recorded_bodies"]
    names = [name for name in recorded if args.only in name]
    logs = Path(tempfile.mkdtemp(prefix="vru-rounds-"))
    app = rb.Server(
        "dashboard",
        "app:server",
        rb.free_port(),
        logs / "dashboard.log",
        env={"VRU_STORE_DIR": str(logs / "store")},
    )
    floor = rb.Server("floor", "bench.floor_app:server", rb.free_port(), logs / "floor.log")
    floors: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in names}
    with rb.running([app, floor]):
        rb.wait_ready(app, "/healthz")
        rb.wait_ready(floor, "/")
        for name in names:  # the release before: every cache filled once
            slowest_first_answer(app.port, recorded[name])
        for number in range(args.rounds):
            release = rb.new_release(app)
            floors.append(slowest_first_answer(floor.port, [FLOOR_BODY]))
            for name in names:
                times[name].append(slowest_first_answer(app.port, recorded[name]))
            print(f"release {number + 1}: {release}", flush=True)
    print("floor's first answer, ms: " + " ".join(f"{1000 * s:.1f}" for s in floors))
    print(f"{'callback':<60} {'median':>7}  each release, ms")
    for name, found in sorted(times.items(), key=lambda item: -statistics.median(item[1])):
        each = " ".join(f"{1000 * s:5.1f}" for s in found)
        print(f"{name[:60]:<60} {1000 * statistics.median(found):7.1f}  {each}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
