"""How the API answers over HTTP: JSON or CSV, ETags and 304s, cache and CORS headers, errors.

The ETag of a table answer names what the answer is a pure function of: the data (its
version), the code, and the parsed request (see dashboard.api), so a revalidation is answered
without building the body, and every worker or replica holding the same data and code gives
the same ETag. Other answers (the package, the OpenAPI document) hash their body.
flask-compress appends ':gzip' (or another coding) to an ETag, so the comparison ignores such
a suffix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import flask
import pandas as pd

from dashboard.api.query import Problem
from dashboard.api.tables import Table
from dashboard.export import neutralise, spreadsheet_value

JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"
# Every answer may be kept by a browser or proxy, but is checked (cheaply, by ETag) before it
# is used again: a new release must show within seconds, not after a max-age.
CACHE_CONTROL = "public, no-cache"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, X-Total-Count, X-Data-Version",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD",
    "Access-Control-Allow-Headers": "Accept, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
READ_METHODS = ("GET", "HEAD")


def wants_csv(fmt: str | None, request: flask.Request) -> bool:
    """`format` when given; else the Accept header (JSON unless CSV is preferred)."""
    if fmt is not None:
        return fmt == "csv"
    accepted = request.accept_mimetypes
    return accepted[CSV_TYPE] > accepted[JSON_TYPE]


def csv_cell(value: Any) -> str:
    """A cell as the data page's CSV writes it: text neutralised against formulas, numbers
    plain (4800000, not 4800000.0), dates ISO, missing empty."""
    cell = spreadsheet_value(value)
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    return str(cell)


def _record_cell(value: Any) -> str:
    """A JSON value of a record (None, bool, int, float or str) as its CSV text."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return csv_cell(value)


def csv_text(names: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows (JSON records) as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_record_cell(row.get(name)) for name in names] for row in rows)
    return buffer.getvalue()


def frame_csv(table: Table, frame: pd.DataFrame, records: list[dict[str, Any]]) -> str:
    return csv_text([f.name for f in table.fields_of(frame)], records)


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def _matches(header: str, etag: str) -> bool:
    for part in header.split(","):
        tag = part.strip().removeprefix("W/").strip('"')
        if tag == "*" or tag.split(":")[0] == etag:
            return True
    return False


def with_headers(response: flask.Response) -> flask.Response:
    response.headers.update(CORS_HEADERS)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept")
    return response


def not_modified(etag: str) -> flask.Response | None:
    """A 304 when the request's If-None-Match names `etag`, else None."""
    sent = flask.request.headers.get("If-None-Match", "")
    if sent and _matches(sent, etag):
        response = flask.Response(status=304)
        response.set_etag(etag)
        return with_headers(response)
    return None


def answer(
    body: bytes,
    mimetype: str,
    *,
    filename: str | None = None,
    headers: Mapping[str, str] | None = None,
    etag: str | None = None,
) -> flask.Response:
    """A 200 with an ETag (by default a hash of the body), or a 304 when the client holds
    this very answer already."""
    etag = etag or etag_of(body)
    request = flask.request
    sent = request.headers.get("If-None-Match", "")
    if sent and _matches(sent, etag):
        response = flask.Response(status=304)
    else:
        response = flask.Response(body, mimetype=mimetype)
        if filename:
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(etag)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return with_headers(response)


def json_answer(
    payload: Any, headers: Mapping[str, str] | None = None, etag: str | None = None
) -> flask.Response:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return answer(text.encode("utf-8"), JSON_TYPE, headers=headers, etag=etag)


def csv_answer(
    text: str, filename: str, headers: Mapping[str, str] | None = None, etag: str | None = None
) -> flask.Response:
    response = answer(text.encode("utf-8"), CSV_TYPE, filename=filename, headers=headers, etag=etag)
    if response.status_code == 200:
        response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    return response


def error(status: int, title: str, problems: Sequence[Problem] = ()) -> flask.Response:
    """A JSON error: the status, a title, and each problem (parameter, message, value)."""
    payload = {
        "error": {
            "status": status,
            "title": title,
            "problems": [p.as_dict() for p in problems],
        }
    }
    response = flask.Response(
        json.dumps(payload, ensure_ascii=False), status=status, mimetype=JSON_TYPE
    )
    response.headers.update(CORS_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


def link(path: str, params: Mapping[str, Any]) -> str:
    """A root-relative link (the same in every worker and behind any host name)."""
    pairs = [
        (name, value)
        for name, values in params.items()
        for value in (values if isinstance(values, list | tuple) else [values])
        if value is not None
    ]
    return f"{path}?{urlencode(pairs)}" if pairs else path
