"""The running app's view of the store: one snapshot per request, new releases within seconds.

Why a wrapper and not a global that is swapped: views and callbacks were written against a
DataStore passed in once at start-up. `LiveStore` has the same attributes, but each request
resolves them against the snapshot bound at its start (so one answer never mixes two
releases), and at most every `poll_seconds` a request checks the version row and, when it
moved, builds the new snapshot. Every worker does this on its own, so every worker and every
replica follows the database without a restart. When the database cannot be reached, the last
snapshot keeps being served and `status()` says so (the health check reports it).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

import flask

from dashboard.datastore import DataStore

if TYPE_CHECKING:
    from dashboard.store import Store

log = logging.getLogger(__name__)

G_KEY = "vru_snapshot"


class LiveStore:
    """Looks like a DataStore; each attribute comes from the request's snapshot."""

    def __init__(self, store: Store, first: DataStore, poll_seconds: float = 2.0) -> None:
        self.__dict__.update(
            _store=store,
            _latest=first,
            _poll=poll_seconds,
            _checked=time.monotonic(),
            _lock=threading.Lock(),
            _problem="",
        )

    @property
    def source(self) -> Store:
        return self._store

    def latest(self) -> DataStore:
        """The newest snapshot this worker has, checking the database if a poll is due."""
        if time.monotonic() - self._checked < self._poll:
            return self._latest
        if not self._lock.acquire(blocking=False):
            return self._latest  # another thread is checking right now
        try:
            self.__dict__["_checked"] = time.monotonic()
            try:
                if self._store.version() != self._latest.data_version:
                    self.__dict__["_latest"] = self._store.snapshot()
                    log.info("data version %d is now served", self._latest.data_version)
                self.__dict__["_problem"] = ""
            except Exception as error:  # any database failure: keep serving what we have
                if not self._problem:
                    log.warning("store unreachable, serving the last snapshot: %s", error)
                self.__dict__["_problem"] = f"store unreachable ({type(error).__name__})"
        finally:
            self._lock.release()
        return self._latest

    def current(self) -> DataStore:
        """The request's snapshot (bound on first use), or the latest outside a request."""
        if not flask.has_app_context():
            return self.latest()
        snapshot = flask.g.get(G_KEY)
        if snapshot is None:
            snapshot = self.latest()
            setattr(flask.g, G_KEY, snapshot)
        return snapshot

    def bind(self) -> None:
        """`before_request` hook: fix the snapshot the whole request will see."""
        self.current()

    def status(self) -> tuple[str, str]:
        """("ok", "") or ("degraded", why): the database did not answer the last poll."""
        return ("degraded", self._problem) if self._problem else ("ok", "")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the data is read-only")


def install(server: flask.Flask, live: LiveStore) -> None:
    """Bind each request to one snapshot at its start."""
    server.before_request(live.bind)
