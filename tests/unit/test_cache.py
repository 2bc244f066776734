"""The chart cache: a hit skips the work; a broken backend slows the app, never breaks it."""

from __future__ import annotations

from dashboard.cache import cached


class _BrokenCache:
    """Stands in for a Redis that cannot be reached."""

    def get(self, key):
        raise ConnectionError("no route to cache")

    def set(self, key, value):
        raise ConnectionError("no route to cache")


class _DictCache:
    def __init__(self):
        self.store = {}

    def get(self, key):
        return self.store.get(key)

    def set(self, key, value):
        self.store[key] = value


def test_a_cached_value_is_computed_once():
    calls = []
    cache = _DictCache()
    for _ in range(3):
        assert cached(cache, "k", lambda: calls.append(1) or "value") == "value"
    assert calls == [1]


def test_an_unreachable_cache_falls_back_to_computing():
    assert cached(_BrokenCache(), "k", lambda: 42) == 42


def test_no_cache_computes_every_time():
    calls = []
    cached(None, "k", lambda: calls.append(1))
    cached(None, "k", lambda: calls.append(1))
    assert calls == [1, 1]
