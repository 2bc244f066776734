"""The HTTP edge: request size and shape limits, a run-time deadline, one log line per failure.

Why here and not in each callback: Dash reads a callback request's body and indexes its lists
before any callback runs, so a body of the wrong shape fails inside Dash (a 500) and a huge
one costs parsing time before our code sees it. These checks run first, on every request.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dash
import flask
from dash._utils import split_callback_id, stringify_id
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable

log = logging.getLogger(__name__)

UPDATE_PATH = "/_dash-update-component"
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Shape limits of a callback body, checked before Dash reads it. The largest real body is the
# data grid's rows sent with a CSV download: about 400 rows of 20 short fields (10,000 values).
MAX_VALUES = 100_000
MAX_STRING = 100_000
MAX_DEPTH = 32
_ALL_WILDCARDS = ('["ALL"]', '["ALLSMALLER"]')


class RequestTimeout(Exception):
    """Raised inside a request's thread when it has run longer than the deadline."""


def json_within_limits(value: Any) -> str | None:
    """Why a decoded JSON value is too big to work on (too many values, too deep, a string too
    long), or None. Walks without recursion, so depth cannot exhaust the stack."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            return f"more than {MAX_VALUES} values"
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH}"
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                return f"a string longer than {MAX_STRING} characters"
        elif isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
            stack.extend((k, depth + 1) for k in item)
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def _pattern(raw_id: str) -> dict[str, Any] | None:
    """A pattern-matching id as the callback list writes it ('{"chart":["MATCH"],...}')."""
    if not raw_id.startswith("{"):
        return None
    try:
        found = json.loads(raw_id)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _id_matches(sent: Any, declared: str) -> bool:
    pattern = _pattern(declared)
    if pattern is None:
        return sent == declared
    if not isinstance(sent, dict) or set(sent) != set(pattern):
        return False
    for key, wanted in pattern.items():
        if isinstance(wanted, list):  # a wildcard: any scalar value
            if not isinstance(sent[key], str | int | float | bool):
                return False
        elif sent[key] != wanted:
            return False
    return True


def _item_error(item: Any, declared: Mapping[str, Any]) -> str | None:
    """Why one entry of `inputs` or `state` does not fit the callback's declaration."""
    raw_id, prop = declared["id"], declared["property"]
    if any(wildcard in raw_id for wildcard in _ALL_WILDCARDS):
        if not isinstance(item, list):
            return f"{raw_id}.{prop} must be a list"
        entries = item
    else:
        entries = [item]
    for entry in entries:
        sent_prop = entry.get("property") if isinstance(entry, dict) else None
        # An output allowed to be set by several callbacks is declared as "value@<hash>".
        if not isinstance(sent_prop, str) or sent_prop.split("@")[0] != prop.split("@")[0]:
            return f"{raw_id}.{prop} is missing"
        if not _id_matches(entry.get("id"), raw_id):
            return f"{raw_id}.{prop} has another id"
    return None


@dataclass
class CallbackShapes:
    """The declared inputs and states of each server callback, read once from the app."""

    app: dash.Dash
    _by_output: dict[str, dict[str, Any]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, output: str) -> dict[str, Any] | None:
        if self._by_output is None:
            with self._lock:
                # Dash keeps the declarations in a private list; /_dash-dependencies serves it.
                self._by_output = {
                    spec["output"]: spec
                    for spec in self.app._callback_list
                    if not spec.get("clientside_function")
                }
        return self._by_output.get(output)


def callback_body_error(body: Any, shapes: CallbackShapes) -> str | None:
    """Why a decoded callback body cannot be a request of this app's callbacks, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    spec = shapes.get(output) if isinstance(output, str) else None
    if spec is None:
        return "no such callback"
    too_big = json_within_limits(body)
    if too_big:
        return f"the body has {too_big}"
    for key in ("inputs", "state"):
        sent = body.get(key, [])
        declared = spec.get(key, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            return f"'{key}' does not match the callback"
        for item, wanted in zip(sent, declared, strict=True):
            problem = _item_error(item, wanted)
            if problem:
                return problem
    declared_outputs = split_callback_id(output)
    outputs = body.get("outputs")
    if isinstance(declared_outputs, dict):
        declared_outputs, outputs = [declared_outputs], [outputs]
    if not isinstance(outputs, list) or len(outputs) != len(declared_outputs):
        return "'outputs' does not match the callback"
    for item, wanted in zip(outputs, declared_outputs, strict=True):
        problem = _item_error(item, wanted)
        if problem:
            return problem
    # Dash parses the id of the input that changed; it must be one of the inputs sent.
    sent_inputs = {
        f"{stringify_id(entry['id'])}.{entry['property']}"
        for item in body.get("inputs", [])
        for entry in (item if isinstance(item, list) else [item])
    }
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(
        isinstance(p, str) and p in sent_inputs for p in changed
    ):
        return "'changedPropIds' must name inputs of the request"
    return None


def request_id() -> str:
    """The id of the current request: the proxy's X-Request-ID when it is sane, else a new one."""
    found = flask.g.get("request_id") if flask.has_request_context() else None
    if found:
        return found
    sent = flask.request.headers.get(REQUEST_ID_HEADER, "")
    found = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex[:12]
    flask.g.request_id = found
    return found


