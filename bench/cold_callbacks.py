"""First (uncached) answers of the dashboard's callbacks, in process, against the floor app's.

Why this exists beside `make bench`: after a release every cache is cold, so what a visitor
waits for is the first answer of each callback over the new data, and that is what this
times, without a browser or a server, so that a slow callback can be profiled in seconds.

How: the app is built as `create_app()` builds it (its SQLite store in a temporary folder,
seeded from data/), warmed as gunicorn warms it, and every recorded request is answered once
(the process has served the previous release). Then the data version is moved on, as a
release does: every cache key changes. The new snapshot is built and prepared as a worker's
background thread does before serving it (timed on its own, as "new snapshot"), and then
each recorded request is sent once and timed: none of them can be
answered from a cache. The floor app (bench/floor_app.py) is timed the same way, in the same
process. `--fresh` times the very first answers of a new process instead (no earlier answers).

The request bodies are the ones `make bench` recorded in Chromium: run_bench writes them into
its results (`recorded_bodies`); give that file with `--bodies`.

    python bench/cold_callbacks.py --bodies bench-results.json
    python bench/cold_callbacks.py --bodies bench-results.json --profile knife-rate
    python bench/cold_callbacks.py --bodies bench-results.json --only map --each
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UPDATE_PATH = "/_dash-update-component"
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, deflate, br"}
WALL = "--wall" in sys.argv
FLOOR_LIMIT = 3.0  # the target: a first answer within 3x the floor's first answer


def load_bodies(path: Path) -> dict[str, list[str]]:
    """{callback name: [request bodies]} from run_bench's results or a plain mapping."""
    found = json.loads(path.read_text(encoding="utf-8"))
    return found.get("recorded_bodies", found)


def post(client: Any, body: str) -> float:
    """Seconds of CPU this process spent answering (`--wall` for elapsed time): on a shared
    machine, CPU time is what other work changes least."""
    clock = time.perf_counter if WALL else time.process_time
    started = clock()
    reply = client.post(UPDATE_PATH, data=body, headers=HEADERS)
    seconds = clock() - started
    if reply.status_code not in (200, 204):
        raise RuntimeError(f"{reply.status_code} for {body[:120]}")
    return seconds


def new_release(store: Any) -> None:
    """Move the data version on, as publishing a release does (the data stay the same)."""
    with store._writing() as connection:
        store._bump(connection, dt.datetime.now(dt.UTC))


def floor_first_answers(fresh: bool, rounds: int = 21) -> float:
    """The floor's answer (median of a few): it has no cache, so every answer is a first one."""
    from bench.floor_app import create_floor_app

    client = create_floor_app().server.test_client()
    client.get("/")
    body = json.dumps(
        {
            "output": "floor-chart-graph.figure",
            "outputs": {"id": "floor-chart-graph", "property": "figure"},
            "inputs": [{"id": "floor-series-dropdown", "property": "value", "value": "first"}],
            "changedPropIds": [],
        }
    )
    if fresh:
        return post(client, body)
    post(client, body)
    return statistics.median(post(client, body) for _ in range(rounds))


def dashboard_first_answers(
    bodies: dict[str, list[str]],
    fresh: bool,
    profile: str | None,
    each: bool = False,
    profile_out: Path | None = None,
) -> tuple[dict[str, float], float]:
    """Seconds of the slowest first answer per callback, and of the snapshot rebuild."""
    os.environ.setdefault("VRU_STORE_DIR", tempfile.mkdtemp(prefix="vru-cold-"))
    os.environ.setdefault("VRU_LOG_LEVEL", "WARNING")
    from dashboard import serving
    from dashboard.factory import create_app

    app = create_app()
    server = app.server
    serving.warm_up(server)
    client = server.test_client()
    snapshot_seconds = 0.0
    if not fresh:
        for name in bodies:
            for body in bodies[name]:
                post(client, body)
        live = _live_store(server)
        new_release(live.source)
        # What a worker's background thread does before it serves the release (off the
        # request path): build the snapshot and prepare it. Timed on its own.
        started = time.process_time()
        live.refresh()
        snapshot_seconds = time.process_time() - started
        live.settle()  # as the worker does once idle (dashboard/store/live.py)
    profiler = cProfile.Profile() if profile else None
    worst: dict[str, float] = {}
    for name in bodies:
        watched = profiler is not None and profile in name
        for body in bodies[name]:
            if watched:
                profiler.enable()
            seconds = post(client, body)
            if watched:
                profiler.disable()
            worst[name] = max(worst.get(name, 0.0), seconds)
            if each:  # which of a callback's inputs is the slow one
                values = [given.get("value") for given in json.loads(body).get("inputs", [])]
                print(f"  {1000 * seconds:7.1f} ms  {name[:44]:<44} {str(values)[:90]}")
    worst[ROWS_NAME] = rows_first_answer(client, _live_store(server).latest().fingerprint)
    if profiler is not None:
        text = io.StringIO()
        shown = r"dashboard|callbacks|layouts|plotly/basedatatypes|json"
        if profile_out is not None:  # for pstats' callers and callees views
            profiler.dump_stats(profile_out)
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(shown, 40)
        print(text.getvalue())
    return worst, snapshot_seconds


ROWS_NAME = "data grid rows body (GET /_grid/<version>.json)"


def rows_first_answer(client: Any, version: str) -> float:
    """The first GET of the data grid's rows body (dashboard/grid_feed.py), which the grid's
    callback names instead of sending the rows."""
    clock = time.perf_counter if WALL else time.process_time
    started = clock()
    reply = client.get(f"/_grid/{version}.json", headers=HEADERS)
    seconds = clock() - started
    if reply.status_code != 200:
        raise RuntimeError(f"{reply.status_code} for the rows of {version}")
    return seconds


def _live_store(server: Any) -> Any:
    """The LiveStore the app binds each request to (found through its before_request hook)."""
    for hooks in server.before_request_funcs.values():
        for hook in hooks:
            owner = getattr(hook, "__self__", None)
            if owner is not None and hasattr(owner, "latest") and hasattr(owner, "source"):
                return owner
    raise RuntimeError("the app has no live store (is VRU_DATABASE_URL or the store off?)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=Path, default=ROOT / "bench-results.json")
    parser.add_argument("--fresh", action="store_true", help="first answers of a new process")
    parser.add_argument("--profile", help="cProfile the callbacks whose name contains this")
    parser.add_argument("--only", help="time only the callbacks whose name contains this")
    parser.add_argument("--wall", action="store_true", help="elapsed time, not CPU time")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--each", action="store_true", help="print every request's time")
    parser.add_argument("--profile-out", type=Path, help="write the --profile stats here")
    args = parser.parse_args()
    bodies = load_bodies(args.bodies)
    if args.only:
        bodies = {name: found for name, found in bodies.items() if args.only in name}
    floor = floor_first_answers(args.fresh)
    worst, snapshot = dashboard_first_answers(
        bodies, args.fresh, args.profile, args.each, args.profile_out
    )
    limit = FLOOR_LIMIT * floor
    print(f"floor first answer {1000 * floor:.1f} ms (in process); limit {1000 * limit:.1f} ms")
    if not args.fresh:
        print(
            f"new snapshot after the release, built and prepared: {1000 * snapshot:.1f} ms "
            "(once per worker, in the background)"
        )
    print(f"{'callback':<60} {'first ms':>9} {'x floor':>8}")
    missed = 0
    for name, seconds in sorted(worst.items(), key=lambda item: -item[1]):
        mark = "" if seconds <= limit else "  MISS"
        missed += seconds > limit
        print(f"{name[:60]:<60} {1000 * seconds:>9.1f} {seconds / floor:>8.1f}{mark}")
    print(f"{missed} of {len(worst)} callbacks above {FLOOR_LIMIT:.0f}x the floor")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "floor_ms": round(1000 * floor, 2),
                    "snapshot_ms": round(1000 * snapshot, 1),
                    "first_ms": {k: round(1000 * v, 1) for k, v in worst.items()},
                    "load_average": os.getloadavg(),
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
