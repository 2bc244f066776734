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

import contextlib
import gc
import logging
import os
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
COUNTED_KEY = "vru_counted"
# How long a worker prepares a release before serving it anyway (the rest is prepared after):
# with the poll, a release is served within a few seconds however busy the machine is.
PREPARE_BUDGET_SECONDS = 1.0


class LiveStore:
    """Looks like a DataStore; each attribute comes from the request's snapshot."""

    def __init__(
        self,
        store: Store,
        first: DataStore,
        poll_seconds: float = 2.0,
        preparers: Sequence[Callable[[DataStore], object]] = (),
        background: bool = True,
        budget_seconds: float = PREPARE_BUDGET_SECONDS,
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
            _budget=budget_seconds,
            _counting=threading.Lock(),
            _in_flight=[0],  # requests being answered now (a list: mutated under _counting)
            _quiet_since=[time.monotonic()],
            _pending=[0],  # preparers still to run on the served snapshot
        )

    @property
    def source(self) -> Store:
        return self._store

    def latest(self) -> DataStore:
        """The newest snapshot this worker has; when a poll is due, the database is asked.

        With `background` (serving), the database is asked from a thread of its own and the
        request goes on with the snapshot it has: the version query (2 to 20 ms, more on a busy
        machine) used to fall inside whichever request came first after each poll interval.
        """
        if time.monotonic() - self._checked < self._poll:
            return self._latest
        if not self._lock.acquire(blocking=False):
            return self._latest  # another thread is checking right now
        self.__dict__["_checked"] = time.monotonic()
        if self._background:
            threading.Thread(target=self._poll_behind, name="vru-poll", daemon=True).start()
            return self._latest
        try:  # `background=False` (commands, tests): the request that noticed waits
            moved = self._version_moved()
        finally:
            self._lock.release()
        return self.refresh() if moved else self._latest

    def _version_moved(self) -> bool:
        return bool(self._guarded(lambda: self._store.version() != self._latest.data_version))

    def _poll_behind(self) -> None:
        """Ask the database for its version (holding `_lock`, taken by `latest`) and, if it
        moved, build, prepare and serve the new snapshot, all off the request path."""
        try:
            moved = self._version_moved()
        finally:
            self._lock.release()
        if moved and self._advancing.acquire(blocking=False):
            self._advance_behind()

    def refresh(self) -> DataStore:
        """Check now and, if the version moved, build, prepare and serve the new snapshot before
        returning it (commands and tests; requests use `latest`, which never waits)."""
        with self._advancing:
            self._advance(locked=True)
        return self._latest

    def prepare(self, snapshot: DataStore | None = None, budget: float | None = None) -> int:
        """Run the preparers on a snapshot (by default the one served), in order, until
        `budget` seconds have passed (None: all of them); return how many ran.

        gunicorn's master prepares the first snapshot whole before it forks, so the workers
        inherit the work. A release is prepared within the budget and then served, the
        remaining preparers running after it (on a busy machine a release must still appear
        within seconds; what is not prepared yet is worked out on first use, as before).
        """
        target = snapshot or self._latest
        started = time.perf_counter()
        done = 0
        for prepare in self._preparers:
            if budget is not None and time.perf_counter() - started > budget:
                break
            try:
                prepare(target)
            except Exception:  # a view that cannot prepare still works out on first use
                log.exception("preparing data version %d failed", target.data_version)
            done += 1
        if self._preparers:
            log.info(
                "data version %d: %d of %d preparers in %.2f s",
                target.data_version,
                done,
                len(self._preparers),
                time.perf_counter() - started,
            )
        return done

    def _advance_behind(self) -> None:
        """`_advance` at the lowest CPU priority (Linux sets it per thread): the requests of
        every worker on the machine go first, and the budget still bounds the wait."""
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        self._advance()

    def _advance(self, locked: bool = False) -> None:
        """Build and prepare the newest snapshot, then serve it (holds `_advancing`)."""
        try:
            started = time.perf_counter()
            snapshot = self._guarded(self._newer_snapshot)
            if snapshot is not None:
                log.info(
                    "data version %d read from the store in %.2f s",
                    snapshot.data_version,
                    time.perf_counter() - started,
                )
                done = self.prepare(snapshot, budget=self._budget)
                # The preparers left, and settling the heap (counted so that the health
                # check says "prepared" only once the worker's answers are quick again).
                self._pending[0] = len(self._preparers) - done + 1
                self.__dict__["_latest"] = snapshot
                log.info("data version %d is now served", snapshot.data_version)
                for prepare in self._preparers[done:]:
                    # Only while the worker is idle: requests must not share the CPU with work
                    # that would otherwise be done on first use anyway.
                    if not locked:
                        self._wait_until_idle()
                    try:
                        prepare(snapshot)
                    except Exception:
                        log.exception("preparing data version %d failed", snapshot.data_version)
                    self._pending[0] -= 1
                if not locked:
                    self._wait_until_idle()
                    self.settle()
                self._pending[0] = 0
        finally:
            if not locked:
                self._advancing.release()

    @staticmethod
    def settle() -> None:
        """Collect the garbage a release leaves and freeze what survives.

        Why: a release leaves the old snapshot's objects to free and the new one's many
        objects (frames, prepared records) to track, and Python's next full collection, 200 to
        270 ms on the real data, fell inside whichever request came next (seen in the first
        answers after a release). Done here, while the worker is idle; the survivors are
        frozen, so later full collections skip the long-lived data, and unfrozen again at the
        next settling, so that an old snapshot's cycles are freed then.
        """
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _wait_until_idle(self, quiet: float = 1.0, longest: float = 120.0) -> None:
        """Return once no request has been answered for `quiet` seconds (or after `longest`)."""
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline:
            with self._counting:
                idle = self._in_flight[0] == 0 and (
                    time.monotonic() - self._quiet_since[0] >= quiet
                )
            if idle:
                return
            time.sleep(quiet / 3)

    def started(self) -> None:
        """`before_request`: a request is being answered (background work waits for idle)."""
        with self._counting:
            self._in_flight[0] += 1
        setattr(flask.g, COUNTED_KEY, True)
        self.bind()

    def finished(self, _error: BaseException | None = None) -> None:
        """`teardown_request`: the request is answered."""
        if not flask.g.pop(COUNTED_KEY, False):
            return  # an earlier hook answered before `started` ran
        with self._counting:
            self._in_flight[0] -= 1
            self._quiet_since[0] = time.monotonic()

    @property
    def fully_prepared(self) -> bool:
        """Whether every preparer has run on the served snapshot (the health check says)."""
        return self._pending[0] == 0

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


def snapshot_of(store: DataStore | LiveStore) -> DataStore:
    """The request's own snapshot of a live store (a fixed DataStore is its own): what is kept
    with a data version (`DataStore.derived`) must be asked of that version."""
    return store.current() if isinstance(store, LiveStore) else store


def install(server: flask.Flask, live: LiveStore) -> None:
    """Bind each request to one snapshot at its start (and let start-up find the live store)."""
    server.extensions[EXTENSION_KEY] = live
    server.before_request(live.started)
    server.teardown_request(live.finished)


def prepare_first(server: flask.Flask) -> None:
    """Prepare the snapshot being served (no-op without a live store): called where a process
    gets ready before taking traffic, so the first visitors do not pay for it either."""
    live = server.extensions.get(EXTENSION_KEY)
    if isinstance(live, LiveStore):
        live.prepare()
        # Before a fork this also keeps the collector from touching (and so copying) the
        # pages the workers share with the master.
        live.settle()
