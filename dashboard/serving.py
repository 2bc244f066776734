"""Production serving: health check, long-lived cache headers and assets compressed only once."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import logging
import os
import pkgutil
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
import dash
import flask
from backports import zstd
from dash.fingerprint import check_fingerprint

from dashboard.datastore import DataStore
from dashboard.store.live import prepare_first

log = logging.getLogger(__name__)

HEALTH_URL = "/healthz"
IMMUTABLE = "public, max-age=31536000, immutable"
COMPONENT_SUITES = "/_dash-component-suites/"
ASSETS_PREFIX = "/assets/"
VERSION_QUERY = "v"  # ?v=<content hash> on files the app fingerprints itself
# Only these take ?v= as a version: a page address with ?v= must not be cached for a year.
VERSIONED_PREFIXES = ("/vendor/", "/_favicon.ico")
EXTENSION_KEY = "vru_serving"
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium, Firefox and Safari send today

# Levels for bodies compressed once and reused for every visitor. Measured here: on the 1.7 MB of
# Dash scripts of the first page brotli 9 gives 332 KB in 0.9 s, brotli 11 305 KB in 11 s,
# zstd 19 327 KB in 3.8 s (Dash's default zstd 3: 378 KB); on the 4.8 MB plotly bundle zstd 19
# gives 1.18 MB in 1.8 s, brotli 9 1.23 MB in 0.5 s, brotli 11 1.11 MB in 12 s; on the 330 KB
# boundary file brotli 9 92 KB, brotli 11 60 KB. So, at warm-up, everything the first page loads
# and plotly.js get brotli 11, kept in a cache directory so that the 20-odd seconds are paid once
# per installation; anything else asked for later gets brotli 9, or zstd 19 over 1 MB.
LARGE_BODY = 1_000_000
BROTLI_QUALITY = 9
BROTLI_QUALITY_OWN_FILES = 11
ZSTD_LEVEL = 19
GZIP_LEVEL = 9
MIN_SIZE = 500
COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "image/svg+xml",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
)
# Dynamic responses (callbacks, layout) are left to flask-compress as Dash sets it up: it reads
# its algorithms once, at Dash(compress=True), and its defaults are what we want (zstd level 3
# first, then brotli 4 and gzip 6: fast enough to run on every answer).
_ASSET_URL = re.compile(r'(?:src|href)="(/[^"?]+(?:\?[^"]*)?)"')


def fingerprinted_url(url: str, body: bytes) -> str:
    """`url?v=<hash of body>`: the address changes with the content, so it can be cached forever."""
    return f"{url}?{VERSION_QUERY}={hashlib.sha256(body).hexdigest()[:12]}"


def is_immutable_request(request: flask.Request) -> bool:
    """True for addresses whose content can never change: a new version gets a new address.

    Dash puts the package version and file time in component bundle names (`.v4_4_1m1700.js`)
    and a `?m=<mtime>` on files of assets/; the app's own vendor files carry `?v=<hash>`.
    """
    path = request.path
    if path.startswith(COMPONENT_SUITES):
        return check_fingerprint(path)[1]
    if path.startswith(ASSETS_PREFIX) and "m" in request.args:
        return True
    return VERSION_QUERY in request.args and path.startswith(VERSIONED_PREFIXES)


def chosen_encoding(accept_encoding: str, size: int) -> str | None:
    """The encoding for a body compressed once: the smallest the client accepts in good time."""
    offered = accepted_encodings(accept_encoding)
    preference = ("zstd", "br", "gzip") if size > LARGE_BODY else ("br", "zstd", "gzip")
    return next((name for name in preference if name in offered), None)


def compress_body(body: bytes, encoding: str, *, strongest: bool = False) -> bytes:
    """Compress at the level chosen for a body compressed once and served many times.

    `strongest` (what the first page loads, made at warm-up) raises brotli to its slowest,
    smallest level.
    """
    if encoding == "br":
        return brotli.compress(
            body, quality=BROTLI_QUALITY_OWN_FILES if strongest else BROTLI_QUALITY
        )
    if encoding == "zstd":
        return zstd.compress(body, ZSTD_LEVEL)
    if encoding == "gzip":
        return gzip.compress(body, GZIP_LEVEL, mtime=0)
    raise ValueError(f"unsupported encoding {encoding!r}")


class CompressedAssets:
    """Compressed bodies of static files, keyed by content hash, encoding and level.

    Why: flask-compress compresses every response anew, so each first visit spent CPU on
    recompressing the 4.8 MB plotly bundle. These bodies never change while the process runs
    (their addresses are fingerprinted, or they are files read once at start-up), and the set
    of them is fixed by the installed packages, so the store is bounded without eviction.
    With a `directory`, bodies are also written there and read back by later processes: the
    slow brotli 11 of plotly.js (about 12 s) is then paid once per installation, not per start.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self._bodies: dict[tuple[str, str, bool], bytes] = {}
        self._lock = threading.Lock()
        self.directory = directory

    def __len__(self) -> int:
        return len(self._bodies)

    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.blake2b(body, digest_size=16).hexdigest()

    def _path(self, key: tuple[str, str, bool]) -> Path | None:
        if self.directory is None:
            return None
        digest, encoding, strongest = key
        return self.directory / f"{digest}.{'max' if strongest else 'fast'}.{encoding}"

    def find(self, digest: str, encoding: str, strongest: bool) -> bytes | None:
        """A body compressed before, by this process or (from the directory) an earlier one."""
        key = (digest, encoding, strongest)
        found = self._bodies.get(key)
        path = self._path(key)
        if found is None and path is not None:
            with contextlib.suppress(OSError):
                found = path.read_bytes()
                with self._lock:
                    self._bodies[key] = found
        return found

    def get(self, body: bytes, encoding: str, *, strongest: bool = False) -> bytes:
        digest = self.digest(body)
        found = self.find(digest, encoding, strongest)
        if found is None:
            found = compress_body(body, encoding, strongest=strongest)
            key = (digest, encoding, strongest)
            with self._lock:
                self._bodies[key] = found
            self._write(key, found)
        return found

    def _write(self, key: tuple[str, str, bool], data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:  # a read-only directory (a container's image) just means no sharing
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.part")
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError as error:
            log.debug("compressed body not kept in %s: %s", self.directory, error)


@dataclass
class ServingState:
    """What one app keeps for serving: its compressed assets and whether it was warmed up."""

    app: dash.Dash
    static_paths: frozenset[str] = frozenset()
    assets: CompressedAssets = field(default_factory=CompressedAssets)
    warmed: bool = False


def accepted_encodings(accept_encoding: str) -> set[str]:
    offered = set()
    for part in accept_encoding.lower().split(","):
        name, _, quality = part.strip().partition(";")
        if quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            offered.add(name.strip())
    return offered


def _compressed_static(
    response: flask.Response,
    request: flask.Request,
    assets: CompressedAssets,
    *,
    strongest: bool = False,
) -> flask.Response:
    """Compress a static body from the per-process store; flask-compress then leaves it alone."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
    ):
        return response
    response.direct_passthrough = False  # files from send_file are streamed otherwise
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    accepted = request.headers.get("Accept-Encoding", "")
    # A brotli 11 body made at warm-up is the smallest there is: use it when the client can.
    data = None
    if "br" in accepted_encodings(accepted):
        data = assets.find(assets.digest(body), "br", True)
    if data is not None:
        encoding = "br"
    else:
        # Brotli 11 beats zstd 19 on the app's own files (60 KB against 68 KB on the boundaries).
        encoding = chosen_encoding(accepted, 0 if strongest else len(body))
        if encoding is None:
            return response
        data = assets.get(body, encoding, strongest=strongest)
    response.set_data(data)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        # One validator per encoding, as flask-compress does; a revalidation then gets a 304.
        response.set_etag(f"{etag}:{encoding}")
        response.make_conditional(request)
    return response


def configure_static_serving(
    app: dash.Dash, static_paths: Iterable[str] = (), cache_dir: Path | None = None
) -> ServingState:
    """Cache headers and once-only compression for fingerprinted files and the given paths.

    `static_paths` are addresses whose bodies are fixed for the life of the process but not
    fingerprinted (the boundary file keeps its own one-day max-age and ETag): they get the
    once-only compression, not the year-long cache header. Needs `Dash(compress=True)`.
    """
    server = app.server
    fixed = frozenset(static_paths)
    state = ServingState(app, static_paths=fixed, assets=CompressedAssets(cache_dir))
    server.extensions[EXTENSION_KEY] = state

    def after_request(response: flask.Response) -> flask.Response:
        request = flask.request
        immutable = is_immutable_request(request)
        if immutable and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        # Bundles Dash serves without a fingerprint (lazy chunks) are fixed for the life of the
        # process too: compressed once, though not cached for a year.
        if request.path.startswith(COMPONENT_SUITES):
            return _compressed_static(response, request, state.assets)
        if immutable or request.path in fixed:
            return _compressed_static(response, request, state.assets, strongest=True)
        return response

    # Flask runs after_request hooks last-registered first, so this one sees the response before
    # flask-compress (registered by Dash) and marks it encoded, which makes flask-compress skip it.
    server.after_request(after_request)
    return state


def _lazy_plotly_bodies(app: dash.Dash) -> list[bytes]:
    """plotly.js, which a page with a chart loads after the page's own scripts (4.8 MB raw).

    The other lazily loaded chunks (date picker, upload, maths...) are compressed on their
    first request instead: most pages never ask for them, and brotli 9 takes a fraction of a
    second on each.
    """
    bodies = []
    for path in sorted(app.registered_paths.get("plotly", ())):
        if path.endswith(".js"):
            data = pkgutil.get_data("plotly", path)
            if data:
                bodies.append(data)
    return bodies


def warm_up(server: flask.Flask) -> None:
    """Make a fresh process ready before it takes traffic (gunicorn calls this before forking).

    Two reasons. Dash registers its script bundles during the first request of a process and
    marks that done before it has finished, so with threaded workers the browser's parallel
    script requests can reach a worker mid-way and get 500 "not a registered library"; one
    request made here, single-threaded, avoids that. And the compressed bundles are made here
    once, in the master, so the workers inherit them instead of each spending seconds of CPU
    on the first visitors.
    """
    state: ServingState | None = server.extensions.get(EXTENSION_KEY)
    if state is not None and state.warmed:
        return
    started = time.perf_counter()
    # The data's shared frames too, for the same reason (workers inherit them).
    prepare_first(server)
    client = server.test_client()
    page = client.get("/", headers={"Accept-Encoding": "identity"})
    if state is None:
        return
    html = page.get_data(as_text=True)
    # The first page's own files, at the strongest level, once per installation when there is
    # a cache directory. Then plotly.js likewise: with brotli 11 it is 1.11 MB instead of 1.18.
    for url in [*_ASSET_URL.findall(html), *sorted(state.static_paths)]:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        if plain.status_code == 200 and plain.mimetype in COMPRESSIBLE:
            body = plain.get_data()
            if len(body) >= MIN_SIZE:
                state.assets.get(body, "br", strongest=True)
    for body in _lazy_plotly_bodies(state.app):
        state.assets.get(body, "br", strongest=True)
    state.warmed = True
    log.info(
        "warmed up: %d compressed assets in %.1f s",
        len(state.assets),
        time.perf_counter() - started,
    )


UPDATE_PATH = "/_dash-update-component"
# Query arguments of requests that must reach the callback: background-callback polling.
_UNCACHEABLE_ARGS = frozenset({"cacheKey", "job"})
CODE_PACKAGES = ("dashboard", "callbacks", "layouts")
MAX_CACHED_ANSWER = 5_000_000  # bytes, compressed: bounds the memory a few large exports take
# Requests larger than any a page sends for a view (the grid's CSV download sends its rows) are
# answered but not kept: a cache anyone can fill with unique large requests is a memory leak.
MAX_CACHED_REQUEST = 16_000


def code_fingerprint(root: Path, packages: Iterable[str] = CODE_PACKAGES) -> str:
    """A short hash of the app's Python sources: a new release never reads an old release's
    cached answers from a shared Redis."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_callback_responses(
    server: flask.Flask, cache: Any, fingerprint: str | Callable[[], str]
) -> None:
    """Answer a callback request from the cache when the same request was answered before.

    Why this is safe: every callback of the app is a pure function of its request body (the
    inputs, states, outputs and which input changed) over one release of the data (the
    release is in the key): no per-user state, no randomness. So one answer serves every user,
    every worker (with Redis) and every later request with the same body, and a repeated view
    costs a cache lookup instead of pandas and plotly work. `fingerprint` (data and code; a
    function when the data can change while the app runs, read per request) is in every key,
    and so is the day: an export names the day it was made. Answers are kept
    zstd-compressed: a fifth of the memory, and sent as they are to browsers that accept zstd.
    Only 200 answers are kept; errors are never cached.
    """

    def cacheable() -> bool:
        request = flask.request
        return (
            request.method == "POST"
            and request.path == UPDATE_PATH
            and not _UNCACHEABLE_ARGS.intersection(request.args)
        )

    def key_for(request: flask.Request) -> str | None:
        """The key of a request: its body as canonical JSON (key order and spacing do not make
        another entry), or None for a body too large to be worth keeping."""
        raw = request.get_data(cache=True)
        if len(raw) > MAX_CACHED_REQUEST:
            return None
        try:
            canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
        except (ValueError, UnicodeDecodeError):
            return None
        body = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
        # Exports state the day they were made, so an answer is kept for that day only.
        names = fingerprint() if callable(fingerprint) else fingerprint
        return f"callback:{names}:{dt.date.today().isoformat()}:{body}"

    def answer_from_cache() -> flask.Response | None:
        if not cacheable():
            return None
        request = flask.request
        key = key_for(request)
        if key is None:
            return None
        try:
            stored = cache.get(key)
        except Exception as error:  # a cache outage (Redis down) must not fail the request
            log.warning("callback cache unavailable, computing the answer: %s", error)
            return None
        if stored is None:
            return None
        mimetype, compressed = stored
        if "zstd" in request.headers.get("Accept-Encoding", "").lower():
            response = flask.Response(compressed, mimetype=mimetype)
            response.headers["Content-Encoding"] = "zstd"
        else:  # flask-compress picks another encoding for this client
            response = flask.Response(zstd.decompress(compressed), mimetype=mimetype)
        response.vary.add("Accept-Encoding")
        response.headers["X-Callback-Cache"] = "hit"
        return response

    def keep_answer(response: flask.Response) -> flask.Response:
        if (
            response.status_code == 200
            and "X-Callback-Cache" not in response.headers
            and "Content-Encoding" not in response.headers
            and not response.is_streamed
            and cacheable()
        ):
            compressed = zstd.compress(response.get_data(), 3)
            key = key_for(flask.request)
            if key is not None and len(compressed) <= MAX_CACHED_ANSWER:
                try:
                    cache.set(key, (response.mimetype, compressed))
                except Exception as error:  # the answer is still good; only keeping it failed
                    log.warning("callback cache unavailable, answer not kept: %s", error)
            response.headers["X-Callback-Cache"] = "miss"
        return response

    server.before_request(answer_from_cache)
    server.after_request(keep_answer)


