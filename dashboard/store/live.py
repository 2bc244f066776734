"""The running app's view of the store: one snapshot per request, new releases within seconds.

Why a wrapper and not a global that is swapped: views and callbacks were written against a
DataStore passed in once at start-up. `LiveStore` has the same attributes, but each request
resolves them against the snapshot bound at its start (so one answer never mixes two
releases), and at most every `poll_seconds` a request checks the version row. When it moved, a
background thread builds the new snapshot and prepares it (the `preparers`: each view's work
done once per data version, such as the map's frames and the data grid's records) and only
then serves it; requests meanwhile keep the previous snapshot. So the cost of a release is
paid once, off the request path, not by the first visitors after it. Every worker does this on
its own, so every worker and every replica follows the database without a restart. When the
database cannot be reached, the last snapshot keeps being served and `status()` says so (the
health check reports it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import flask

from dashboard.datastore import DataStore

if TYPE_CHECKING:
    from dashboard.store import Store

log = logging.getLogger(__name__)

G_KEY = "vru_snapshot"


class LiveStore:
    """Looks like a DataStore; each attribute comes from the request's snapshot."""

    def __init__(
        self,
        store: Store,
        first: DataStore,
        poll_seconds: float = 2.0,
        preparers: Sequence[Callable[[DataStore], object]] = (),
        background: bool = True,
    ) -> None:
        self.__dict__.update(
            _store=store,
            _latest=first,
            _poll=poll_seconds,
            _checked=time.monotonic(),
            _lock=threading.Lock(),
            _advancing=threading.Lock(),
            _problem="",
            _preparers=tuple(preparers),
            _background=background,
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
            moved = self._guarded(lambda: self._store.version() != self._latest.data_version)
        finally:
            self._lock.release()
        if not moved:
            return self._latest
        if not self._background:  # `background=False`: the request that noticed waits
            return self.refresh()
        if self._advancing.acquire(blocking=False):
            # Not joined: the request that noticed goes on with the snapshot it has.
            threading.Thread(target=self._advance, name="vru-next-snapshot", daemon=True).start()
        return self._latest

    def refresh(self) -> DataStore:
        """Check now and, if the version moved, build, prepare and serve the new snapshot before
        returning it (commands and tests; requests use `latest`, which never waits)."""
        with self._advancing:
            self._advance(locked=True)
        return self._latest

    def prepare(self, snapshot: DataStore | None = None) -> None:
        """Run the preparers on a snapshot (by default the one served): gunicorn's master
        does this for the first snapshot before it forks, so the workers inherit the work."""
        target = snapshot or self._latest
        started = time.perf_counter()
        for prepare in self._preparers:
            prepare(target)
        if self._preparers:
            log.info(
                "data version %d prepared in %.2f s",
                target.data_version,
                time.perf_counter() - started,
            )

    def _advance(self, locked: bool = False) -> None:
        """Build and prepare the newest snapshot, then serve it (holds `_advancing`)."""
        try:
            snapshot = self._guarded(self._newer_snapshot)
            if snapshot is not None:
                try:
                    self.prepare(snapshot)
                except Exception:  # a view that cannot prepare still works out on first use
                    log.exception("preparing data version %d failed", snapshot.data_version)
                self.__dict__["_latest"] = snapshot
                log.info("data version %d is now served", snapshot.data_version)
        finally:
            if not locked:
                self._advancing.release()

    def _newer_snapshot(self) -> DataStore | None:
        if self._store.version() == self._latest.data_version:
            return None
        return self._store.snapshot()

    def _guarded(self, work: Callable[[], Any]) -> Any:
        """`work()`, or None with the status set when the database fails."""
        try:
            result = work()
        except Exception as error:  # any database failure: keep serving what we have
            if not self._problem:
                log.warning("store unreachable, serving the last snapshot: %s", error)
            self.__dict__["_problem"] = f"store unreachable ({type(error).__name__})"
            return None
        self.__dict__["_problem"] = ""
        return result

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


EXTENSION_KEY = "vru_live_store"


def install(server: flask.Flask, live: LiveStore) -> None:
    """Bind each request to one snapshot at its start (and let start-up find the live store)."""
    server.extensions[EXTENSION_KEY] = live
    server.before_request(live.bind)


def prepare_first(server: flask.Flask) -> None:
    """Prepare the snapshot being served (no-op without a live store): called where a process
    gets ready before taking traffic, so the first visitors do not pay for it either."""
    live = server.extensions.get(EXTENSION_KEY)
    if isinstance(live, LiveStore):
        live.prepare()
