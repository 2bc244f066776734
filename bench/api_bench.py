"""The open data API's latency for `make bench`, against the framework floor.

Each API request of a realistic mix (a small table, one unit's figures, a page of 1,000
figures as JSON and as CSV, one figure by key, a revalidation answered 304) is timed in
interleaved rounds with the floor app's GET /_dash-layout (a bare Flask/Dash JSON answer), one
keep-alive connection each, so that other work on the machine slows them alike. The figures
are reported (p50, p95 and the ratio of p95 to the floor's); no target is enforced.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

ACCEPT_ENCODING = "gzip, deflate, br, zstd"
FLOOR = "(floor) GET /_dash-layout"
PATHS = {
    "units": "/api/v1/units",
    "observations, one unit": "/api/v1/observations?unit=kent",
    "observations, 1000 JSON": "/api/v1/observations?limit=1000",
    "observations, 1000 CSV": "/api/v1/observations?limit=1000&format=csv",
    "one figure": "",  # a real obs_id, filled in at run time
    "revalidation (304)": "/api/v1/observations?unit=kent",
}


class _Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, float, Any]:
        sent = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path, headers=sent)
                response = self.connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
                continue
            return response.status, time.perf_counter() - started, response
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def measure_api(
    app_port: int,
    floor_port: int,
    requests: int,
    percentile: Callable[[list[float], float], float],
    warmup: int = 10,
) -> dict[str, Any]:
    """p50/p95 of each API request and of the floor, and each p95 as a multiple of the floor's."""
    probe = http.client.HTTPConnection("127.0.0.1", app_port, timeout=60)
    probe.request("GET", "/api/v1/observations?limit=1")  # no Accept-Encoding: plain JSON
    answer = probe.getresponse()
    body = answer.read()
    probe.request("GET", PATHS["revalidation (304)"])
    revalidated = probe.getresponse()
    revalidated.read()
    etag = revalidated.getheader("ETag", "")
    probe.close()
    if answer.status != 200 or revalidated.status != 200:
        return {"error": f"the API answered {answer.status} / {revalidated.status}"}
    paths = dict(PATHS)
    obs_id = json.loads(body)["data"][0]["obs_id"]
    paths["one figure"] = f"/api/v1/observations/{quote(obs_id, safe='')}"
    jobs: dict[str, tuple[int, str, dict[str, str], int]] = {}
    for name, path in paths.items():
        revalidating = "304" in name
        headers = {"If-None-Match": etag} if revalidating else {}
        jobs[name] = (app_port, path, headers, 304 if revalidating else 200)
    jobs[FLOOR] = (floor_port, "/_dash-layout", {}, 200)
    connections = {name: _Connection(port) for name, (port, *_) in jobs.items()}
    times: dict[str, list[float]] = {name: [] for name in jobs}
    failures: dict[str, int] = {name: 0 for name in jobs}
    try:
        for round_number in range(warmup + requests):
            for name, (_, path, headers, wanted) in jobs.items():
                got, seconds, _ = connections[name].get(path, headers)
                if got != wanted:
                    failures[name] += 1
                elif round_number >= warmup:
                    times[name].append(seconds)
    finally:
        for connection in connections.values():
            connection.close()
    floor_p95 = percentile(times[FLOOR], 0.95)
    rows = {}
    for name, values in times.items():
        p95 = percentile(values, 0.95)
        rows[name] = {
            "path": jobs[name][1],
            "p50_ms": round(1000 * percentile(values, 0.5), 2),
            "p95_ms": round(1000 * p95, 2),
            "p95_x_floor": round(p95 / floor_p95, 2) if floor_p95 else None,
            "failures": failures[name],
        }
    return rows


def print_api(rows: dict[str, Any]) -> None:
    if "error" in rows:
        print(f"API: {rows['error']}")
        return
    print(f"\n{'API request':<28} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>10}")
    for name, row in rows.items():
        ratio = "" if row["p95_x_floor"] is None else f"{row['p95_x_floor']:.1f}x"
        print(f"{name:<28} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {ratio:>10}")