def health_report(store: DataStore, cache: Any = None) -> tuple[dict[str, Any], bool]:
    """What the load balancer and the container check see: counts of what was loaded.

    A cache that failed (Redis down) makes the status "degraded" with the reason: the app
    still answers every request, only slower, so the check stays 200.
    """
    report: dict[str, Any] = {
        "units": len(store.units),
        "observations": len(store.observations),
    }
    healthy = report["units"] > 0 and report["observations"] > 0
    if hasattr(store, "boundaries"):
        features = (store.boundaries or {}).get("features") or []
        report["boundaries"] = len(features)
        healthy = healthy and report["boundaries"] > 0
    # Which data this worker serves, and which worker answered (a load balancer or a test can
    # see that every worker follows the store).
    report["data_version"] = int(getattr(store, "data_version", 0))
    # False for a moment after a release: its shared frames are still being worked out.
    report["prepared"] = bool(getattr(store, "fully_prepared", True))
    report["worker"] = os.getpid()
    report["status"] = "ok" if healthy else "unavailable"
    for part in (store, cache):
        status, reason = part.status() if hasattr(part, "status") else ("ok", "")
        if healthy and status != "ok" and report["status"] == "ok":
            report["status"] = status
            report["reason"] = reason
    return report, healthy


def register_health_route(server: flask.Flask, store: DataStore, cache: Any = None) -> None:
    """GET /healthz: 200 and the counts when the data and boundaries are loaded, else 503.

    The app refuses to start on bad data, so a running app is normally healthy; the check still
    looks at what this process holds, so a worker that lost its data is taken out of rotation.
    """

    def healthz() -> flask.Response:
        report, healthy = health_report(store, cache)
        response = flask.jsonify(report)
        response.status_code = 200 if healthy else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule(HEALTH_URL, "healthz", healthz, methods=["GET"])