def _raise_in_thread(thread_id: int, error: type[BaseException]) -> bool:
    """Ask Python to raise `error` in another thread at its next bytecode (CPython API).

    Why this and not gunicorn's timeout: gunicorn's gthread worker beats its heartbeat from
    its main loop, so a request stuck in one of its threads is never stopped by `timeout`.
    Code inside one long C call (a pandas operation) is stopped when that call returns.
    """
    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(error)
    )
    return done == 1


@dataclass
class Deadline:
    """Stops any request that runs longer than `seconds`: it answers 503 and the thread is
    freed. A watcher thread per process (started on the first request, so it exists in each
    forked gunicorn worker) looks at the running requests once every `interval` seconds."""

    seconds: float
    interval: float = 0.5
    _running: dict[int, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _watcher_pid: int | None = None

    def started(self) -> None:
        self._ensure_watcher()
        with self._lock:
            self._running[threading.get_ident()] = time.monotonic()

    def finished(self) -> None:
        with self._lock:
            self._running.pop(threading.get_ident(), None)

    def _ensure_watcher(self) -> None:
        if self._watcher_pid == os.getpid():
            return
        with self._lock:
            if self._watcher_pid == os.getpid():
                return
            self._running.clear()  # threads of the parent process do not exist after a fork
            self._watcher_pid = os.getpid()
            threading.Thread(target=self._watch, name="request-deadline", daemon=True).start()

    def stop_overdue(self, now: float) -> list[int]:
        """Raise RequestTimeout in each request thread past the deadline; their idents.

        Under the lock, so a request that has just finished (and may be serving the next one)
        is never hit.
        """
        with self._lock:
            late = [ident for ident, began in self._running.items() if now - began > self.seconds]
            for ident in late:
                del self._running[ident]
                _raise_in_thread(ident, RequestTimeout)
        return late

    def _watch(self) -> None:
        while True:
            time.sleep(self.interval)
            self.stop_overdue(time.monotonic())


def install_limits(app: dash.Dash, *, max_body: int, deadline_seconds: float) -> Deadline:
    """Body size limit, callback body checks, the deadline and one-line failure logs."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body
    shapes = CallbackShapes(app)
    deadline = Deadline(deadline_seconds)

    def check_request() -> None:
        request_id()
        deadline.started()
        request = flask.request
        if request.method == "POST" and request.path == UPDATE_PATH:
            # Werkzeug refuses a body over MAX_CONTENT_LENGTH here, with 413, before parsing.
            try:
                body = json.loads(request.get_data(cache=True))
            except (ValueError, UnicodeDecodeError):
                raise BadRequest("The body is not JSON.") from None
            problem = callback_body_error(body, shapes)
            if problem:
                raise BadRequest(f"Not a request of this app's callbacks: {problem}.")

    def tag_response(response: flask.Response) -> flask.Response:
        response.headers[REQUEST_ID_HEADER] = request_id()
        if 400 <= response.status_code < 500 and response.status_code != 404:
            log.warning(
                "request %s %s %s answered %d",
                request_id(),
                flask.request.method,
                flask.request.path[:200],
                response.status_code,
            )
        return response

    def release(_error: BaseException | None) -> None:
        deadline.finished()

    def failed(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error
        if isinstance(error, RequestTimeout):
            log.error(
                "request %s %s stopped after %.0f s",
                request_id(),
                flask.request.path[:200],
                deadline.seconds,
            )
            return ServiceUnavailable("The request took too long and was stopped.")
        # One line, no payload; the traceback only when someone asked for debug logs.
        log.error(
            "request %s %s failed: %s", request_id(), flask.request.path[:200], type(error).__name__
        )
        log.debug("traceback of request %s", request_id(), exc_info=error)
        return flask.Response(
            f"Internal error (request {request_id()}).", status=500, mimetype="text/plain"
        )

    # First in line, so the cache and Dash never see a body that failed the checks.
    server.before_request_funcs.setdefault(None, []).insert(0, check_request)
    server.after_request(tag_response)
    server.teardown_request(release)
    server.register_error_handler(Exception, failed)
    return deadline


class RateLimitFilter(logging.Filter):
    """Lets the same message template through `burst` times per `period` seconds, then says
    how many were dropped. Why: a failing backend (Redis hung) logs on every request, and
    thousands of identical lines hide everything else and fill disks."""

    def __init__(self, burst: int = 5, period: float = 60.0) -> None:
        super().__init__()
        self.burst = burst
        self.period = period
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            began, count = self._seen.get(key, (now, 0))
            if now - began > self.period:
                if count > self.burst:
                    record.msg = f"{record.msg} [{count - self.burst} like this dropped]"
                began, count = now, 0
            self._seen[key] = (began, count + 1)
            if len(self._seen) > 1000:  # bounded: forget the oldest templates
                for old in sorted(self._seen, key=lambda k: self._seen[k][0])[:500]:
                    del self._seen[old]
        return count < self.burst


def install_rate_limit(logger: logging.Logger | None = None) -> None:
    """Add one RateLimitFilter to each handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RateLimitFilter) for f in handler.filters):
            handler.addFilter(RateLimitFilter())
