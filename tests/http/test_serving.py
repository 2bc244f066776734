"""Production serving: /healthz, compressed and long-cached assets, cached callback answers,
and gunicorn starting with the repository's config."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import brotli
import flask
import pytest
from backports import zstd

from dashboard import serving
from dashboard.config import PROJECT_ROOT, Settings
from dashboard.factory import BOOTSTRAP_URL, create_app
from dashboard.geography import BOUNDARY_URL

CHROMIUM_ENCODINGS = "gzip, deflate, br, zstd"
ROUTING_REQUEST = {
    "output": "..page-content-container.children...page-title-store.data..",
    "outputs": [
        {"id": "page-content-container", "property": "children"},
        {"id": "page-title-store", "property": "data"},
    ],
    "inputs": [{"id": "page-url-location", "property": "pathname", "value": "/units"}],
    "changedPropIds": ["page-url-location.pathname"],
}


@pytest.fixture(scope="module")
def app(real_store):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="module")
def client(app):
    client = app.server.test_client()
    client.get("/")
    return client


@pytest.fixture(scope="module")
def page_assets(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


def _decode(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    data = response.get_data()
    if encoding == "br":
        return brotli.decompress(data)
    if encoding == "zstd":
        return zstd.decompress(data)
    assert encoding is None, encoding
    return data


def test_healthz_reports_what_was_loaded(client, real_store):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    report = response.get_json()
    assert report["status"] == "ok"
    assert report["units"] == len(real_store.units) > 0
    assert report["observations"] == len(real_store.observations) > 0
    if hasattr(real_store, "boundaries"):  # the store holds the force boundaries
        assert report["boundaries"] == 43


def test_healthz_is_503_when_the_store_lost_its_rows(real_store):
    empty = dataclasses.replace(real_store, observations=real_store.observations.iloc[0:0])
    server = flask.Flask(__name__)
    serving.register_health_route(server, empty)
    response = server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_fingerprinted_bundles_are_compressed_and_cached_for_a_year(client, page_assets):
    bundles = [url for url in page_assets if url.startswith("/_dash-component-suites/")]
    assert bundles
    for url in bundles:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        packed = client.get(url, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
        assert packed.status_code == 200
        assert packed.headers["Cache-Control"] == serving.IMMUTABLE
        assert packed.headers["Content-Encoding"] in ("br", "zstd"), url
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert _decode(packed) == plain.get_data()
        assert len(packed.get_data()) < len(plain.get_data()) / 2


def test_files_of_assets_carry_their_time_and_are_cached_for_a_year(client, page_assets):
    url = next(url for url in page_assets if url.startswith("/assets/") and "?m=" in url)
    response = client.get(url, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == serving.IMMUTABLE


def test_pages_are_never_cached_for_a_year_whatever_their_query(client):
    for url in ("/", "/?v=1", "/units?m=2", "/healthz?v=3"):
        cache_control = client.get(url).headers.get("Cache-Control", "")
        assert "immutable" not in cache_control, url


def test_a_bundle_is_compressed_once_per_process(app, client, page_assets):
    url = next(u for u in page_assets if "dash_renderer" in u)
    state = app.server.extensions[serving.EXTENSION_KEY]
    first = client.get(url, headers={"Accept-Encoding": CHROMIUM_ENCODINGS}).get_data()
    stored = len(state.assets)
    again = client.get(url, headers={"Accept-Encoding": CHROMIUM_ENCODINGS}).get_data()
    assert again == first
    assert len(state.assets) == stored


def test_compressed_bodies_are_reused_from_the_cache_directory(tmp_path, monkeypatch):
    body = b"const answer = 42;\n" * 2000
    first = serving.CompressedAssets(tmp_path).get(body, "br", strongest=True)
    assert brotli.decompress(first) == body
    monkeypatch.setattr(serving, "compress_body", lambda *a, **k: pytest.fail("recompressed"))
    later = serving.CompressedAssets(tmp_path)  # another process, the same directory
    assert later.get(body, "br", strongest=True) == first
    assert later.find(later.digest(body), "br", True) == first


def test_a_read_only_cache_directory_only_means_no_sharing(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    store = serving.CompressedAssets(blocker / "compressed")
    body = b"body { color: black; }\n" * 100
    assert brotli.decompress(store.get(body, "br")) == body


def test_large_bundles_get_zstd_and_small_ones_brotli():
    assert serving.chosen_encoding(CHROMIUM_ENCODINGS, 5_000_000) == "zstd"
    assert serving.chosen_encoding(CHROMIUM_ENCODINGS, 200_000) == "br"
    assert serving.chosen_encoding("gzip, deflate", 5_000_000) == "gzip"
    assert serving.chosen_encoding("br;q=0, gzip", 10_000) == "gzip"
    assert serving.chosen_encoding("identity", 10_000) is None


def test_bootstrap_css_has_a_versioned_address_cached_for_a_year(client, page_assets):
    versioned = next(url for url in page_assets if url.startswith(BOOTSTRAP_URL + "?v="))
    response = client.get(versioned, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert response.headers["Cache-Control"] == serving.IMMUTABLE
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.get_data()) < 40_000  # 232 KB raw
    plain = client.get(BOUNDARY_URL.replace(BOUNDARY_URL, BOOTSTRAP_URL))
    assert "immutable" not in plain.headers["Cache-Control"]


def test_boundary_file_is_compressed_keeps_its_day_and_revalidates(app, client):
    if not any(rule.rule == BOUNDARY_URL for rule in app.server.url_map.iter_rules()):
        pytest.skip("the boundary route is not wired into the factory")
    response = client.get(BOUNDARY_URL, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert json.loads(_decode(response))["type"] == "FeatureCollection"
    again = client.get(
        BOUNDARY_URL,
        headers={"Accept-Encoding": CHROMIUM_ENCODINGS, "If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.get_data() == b""


def test_callback_answers_are_compressed(client):
    response = client.post(
        "/_dash-update-component",
        json=ROUTING_REQUEST,
        headers={"Accept-Encoding": CHROMIUM_ENCODINGS},
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "zstd"  # flask-compress default, level 3
    assert "response" in json.loads(_decode(response))


def test_a_repeated_callback_request_is_answered_from_the_cache(app):
    client = app.server.test_client()
    headers = {"Accept-Encoding": CHROMIUM_ENCODINGS}
    request = {**ROUTING_REQUEST, "inputs": [{**ROUTING_REQUEST["inputs"][0], "value": "/data"}]}
    first = client.post("/_dash-update-component", json=request, headers=headers)
    second = client.post("/_dash-update-component", json=request, headers=headers)
    plain = client.post(
        "/_dash-update-component", json=request, headers={"Accept-Encoding": "identity"}
    )
    assert (first.headers["X-Callback-Cache"], second.headers["X-Callback-Cache"]) == (
        "miss",
        "hit",
    )
    assert json.loads(_decode(first)) == json.loads(_decode(second)) == json.loads(plain.data)


def test_other_inputs_are_not_served_another_answer(app):
    client = app.server.test_client()
    answers = []
    for path in ("/units", "/data", "/units"):
        request = {**ROUTING_REQUEST, "inputs": [{**ROUTING_REQUEST["inputs"][0], "value": path}]}
        answers.append(client.post("/_dash-update-component", json=request).get_json())
    assert answers[0] == answers[2] != answers[1]


def test_the_callback_cache_can_be_switched_off(real_store):
    settings = dataclasses.replace(Settings.defaults(), callback_cache=False)
    client = create_app(settings, real_store).server.test_client()
    client.get("/")
    for _ in range(2):
        response = client.post("/_dash-update-component", json=ROUTING_REQUEST)
        assert response.status_code == 200
        assert "X-Callback-Cache" not in response.headers


def test_warm_up_registers_bundles_and_compresses_them_once(real_store):
    app = create_app(Settings.defaults(), real_store)
    serving.warm_up(app.server)
    state = app.server.extensions[serving.EXTENSION_KEY]
    assert state.warmed
    assert "plotly" in app.registered_paths
    assert len(state.assets) >= 10
    stored = len(state.assets)
    serving.warm_up(app.server)  # a second call (post_worker_init after when_ready) is free
    assert len(state.assets) == stored


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, encoding: str = CHROMIUM_ENCODINGS) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, dict(response.headers)


@pytest.mark.slow
def test_gunicorn_serves_the_app_with_the_repository_config():
    port = _free_port()
    env = {
        **os.environ,
        "VRU_BIND": f"127.0.0.1:{port}",
        "VRU_WORKERS": "2",
        "VRU_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stdout.read().decode(errors="replace")
            try:
                status, _ = _get(base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz in 90 s"
                time.sleep(0.3)
        assert status == 200
        html = urllib.request.urlopen(base + "/", timeout=30).read().decode()
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
        # All of the page's files at once, as a browser asks for them, from both workers: each
        # must answer 200 (Dash's first-request set-up is done before the workers start).
        with ThreadPoolExecutor(max_workers=8) as pool:
            replies = list(pool.map(lambda url: _get(base + url), assets * 2))
        assert [status for status, _ in replies] == [200] * len(replies)
        scripts = [
            headers
            for (_, headers), url in zip(replies, assets * 2, strict=True)
            if url.startswith("/_dash-component-suites/")
        ]
        assert all(h["Content-Encoding"] in ("br", "zstd") for h in scripts)
        assert all(h["Cache-Control"] == serving.IMMUTABLE for h in scripts)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == 0


class _UnreachableCache:
    """Stands for a Redis that is down: every call fails."""

    def get(self, key):
        raise ConnectionError("redis is down")

    def set(self, key, value):
        raise ConnectionError("redis is down")


def test_callbacks_still_answer_when_the_cache_is_unreachable(real_store):
    settings = dataclasses.replace(Settings.defaults(), callback_cache=False)
    app = create_app(settings, real_store)
    serving.cache_callback_responses(app.server, _UnreachableCache(), "fingerprint")
    client = app.server.test_client()
    client.get("/")
    for _ in range(2):
        response = client.post("/_dash-update-component", json=ROUTING_REQUEST)
        assert response.status_code == 200
        assert "response" in response.get_json()


def test_gunicorn_refuses_to_start_on_bad_data_with_one_message(tmp_path):
    env = {**os.environ, "VRU_DATA_DIR": str(tmp_path), "VRU_BIND": f"127.0.0.1:{_free_port()}"}
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "app:server"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "vru-dashboard cannot start" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout
