"""Cache of built charts and exports: in-process by default, Redis when CACHE_REDIS_URL is set.

Charts are pure functions of (chart name, selection) over data that never changes while the
process runs, so a result can be shared by every user and every worker that has the same data.
The key includes a fingerprint of the data so a restart with new data never serves stale charts.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from flask_caching import Cache
from flask_caching.backends.base import BaseCache

from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.selection import Selection, to_query

T = TypeVar("T")
log = logging.getLogger(__name__)


# A Redis that does not answer must cost a request a fraction of a second, once: then the
# breaker opens and requests skip Redis until it is tried again.
REDIS_TIMEOUT_S = 0.25
BREAKER_COOLDOWN_S = 30.0


class BoundedMemoryCache(BaseCache):
    """In-process cache bounded in entries and in bytes, least recently used out first.

    Why not Flask-Caching's SimpleCache: it bounds only the number of entries, so a few
    thousand unique large requests could grow a worker by gigabytes. Values are kept pickled
    (as SimpleCache does), which also gives their size.
    """

    def __init__(
        self, max_entries: int = 2000, max_bytes: int = 64_000_000, default_timeout: int = 300
    ) -> None:
        super().__init__(default_timeout=default_timeout)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app: Flask, config: dict, args: list, kwargs: dict) -> BoundedMemoryCache:
        kwargs.pop("ignore_delete_many_errors", None)
        kwargs.update(max_entries=config["CACHE_THRESHOLD"], max_bytes=config["CACHE_MAX_BYTES"])
        return cls(*args, **kwargs)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def _drop(self, key: str) -> None:
        _, data = self._items.pop(key)
        self._bytes -= len(data)

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            expires, data = found
            if expires and expires < time.time():
                self._drop(key)
                return None
            self._items.move_to_end(key)
        return pickle.loads(data)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 4:  # one value may not push out most of the others
            return False
        timeout = self._normalize_timeout(timeout)
        expires = time.time() + timeout if timeout else 0.0
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (expires, data)
            self._bytes += len(data)
            while self._items and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                self._drop(next(iter(self._items)))
        return True

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return False if self.has(key) else self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        with self._lock:
            if key not in self._items:
                return False
            self._drop(key)
        return True

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        with self._lock:
            self._items.clear()
            self._bytes = 0
        return True


class GuardedCache:
    """A cache that never raises: after a failure it is skipped for `cooldown` seconds (a
    circuit breaker), so a hung Redis costs one short timeout, not one per request.

    `status()` is what /healthz reports: ("ok", "") or ("degraded", why).
    """

    def __init__(self, backend: Any, name: str = "cache", cooldown: float = BREAKER_COOLDOWN_S):
        self.backend = backend
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0
        self._reason = ""
        self._lock = threading.Lock()

    def _closed(self) -> bool:
        return time.monotonic() >= self._open_until

    def _trip(self, error: Exception) -> None:
        with self._lock:
            already_open = not self._closed()
            self._open_until = time.monotonic() + self.cooldown
            self._reason = f"{self.name} unreachable ({type(error).__name__})"
        if not already_open:
            log.warning(
                "%s failed (%s); answering without it for %.0f s",
                self.name,
                type(error).__name__,
                self.cooldown,
            )

    def status(self) -> tuple[str, str]:
        if self._reason and not self._closed():
            return "degraded", self._reason
        return "ok", ""

    def get(self, key: str) -> Any:
        if not self._closed():
            return None
        try:
            return self.backend.get(key)
        except Exception as error:  # any backend failure means "not cached"
            self._trip(error)
            return None

    def set(self, key: str, value: Any) -> bool:
        if not self._closed():
            return False
        try:
            return bool(self.backend.set(key, value))
        except Exception as error:
            self._trip(error)
            return False


def make_cache(server: Flask, settings: Settings) -> GuardedCache:
    """A Flask-Caching cache configured from the settings, behind a circuit breaker."""
    if settings.cache_redis_url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.cache_redis_url,
            "CACHE_OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_S,
                "socket_timeout": REDIS_TIMEOUT_S,
            },
        }
        name = "Redis cache"
    else:
        config = {
            "CACHE_TYPE": "dashboard.cache.BoundedMemoryCache",
            "CACHE_THRESHOLD": settings.cache_max_entries,
            "CACHE_MAX_BYTES": settings.cache_max_mb * 1_000_000,
        }
        name = "memory cache"
    config["CACHE_DEFAULT_TIMEOUT"] = settings.cache_timeout
    return GuardedCache(Cache(server, config=config), name)


def data_fingerprint(store: DataStore) -> str:
    """A short name of the data, so cached results are tied to the data they came from: the
    store's version when the data came from the store (so a release makes every key new)."""
    return str(store.fingerprint)


def selection_key(kind: str, name: str, selection: Selection, fingerprint: str) -> str:
    """A stable key such as 'chart:area-map:?unit=kent&year=2019-20:ab12cd34ef56'."""
    return f"{kind}:{name}:{to_query(selection) or '?'}:{fingerprint}"


def cached(cache: Cache | None, key: str, compute: Callable[[], T]) -> T:
    """Return the cached value for `key`, computing and storing it on a miss."""
    if cache is None:
        return compute()
    try:
        value = cache.get(key)
    except Exception as error:  # an unreachable Redis must slow the app down, not break it
        log.warning("cache unavailable, computing %s: %s", key, error)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value)
        except Exception as error:
            log.warning("cache unavailable, not storing %s: %s", key, error)
    return value
