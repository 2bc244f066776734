"""Cache of built charts and exports: in-process by default, Redis when CACHE_REDIS_URL is set.

Charts are pure functions of (chart name, selection) over data that never changes while the
process runs, so a result can be shared by every user and every worker that has the same data.
The key includes a fingerprint of the data so a restart with new data never serves stale charts.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from flask_caching import Cache

from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.selection import Selection, to_query

T = TypeVar("T")
log = logging.getLogger(__name__)


def make_cache(server: Flask, settings: Settings) -> Cache:
    """Attach a Flask-Caching cache to the server, configured from the settings."""
    if settings.cache_redis_url:
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.cache_redis_url}
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    config["CACHE_DEFAULT_TIMEOUT"] = settings.cache_timeout
    return Cache(server, config=config)


def data_fingerprint(store: DataStore) -> str:
    """A short hash of the loaded tables, so cached results are tied to the data they came from."""
    digest = hashlib.sha256()
    for frame in (store.units, store.metrics, store.sources, store.observations):
        digest.update(frame.to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()[:12]


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
