"""A release is prepared off the request path: visitors keep the previous snapshot until the
new one's shared frames are worked out, then get it whole, and the figures are the same as
working them out on first use."""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from pathlib import Path

import pandas as pd

from dashboard import serving
from dashboard.charts import build_chart
from dashboard.charts.map_view import map_data_for, web_map_figure
from dashboard.config import Settings
from dashboard.datastore import DataStore
from dashboard.factory import create_app
from dashboard.prepare import prepare
from dashboard.selection import Selection
from dashboard.store import Store
from dashboard.store.live import EXTENSION_KEY, LiveStore
from tests.store.test_live import kent_row


def _release(store: Store, folder: Path, value: str) -> int:
    path = folder / f"release-{value}.csv"
    pd.DataFrame([kent_row(f"synthetic-prepare-{value}", value)]).to_csv(path, index=False)
    return store.load(path, by="tester", command="test", reason="A new survey")


def test_a_request_never_waits_for_a_release_to_be_prepared(
    real_data_store: Store, tmp_path: Path
) -> None:
    first = real_data_store.snapshot()
    may_finish = threading.Event()
    prepared: list[int] = []

    def slow_preparer(snapshot: DataStore) -> None:
        may_finish.wait(30)
        prepared.append(snapshot.data_version)

    live = LiveStore(real_data_store, first, poll_seconds=0.0, preparers=[slow_preparer])
    _release(real_data_store, tmp_path, "101")
    started = time.monotonic()
    assert live.latest() is first  # noticed, but the new one is still being prepared
    assert live.latest() is first
    assert time.monotonic() - started < 1.0
    assert prepared == []
    may_finish.set()
    deadline = time.monotonic() + 10
    while live.latest() is first:
        assert time.monotonic() < deadline, "the prepared release was never served"
        time.sleep(0.05)
    # Served only once its preparation had finished, and prepared exactly once.
    assert prepared == [first.data_version + 1] == [live.latest().data_version]


def test_a_release_is_served_when_its_preparation_budget_is_spent(
    real_data_store: Store, tmp_path: Path
) -> None:
    """On a busy machine a release must still appear within seconds: preparers past the
    budget run after the release is served, on the served snapshot."""
    order: list[str] = []
    served_when_second_ran: list[int] = []
    live_box: list[LiveStore] = []

    def slow(snapshot: DataStore) -> None:
        time.sleep(0.6)
        order.append("slow")

    def second(snapshot: DataStore) -> None:
        served_when_second_ran.append(live_box[0].latest().data_version)
        order.append("second")

    first = real_data_store.snapshot()
    live = LiveStore(
        real_data_store, first, poll_seconds=60, preparers=[slow, second], budget_seconds=0.3
    )
    live_box.append(live)
    _release(real_data_store, tmp_path, "103")
    newest = live.refresh()
    assert order == ["slow", "second"]
    assert served_when_second_ran == [newest.data_version] == [first.data_version + 1]


def test_a_preparer_that_fails_does_not_stop_the_release(
    real_data_store: Store, tmp_path: Path
) -> None:
    def broken(snapshot: DataStore) -> None:
        raise RuntimeError("a view could not prepare")

    first = real_data_store.snapshot()
    live = LiveStore(real_data_store, first, poll_seconds=0.0, preparers=[broken])
    _release(real_data_store, tmp_path, "102")
    assert live.refresh().data_version == first.data_version + 1
    assert live.status() == ("ok", "")


def test_prepared_figures_are_the_ones_worked_out_on_first_use(real_data_store: Store) -> None:
    """Preparing changes when the work is done, never what it gives: every chart of the map
    and of the investment and data views is equal on a prepared and an unprepared snapshot."""
    served = real_data_store.snapshot()  # two copies of one version, nothing worked out yet
    prepared, plain = dataclasses.replace(served), dataclasses.replace(served)
    prepare(prepared)
    assert "map-data" in {key[0] for key in prepared.__dict__["_derived"]}
    assert "_derived" not in plain.__dict__
    for selection in (Selection(), Selection(("kent",), "2023-24"), Selection((), "2019-20")):
        for chart in ("area-map", "funding-reach-scatter", "funding-per-person", "compare-units"):
            one = build_chart(chart, prepared, selection).figure.to_json()
            two = build_chart(chart, plain, selection).figure.to_json()
            assert one == two, (chart, selection)
        web = web_map_figure(map_data_for(prepared), selection).to_json()
        assert web == web_map_figure(map_data_for(plain), selection).to_json()


