"""The data grid's rows, sent to the browser once per data version instead of with every filter.

Why: the grid sorts and filters its rows in the browser, so it needs every figure, and its
callback used to send all of them (2.8 MB of JSON) on every change of the unit or year filter,
encoded and compressed anew for each answer: after a release that was the slowest first answer
of any callback. Now the rows of a data version are one JSON body, written and compressed once
(as part of preparing the version, dashboard/prepare.py) and served at an address named by the
version, so the browser keeps it for as long as the data do not change. The callback only
answers which of those rows the filters pick (their positions) and where the body is; the
browser (dashboard/assets/clientside.js, `gridRows`) fetches it once and shows the picked rows.

The rows and their order are `catalogue.grid_for`'s, so the grid shows exactly what it did.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass

import brotli
import flask
import orjson
from backports import zstd

from dashboard import catalogue
from dashboard.datastore import DataStore
from dashboard.serving import IMMUTABLE, accepted_encodings
from dashboard.store.live import snapshot_of
from dashboard.transforms import observations_for

ROWS_PREFIX = "/_grid/"
# Each body is compressed once per data version, so the stronger levels are affordable. On the
# 3,367 rows of 3 Dec 2026 (2.6 MB): brotli 9 72 KB in 0.1 s, zstd 9 75 KB in 24 ms, gzip 9
# 114 KB in 49 ms; brotli is the smallest, so it comes first.
ENCODINGS = ("br", "zstd", "gzip")


@dataclass(frozen=True)
class RowsBody:
    """Every row of a data version, as JSON and in each encoding a browser may accept."""

    token: str
    body: bytes
    encoded: dict[str, bytes]

    @property
    def url(self) -> str:
        return f"{ROWS_PREFIX}{self.token}.json"

    def for_client(self, accept_encoding: str) -> tuple[bytes, str | None]:
        """The smallest body the client accepts, and its encoding (None: plain JSON)."""
        offered = accepted_encodings(accept_encoding)
        for encoding in ENCODINGS:
            if encoding in offered:
                return self.encoded[encoding], encoding
        return self.body, None


def _compress(body: bytes, encoding: str) -> bytes:
    """Not `serving.compress_body`: its zstd 19 takes over a second on this body, once per
    release per worker; zstd 9 is within 10% of its size."""
    if encoding == "br":
        return brotli.compress(body, quality=9)
    if encoding == "zstd":
        return zstd.compress(body, 9)
    return gzip.compress(body, 9, mtime=0)


def rows_body(store: DataStore) -> RowsBody:
    """The version's rows (the grid's records, in the table's order), written once."""

    def build() -> RowsBody:
        records, _ = catalogue.grid_for(store)
        body = orjson.dumps(records)
        encoded = {encoding: _compress(body, encoding) for encoding in ENCODINGS}
        return RowsBody(token=store.fingerprint, body=body, encoded=encoded)

    return store.derived(("grid-rows-body",), build)


def _positions(store: DataStore) -> dict[str, int]:
    """Each figure's place among the version's rows."""

    def build() -> dict[str, int]:
        records, _ = catalogue.grid_for(store)
        return {str(record["obs_id"]): place for place, record in enumerate(records)}

    return store.derived(("grid-row-positions",), build)


def picked(store: DataStore, *, units: Sequence[str] = (), year: str | None = None) -> list[int]:
    """Places (in the rows body) of the figures the unit and year filters keep, in order.

    The filters are the charts' own (`transforms.observations_for`), as `catalogue.grid_for`.
    """
    positions = _positions(store)
    chosen = observations_for(store.observations, units=units, year=year)["obs_id"]
    return sorted(positions[str(obs_id)] for obs_id in chosen)


def selection_payload(
    store: DataStore, *, units: Sequence[str] = (), year: str | None = None
) -> dict[str, object]:
    """What the grid's callback answers: the rows' address and which rows to show.

    `pick` is None when every row is shown, so the commonest answer stays a few bytes.
    """
    everything = not units and not year
    places = None if everything else picked(store, units=units, year=year)
    return {"rows": rows_body(store).url, "pick": places}


def prepare(store: DataStore) -> None:
    """Write and compress the version's rows before the first visitor asks (prepare.py)."""
    rows_body(store)
    _positions(store)


def register_rows_route(server: flask.Flask, store: DataStore) -> None:
    """GET /_grid/<version>.json: the rows of that data version, cached by the browser for good.

    Only the version this worker serves is answered. Another (a worker a moment behind a
    release, or an old page) gets a 404 that is not cached: the page asks again shortly, and
    by then every worker serves the new version.
    """

    def rows(token: str) -> flask.Response:
        snapshot = snapshot_of(store)
        if token != snapshot.fingerprint:
            response = flask.jsonify(
                {"error": "not the data version served now", "served": snapshot.fingerprint}
            )
            response.status_code = 404
            response.headers["Cache-Control"] = "no-store"
            return response
        feed = rows_body(snapshot)
        body, encoding = feed.for_client(flask.request.headers.get("Accept-Encoding", ""))
        response = flask.Response(body, mimetype="application/json")
        if encoding:
            # Set here, so flask-compress leaves the body alone.
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = IMMUTABLE
        response.set_etag(f"{feed.token}-{encoding or 'identity'}")
        return response.make_conditional(flask.request)

    server.add_url_rule(f"{ROWS_PREFIX}<token>.json", "grid_rows", rows, methods=["GET"])
