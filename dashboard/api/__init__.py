"""The read-only open data API under /api/v1: a Flask blueprint over the app's DataStore.

`store` is whatever the app's callbacks get (today the CSV DataStore; with the SQL store, an
object resolving to the current snapshot), so the API always answers from the same data as
the views. Each request reads the store's attributes once and works on those frames.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

import flask
import pandas as pd
from werkzeug.exceptions import HTTPException

from dashboard.api import http
from dashboard.api.datapackage import package_zip, store_history
from dashboard.api.openapi import PREFIX, openapi_document
from dashboard.api.query import Query, QueryError, encode_cursor, parse_query
from dashboard.api.rows import BY_NAME, filtered, find_row, known_values, page_of, prepared
from dashboard.api.tables import Table, records
from dashboard.cache import data_fingerprint
from dashboard.config import PROJECT_ROOT
from dashboard.serving import code_fingerprint

LICENCE = (
    "Official figures: Open Government Licence v3.0. Other figures: facts cited to the source "
    "on their row (see /api/v1/sources, licence)."
)


@dataclass
class _PackageMemo:
    """The last data package built, by data version: one zip per release, not per request."""

    token: Any = None
    payload: bytes = b""
    lock: threading.Lock = field(default_factory=threading.Lock)


def data_version(store: Any) -> int | None:
    """The store's data version; None for data read straight from files (version 0)."""
    return getattr(store, "data_version", None) or None


def _meta(table: Table, page: Any, query: Query, store: Any) -> dict[str, Any]:
    return {
        "table": table.name,
        "total": page.total,
        "returned": len(page.rows),
        "limit": query.limit,
        "offset": page.offset,
        "data_version": data_version(store),
        "licence": LICENCE,
    }


def _query_params(query: Query) -> dict[str, Any]:
    return {name: list(values) for name, values in query.filters.items() if values}


def _links(table: Table, page: Any, query: Query) -> dict[str, Any]:
    """self, next and prev as root-relative links; next pages by offset when the request
    did, else by cursor (which stays right when figures are added between pages)."""
    path = f"{PREFIX}/{table.name}"
    params = _query_params(query)
    if query.format:
        params["format"] = query.format
    params["limit"] = query.limit
    if query.by_offset:
        here: dict[str, Any] = {**params, "offset": query.offset}
    else:
        here = {**params, "cursor": encode_cursor(query.after) if query.after else None}
    links: dict[str, Any] = {"self": http.link(path, here), "next": None, "prev": None}
    if page.next_key is not None:
        links["next"] = http.link(
            path,
            {**params, "offset": query.offset + query.limit}
            if query.by_offset
            else {**params, "cursor": encode_cursor(page.next_key)},
        )
    if query.by_offset and query.offset:
        links["prev"] = http.link(path, {**params, "offset": max(0, query.offset - query.limit)})
    links["describedby"] = f"{PREFIX}/openapi.json"
    return links


@dataclass
class _Prepared:
    """Each table narrowed and sorted once per data version (a few kept), not per request."""

    frames: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    keep: int = 20

    def get(self, store: Any, table: Table, token: str) -> pd.DataFrame:
        key = (table.name, token)
        with self.lock:
            found = self.frames.get(key)
        if found is None:
            found = prepared(store, table)
            with self.lock:
                if len(self.frames) >= self.keep:
                    self.frames.clear()
                self.frames[key] = found
        return found