def test_the_first_snapshot_is_prepared_before_the_workers_start(real_data_store: Store) -> None:
    """gunicorn's master calls warm_up before it forks: the workers inherit the work."""
    live = LiveStore(real_data_store, real_data_store.snapshot(), preparers=[prepare])
    app = create_app(Settings.defaults(), live)
    assert app.server.extensions[EXTENSION_KEY] is live
    assert "_derived" not in live.latest().__dict__
    serving.warm_up(app.server)
    kept = {key[0] for key in live.latest().__dict__["_derived"]}
    assert {"map-data", "grid-rows-body", "funding_reach_pairs"} <= kept


def test_preparation_left_after_the_budget_waits_until_the_worker_is_idle(
    real_data_store: Store, tmp_path: Path
) -> None:
    """Requests never share the CPU with preparation that could wait: while requests keep
    coming the rest waits, /healthz says so, and it runs once the worker has been quiet."""
    calls: list[int] = []
    live = LiveStore(
        real_data_store,
        real_data_store.snapshot(),
        poll_seconds=0.0,
        preparers=[lambda snapshot: calls.append(snapshot.data_version)],
        budget_seconds=0.0,
    )
    client = create_app(Settings.defaults(), live).server.test_client()
    before = client.get("/healthz").get_json()
    assert before["prepared"] is True
    _release(real_data_store, tmp_path, "104")
    deadline = time.monotonic() + 10
    while (report := client.get("/healthz").get_json())["data_version"] == before["data_version"]:
        assert time.monotonic() < deadline, "the release was not served"
        time.sleep(0.05)
    for _ in range(10):  # busy: a request every 0.1 s
        assert report["prepared"] is False and calls == []
        time.sleep(0.1)
        report = client.get("/healthz").get_json()
    time.sleep(2.0)  # quiet
    assert calls == [before["data_version"] + 1]
    # Last the worker settles its heap (a full collection, at the lowest priority), also only
    # while idle: on a loaded machine that can outlast the quiet second, so ask in quiet gaps.
    deadline = time.monotonic() + 60
    while not client.get("/healthz").get_json()["prepared"]:
        assert time.monotonic() < deadline, "the release was not prepared once quiet"
        time.sleep(1.2)


def test_a_worker_settles_its_heap_once_a_release_is_prepared(
    real_data_store: Store, tmp_path: Path
) -> None:
    """After a release the next full collection of Python's garbage collector (200 to 270 ms
    on the real data) fell inside a visitor's request. The worker collects while idle and
    freezes what survives, before the health check says "prepared", so later collections
    skip the snapshot's objects; the frozen set is renewed at each release."""
    gc.unfreeze()
    live = LiveStore(real_data_store, real_data_store.snapshot(), poll_seconds=0.0)
    client = create_app(Settings.defaults(), live).server.test_client()
    before = client.get("/healthz").get_json()
    assert gc.get_freeze_count() == 0
    _release(real_data_store, tmp_path, "105")
    # Every preparer runs, each once the worker has been quiet for a second (about 10 s of
    # work at the lowest priority here): a deadline for a loaded machine, not a timing.
    deadline = time.monotonic() + 60
    while not (
        (report := client.get("/healthz").get_json())["data_version"] > before["data_version"]
        and report["prepared"]
    ):
        assert time.monotonic() < deadline, "the release was not prepared"
        time.sleep(1.2)  # quiet gaps: the worker settles only while idle
    assert gc.get_freeze_count() > 10_000
    # The served snapshot's frames are in the frozen set: the collector's generations, which a
    # full collection walks, do not hold them.
    frames = [live.current().observations, live.current().units]
    assert all(gc.is_tracked(frame) for frame in frames)
    walked = {id(found) for found in gc.get_objects()}
    assert not any(id(frame) in walked for frame in frames)
    gc.unfreeze()
