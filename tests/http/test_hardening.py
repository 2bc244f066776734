"""Hostile and careless requests: sizes, shapes, headers, 404s, logs and a hung Redis."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import threading
import time

import pytest

from dashboard import limits
from dashboard.cache import BoundedMemoryCache, GuardedCache
from dashboard.config import Settings
from dashboard.factory import create_app

UPDATE = "/_dash-update-component"


def _request(output: str, inputs: list, outputs, state: list | None = None) -> dict:
    body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": []}
    if state is not None:
        body["state"] = state
    return body


def _map_headline(year, units=None) -> dict:
    ids = ["map-title-text", "map-subtitle-text", "map-summary-text", "map-source-text"]
    ids += ["map-headline-container", "map-profile-container", "map-units-container"]
    return _request(
        ".." + "...".join(f"{i}.children" for i in ids) + "..",
        [
            {"id": "filters-unit-dropdown", "property": "value", "value": units},
            {"id": "filters-year-dropdown", "property": "value", "value": year},
            {"id": "filters-measure-dropdown", "property": "value", "value": None},
        ],
        [{"id": i, "property": "children"} for i in ids],
    )


def _chart_card(chart: str, units) -> dict:
    """The request of one chart card's fill callback (string ids: "<kind>-<chart>")."""
    kinds = ["chart-figure-graph.figure", "chart-data-table.children"]
    kinds += ["chart-summary-text.children", "chart-subtitle-text.children"]
    kinds += ["chart-source-text.children"]
    outputs = []
    for kind in kinds:
        component, prop = kind.split(".")
        outputs.append({"id": f"{component}-{chart}", "property": prop})
    output = ".." + "...".join(f"{o['id']}.{o['property']}" for o in outputs) + ".."
    return _request(
        output,
        [
            {"id": "filters-unit-dropdown", "property": "value", "value": units},
            {"id": "filters-year-dropdown", "property": "value", "value": None},
            {"id": "filters-measure-dropdown", "property": "value", "value": None},
            {"id": f"chart-figure-graph-{chart}", "property": "id"},
        ],
        outputs,
        state=[{"id": f"chart-view-radio-{chart}", "property": "value", "value": "chart"}],
    )


@pytest.fixture(scope="module")
def app(real_store):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    client.get("/")
    return client


@pytest.mark.parametrize("year", ["abcd", "9999-00", "2030-31", "2019/20", ["2019-20"], 7])
def test_map_headline_answers_any_year(client, year):
    response = client.post(UPDATE, json=_map_headline(year))
    assert response.status_code == 200


def test_a_string_of_units_is_one_unit_not_letters(client):
    one = client.post(UPDATE, json=_chart_card("funding-by-year", "kent")).get_json()
    listed = client.post(UPDATE, json=_chart_card("funding-by-year", ["kent"])).get_json()
    assert one["response"] == listed["response"]


def test_an_unknown_unit_on_a_chart_card_is_left_out(client):
    response = client.post(UPDATE, json=_chart_card("funding-by-year", ["kent", "atlantis"]))
    assert response.status_code == 200
    known = client.post(UPDATE, json=_chart_card("funding-by-year", ["kent"]))
    assert response.get_json()["response"] == known.get_json()["response"]


def test_a_wellformed_year_without_figures_is_named_in_the_notice(client):
    body = _request(
        "..page-url-location.search...filters-unit-dropdown.value...filters-year-dropdown.value"
        "...filters-measure-dropdown.value...page-url-notice.children..",
        [
            {"id": "page-url-location", "property": "search", "value": "?year=2030-31"},
            {"id": "filters-unit-dropdown", "property": "value", "value": None},
            {"id": "filters-year-dropdown", "property": "value", "value": None},
            {"id": "filters-measure-dropdown", "property": "value", "value": None},
            {"id": "filters-reset-button", "property": "n_clicks", "value": None},
        ],
        [
            {"id": "page-url-location", "property": "search"},
            {"id": "filters-unit-dropdown", "property": "value"},
            {"id": "filters-year-dropdown", "property": "value"},
            {"id": "filters-measure-dropdown", "property": "value"},
            {"id": "page-url-notice", "property": "children"},
        ],
    )
    body["changedPropIds"] = ["page-url-location.search"]
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200
    assert "No figures for 2030/31" in json.dumps(response.get_json())


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        json.dumps({"output": "nope.children", "inputs": []}).encode(),
        json.dumps({"output": "page-content-container.children", "inputs": "x"}).encode(),
        json.dumps(
            {
                "output": "page-content-container.children",
                "outputs": {"id": "page-content-container", "property": "children"},
                "inputs": [{"id": "page-url-location", "property": "pathname", "value": "/"}],
                "changedPropIds": ["{broken.pathname"],
            }
        ).encode(),
    ],
)
def test_malformed_callback_bodies_get_400(client, data):
    response = client.post(UPDATE, data=data, content_type="application/json")
    assert response.status_code == 400


def test_a_body_over_the_limit_gets_413_before_it_is_read(real_store):
    settings = dataclasses.replace(Settings.defaults(), max_body=10_000)
    client = create_app(settings, real_store).server.test_client()
    big = _map_headline(None, ["kent"] * 5000)
    started = time.perf_counter()
    response = client.post(UPDATE, json=big)
    assert response.status_code == 413
    assert time.perf_counter() - started < 1


def test_a_huge_unit_string_costs_no_more_than_a_normal_one(client):
    started = time.perf_counter()
    response = client.post(UPDATE, json=_chart_card("funding-by-year", "k" * 90_000))
    assert response.status_code == 200
    assert time.perf_counter() - started < 2