def answer_tag(code: str, token: str, request: str, query: Query, csv: bool) -> str:
    """The ETag of a table answer: what it is a pure function of."""
    text = f"{code}|{token}|{request}|{query!r}|{'csv' if csv else 'json'}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def api_blueprint(store: Any) -> flask.Blueprint:
    """The /api/v1 routes over `store`."""
    api = flask.Blueprint("api_v1", __name__, url_prefix=PREFIX)
    memo = _PackageMemo()
    tables = _Prepared()
    code = code_fingerprint(PROJECT_ROOT)

    def list_rows(name: str) -> flask.Response:
        endpoint = BY_NAME[name]
        table = endpoint.table
        pairs = list(flask.request.args.items(multi=True))
        try:
            query = parse_query(pairs, endpoint.filters, known_values(store, endpoint))
        except QueryError as error:
            return http.error(400, "The query was not understood.", error.problems)
        token = data_fingerprint(store)
        as_csv = http.wants_csv(query.format, flask.request)
        etag = answer_tag(code, token, name, query, as_csv)
        unchanged = http.not_modified(etag)
        if unchanged is not None:
            return unchanged
        try:
            page = page_of(filtered(tables.get(store, table, token), endpoint, query), table, query)
        except QueryError as error:
            return http.error(400, "The query was not understood.", error.problems)
        rows = records(table, page.rows)
        links = _links(table, page, query)
        headers = {"X-Total-Count": str(page.total)}
        version = data_version(store)
        if version is not None:
            headers["X-Data-Version"] = str(version)
        if links["next"]:
            headers["Link"] = f'<{links["next"]}>; rel="next"'
        if as_csv:
            text = http.frame_csv(table, page.rows, rows)
            return http.csv_answer(text, f"{table.name}.csv", headers, etag)
        payload = {"data": rows, "meta": _meta(table, page, query, store), "links": links}
        return http.json_answer(payload, headers, etag)

    def one_row(name: str, key: str) -> flask.Response:
        endpoint = BY_NAME[name]
        table = endpoint.table
        pairs = list(flask.request.args.items(multi=True))
        try:
            query = parse_query(pairs, (), {}, paged=False)
        except QueryError as error:
            return http.error(400, "The query was not understood.", error.problems)
        found = find_row(store, table, key[:200])
        if found.empty:
            return http.error(404, f"No {table.name} row has {table.key} '{key[:40]}'.")
        rows = records(table, found.iloc[:1])
        if http.wants_csv(query.format, flask.request):
            return http.csv_answer(http.frame_csv(table, found, rows), f"{table.name}-{key}.csv")
        links = {"self": f"{PREFIX}/{name}/{key}", "describedby": f"{PREFIX}/openapi.json"}
        return http.json_answer({"data": rows[0], "links": links})

    for name in BY_NAME:
        api.add_url_rule(
            f"/{name}",
            f"list_{name}",
            lambda name=name: list_rows(name),
            methods=["GET"],
            merge_slashes=False,
        )
        api.add_url_rule(
            f"/{name}/<key>",
            f"get_{name}",
            lambda key, name=name: one_row(name, key),
            methods=["GET"],
            merge_slashes=False,
        )

    def index() -> flask.Response:
        payload = {
            "description": "Open data API of the Violence Reduction Units dashboard.",
            "openapi": f"{PREFIX}/openapi.json",
            "datapackage": f"{PREFIX}/datapackage.zip",
            "tables": {name: f"{PREFIX}/{name}" for name in BY_NAME},
        }
        return http.json_answer(payload)

    def openapi() -> flask.Response:
        return http.json_answer(openapi_document())

    def datapackage() -> flask.Response:
        # The data's own name (the store's epoch and version): a release makes a new package.
        token = data_fingerprint(store)
        with memo.lock:
            if memo.token != token or not memo.payload:
                memo.payload = package_zip(store, store_history(store))
                memo.token = token
            payload = memo.payload
        return http.answer(payload, "application/zip", filename="vru-dashboard-figures.zip")

    def not_found(rest: str) -> flask.Response:
        return http.error(404, "No such address in /api/v1; see /api/v1/openapi.json.")

    api.add_url_rule("/", "index", index, methods=["GET"])
    api.add_url_rule("/openapi.json", "openapi", openapi, methods=["GET"])
    api.add_url_rule("/datapackage.zip", "datapackage", datapackage, methods=["GET"])
    # No redirect from "a//b" to "a/b": an API address is exact, and anything else is a JSON 404.
    api.add_url_rule("/<path:rest>", "not_found", not_found, methods=["GET"], merge_slashes=False)
    return api


def install_api(server: flask.Flask, store: Any) -> None:
    """Register the blueprint, JSON answers for wrong methods, and CORS preflights."""
    server.register_blueprint(api_blueprint(store))

    def preflight() -> flask.Response | None:
        request = flask.request
        if request.path.startswith(PREFIX) and request.method == "OPTIONS":
            response = flask.Response(status=204)
            response.headers.update(http.PREFLIGHT_HEADERS)
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
            return response
        if request.path.startswith(PREFIX) and request.method not in http.READ_METHODS:
            response = http.error(405, "The API is read-only: use GET or HEAD.")
            response.headers["Allow"] = "GET, HEAD, OPTIONS"
            return response
        return None

    server.before_request_funcs.setdefault(None, []).append(preflight)

    def http_error(error: HTTPException) -> Any:
        # Routing fails before any API view runs (a key with a newline or a slash in it), so
        # the blueprint's own routes cannot answer: an API address still gets JSON.
        if flask.request.path.startswith(PREFIX) and (error.code or 500) >= 400:
            return http.error(error.code or 500, error.description or error.name)
        return error

    server.register_error_handler(HTTPException, http_error)