def test_a_failed_request_logs_one_line_with_id_route_and_type_and_no_payload(real_store, caplog):
    app = create_app(Settings.defaults(), real_store)

    @app.server.route("/_test-boom", methods=["POST"])
    def boom():
        raise ValueError("secret-payload-value")

    client = app.server.test_client()
    with caplog.at_level(logging.INFO):
        response = client.post("/_test-boom", data="secret-payload-value")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.get_data(as_text=True)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert request_id in line and "/_test-boom" in line and "ValueError" in line
    assert "secret-payload-value" not in caplog.text
    assert errors[0].exc_info is None


def test_repeated_warnings_are_rate_limited():
    logger = logging.getLogger("vru-test-rate-limit")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(limits.RateLimitFilter(burst=3, period=60))
    logger.addHandler(handler)
    logger.propagate = False
    for _ in range(1000):
        logger.warning("cache unavailable: %s", "down")
    assert len(records) == 3


def test_a_request_past_the_deadline_is_stopped_with_503(real_store):
    app = create_app(dataclasses.replace(Settings.defaults(), timeout=1), real_store)

    @app.server.route("/_test-slow")
    def slow():
        while True:  # pure Python: stopped at the next bytecode once the deadline passes
            time.sleep(0.01)

    started = time.perf_counter()
    response = app.server.test_client().get("/_test-slow")
    assert response.status_code == 503
    assert time.perf_counter() - started < 4


HEADER_PATHS = ["/", "/trends", "/unit/kent", "/_dash-layout", "/healthz", "/robots.txt"]


@pytest.mark.parametrize("path", HEADER_PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    parts = {p.split()[0]: p.split()[1:] for p in csp.split("; ")}
    assert parts["default-src"] == ["'self'"]
    assert parts["script-src"][0] == "'self'" and "'unsafe-inline'" not in parts["script-src"]
    assert all(s.startswith("'sha256-") for s in parts["script-src"][1:])
    assert parts["object-src"] == ["'none'"] and parts["base-uri"] == ["'self'"]
    assert parts["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_embed_pages_keep_their_frame_ancestors(client):
    csp = client.get("/embed/funding-by-year").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' *" in csp and "default-src 'self'" in csp


def test_hsts_is_sent_when_served_over_https(real_store):
    settings = dataclasses.replace(Settings.defaults(), https=True)
    client = create_app(settings, real_store).server.test_client()
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/.git/config", "/.env", "/nope", "/unit/atlantis", "/wp-admin/"])
def test_unknown_paths_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/trends",
        "/investment",
        "/compare",
        "/units",
        "/data",
        "/methods",
        "/accessibility",
        "/unit/kent",
        "/embed/funding-by-year",
        "/robots.txt",
        "/favicon.ico",
    ],
)
def test_real_pages_still_answer(client, path):
    assert client.get(path).status_code == 200


def test_the_favicon_is_the_apps_own_and_linked_from_the_page(client):
    body = client.get("/favicon.ico").data
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 5000
    assert 'href="/assets/favicon.ico' in client.get("/").get_data(as_text=True)


class _HungRedis:
    """A local socket that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.held.append(conn)

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        for conn in self.held:
            conn.close()
        self.sock.close()


def test_a_hung_redis_costs_one_timeout_then_callbacks_run_at_normal_speed(real_store):
    hung = _HungRedis()
    try:
        normal = create_app(Settings.defaults(), real_store).server.test_client()
        settings = dataclasses.replace(
            Settings.defaults(), cache_redis_url=f"redis://127.0.0.1:{hung.port}/0"
        )
        client = create_app(settings, real_store).server.test_client()
        assert client.get("/healthz").get_json()["status"] == "ok"

        def timed(c, year) -> float:
            started = time.perf_counter()
            assert c.post(UPDATE, json=_map_headline(year)).status_code == 200
            return time.perf_counter() - started

        years = ["2019-20", "2020-21", "2021-22", None, "2018-19", "2022-23"]
        first = timed(client, "2017-18")
        baseline = min(timed(normal, year) for year in years)
        after = min(timed(client, year) for year in years)
        assert first < 2  # connect/read timeouts are short
        assert after < 2 * baseline + 0.02
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json()["status"] == "degraded"
        assert "Redis" in health.get_json()["reason"]
    finally:
        hung.close()


def test_the_memory_cache_is_bounded_in_entries_and_bytes():
    cache = BoundedMemoryCache(max_entries=50, max_bytes=200_000)
    for index in range(500):
        cache.set(f"k{index}", b"x" * 10_000)
    assert len(cache) <= 50 and cache.size_bytes <= 200_000
    assert cache.get("k499") is not None and cache.get("k0") is None


def test_the_answer_cache_does_not_grow_with_unique_large_requests(app):
    client = app.server.test_client()
    backend = app.server.extensions["cache"]
    memory = next(iter(backend.values()))
    before = memory.size_bytes
    for index in range(200):
        body = _chart_card("funding-by-year", [f"unit-{index}-" + "x" * 50_000])
        assert client.post(UPDATE, json=body).status_code == 200
    assert memory.size_bytes - before < 2_000_000


def test_a_breaker_skips_a_failing_backend_until_the_cooldown_ends():
    calls = []

    class Failing:
        def get(self, key):
            calls.append(key)
            raise ConnectionError("down")

        def set(self, key, value):
            raise ConnectionError("down")

    guarded = GuardedCache(Failing(), "Redis cache", cooldown=60)
    for _ in range(100):
        assert guarded.get("k") is None
    assert len(calls) == 1
    assert guarded.status() == ("degraded", "Redis cache unreachable (ConnectionError)")
