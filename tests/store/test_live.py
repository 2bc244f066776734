"""The running app follows the store: new releases within seconds, one snapshot per request,
the last snapshot kept when the database is down, and the Revisions page."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pandas as pd
from plotly.utils import PlotlyJSONEncoder

from callbacks.routing import view_pages
from dashboard import inputs
from dashboard.charts import build_chart
from dashboard.config import Settings
from dashboard.datastore import DataStore, load_store
from dashboard.factory import create_app
from dashboard.revisions import long_date
from dashboard.selection import Selection
from dashboard.store import Store
from dashboard.store.live import LiveStore
from tests import synthetic
from tests.store.conftest import DATA_DIR

SYNTHETIC_NOTE = "SYNTHETIC TEST ROW (store live tests): not a real figure"


def kent_row(obs_id: str, value: str) -> dict[str, str]:
    return synthetic._obs(obs_id, "kent", "reach_pupils", value) | {
        "source_id": "apcc_2020",
        "page": "9",
        "note": SYNTHETIC_NOTE,
    }


def text_of(component: object) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder)


class UnreachableStore:
    """A store whose database stopped answering."""

    def version(self) -> int:
        raise OSError("connection refused")

    def snapshot(self) -> None:
        raise OSError("connection refused")


def test_the_last_snapshot_is_served_while_the_database_is_down(real_data_store: Store) -> None:
    first = real_data_store.snapshot()
    live = LiveStore(UnreachableStore(), first, poll_seconds=0.1)  # type: ignore[arg-type]
    time.sleep(0.2)
    assert live.latest() is first
    assert len(live.observations) == len(first.observations)
    # The database is asked off the request path: the status follows within a moment.
    deadline = time.monotonic() + 5
    while live.status()[0] == "ok" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.status() == ("degraded", "store unreachable (OSError)")
    assert live.latest() is first


def test_the_app_follows_a_release_without_a_restart(
    real_data_store: Store, tmp_path: Path
) -> None:
    live = LiveStore(real_data_store, real_data_store.snapshot(), poll_seconds=0.2)
    app = create_app(Settings.defaults(), live)
    client = app.server.test_client()
    before = client.get("/healthz").get_json()
    assert before["status"] == "ok"
    layout_before = client.get("/_dash-layout").get_data(as_text=True)
    assert "Data last updated 2 December 2026" in layout_before

    path = tmp_path / "release.csv"
    pd.DataFrame([kent_row("synthetic-live-kent", "4321")]).to_csv(path, index=False)
    real_data_store.load(path, by="tester", command="test", reason="A new survey")
    started = time.monotonic()
    # The release is built and prepared in the background; meanwhile the old one is served.
    while (after := client.get("/healthz").get_json())["data_version"] == before["data_version"]:
        assert time.monotonic() - started < 10, "the release was not served within 10 s"
        time.sleep(0.1)
    assert after["data_version"] == before["data_version"] + 1
    assert after["observations"] == before["observations"] + 1
    today = long_date(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))
    assert f"Data last updated {today}" in client.get("/_dash-layout").get_data(as_text=True)


def test_one_request_sees_one_snapshot(real_data_store: Store, tmp_path: Path) -> None:
    live = LiveStore(real_data_store, real_data_store.snapshot(), poll_seconds=0.1)
    app = create_app(Settings.defaults(), live)
    path = tmp_path / "release.csv"
    pd.DataFrame([kent_row("synthetic-live-kent", "5")]).to_csv(path, index=False)
    with app.server.test_request_context("/"):
        live.bind()
        seen = live.data_version
        real_data_store.load(path, by="tester", command="test")
        time.sleep(0.2)
        assert live.data_version == seen  # still the request's snapshot
    assert live.refresh().data_version == seen + 1  # the next request gets the new one


def test_the_revisions_page_lists_releases_newest_first_with_their_figures(
    real_data_store: Store, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    pd.DataFrame([kent_row("synthetic-rev-1", "111"), kent_row("synthetic-rev-2", "222")]).to_csv(
        first, index=False
    )
    one = real_data_store.load(first, by="tester", command="test", reason="Kent's new report")
    second = tmp_path / "second.csv"
    pd.DataFrame([kent_row("synthetic-rev-1", "112")]).to_csv(second, index=False)
    two = real_data_store.load(second, by="tester", command="test", reason="Typo on page 9")
    real_data_store.withdraw(two, by="editor", reason="The typo was ours, not the report's")
    snapshot = real_data_store.snapshot()
    page = text_of(view_pages(snapshot)["/revisions"]())
    withdrawn = page.index(f"Release {two} withdrawn")
    assert withdrawn < page.index(f'Release {two}"') < page.index(f'Release {one}"')
    assert page.index(f'Release {one}"') < page.index("Correction note")  # the old log, older
    assert "The typo was ours, not the report" in page
    assert "Kent's new report" in page
    assert "2 figures added, 0 corrected, from the file first.csv" in page
    assert "0 figures added, 1 corrected, from the file second.csv" in page
    assert "Show the 2 figures" in page and 'Show the 1 figure"' in page
    assert "Kent and Medway Violence Reduction Unit" in page
    assert "Pupils reached" in page and "111" in page
    assert f"/api/v1/observations?release={one}&format=csv" in page
    # the withdrawn correction is listed, the figure it corrected is shown again
    shown = snapshot.observations.set_index("obs_id").loc["synthetic-rev-1", "value"]
    assert shown == 111


def test_the_revisions_page_is_served_from_files_too() -> None:
    """Data read from files (no store) has the old log only; the page still works."""
    files = load_store(DATA_DIR)
    client = create_app(Settings.defaults(), files).server.test_client()
    assert client.get("/revisions").status_code == 200
    page = text_of(view_pages(files)["/revisions"]())
    assert "Revisions" in page and "Correction note" in page


def test_a_release_with_a_new_year_is_offered_and_accepted_without_a_restart(
    real_data_store: Store, tmp_path: Path
) -> None:
    """The year filter lists the data's years: a release bringing a later year must be
    choosable at once, by the dropdown and by a shared link, in a worker started before it."""
    live = LiveStore(real_data_store, real_data_store.snapshot(), poll_seconds=0.1)
    app = create_app(Settings.defaults(), live)
    client = app.server.test_client()
    known = inputs.known_for(live)  # what the callbacks hold from registration on
    newest = max(real_data_store.snapshot().programme_years)
    start = int(newest[:4]) + 1
    year = f"{start}-{str(start + 1)[2:]}"
    with app.server.test_request_context("/"):
        live.bind()
        assert year not in known.years
        _, notices = inputs.query_selection(f"?year={year}", known)
        assert notices  # no figures for it yet: refused with a notice
    assert f'"value":"{year}"' not in client.get("/_dash-layout").get_data(as_text=True)

    row = kent_row("synthetic-live-new-year", "77") | {
        "period_label": year.replace("-", "/"),
        "period_start": f"{start}-04-01",
        "period_end": f"{start + 1}-03-31",
        "financial_year": year,
    }
    path = tmp_path / "new_year.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    real_data_store.load(path, by="tester", command="test", reason="A new year's survey")
    live.refresh()

    with app.server.test_request_context("/"):
        live.bind()
        assert year in known.years
        picked, notices = inputs.query_selection(f"?year={year}", known)
        assert picked.year == year and notices == []
    layout = client.get("/_dash-layout").get_data(as_text=True)
    end = layout.index('"id":"filters-year-dropdown"')
    options = layout[layout.rindex('"options"', 0, end) : end]
    assert f'"value":"{year}"' in options, options


def test_a_charts_source_line_says_when_its_figures_last_changed(
    real_data_store: Store, tmp_path: Path
) -> None:
    """A release for Kent moves the date on Kent's charts only; a withdrawal moves it again."""
    before = real_data_store.snapshot()
    kent, other = Selection(("kent",), None), Selection(("northumbria",), None)

    def line(chart: str, snapshot: DataStore, selection: Selection) -> str:
        return build_chart(chart, snapshot, selection).source_line

    assert "Figures last changed 2 December 2026." in line("unit-reach", before, kent)
    path = tmp_path / "release.csv"
    pd.DataFrame([kent_row("synthetic-live-dated", "4321")]).to_csv(path, index=False)
    release = real_data_store.load(path, by="tester", command="test", reason="A new survey")
    today = long_date(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))
    after = real_data_store.snapshot()
    for chart in ("unit-reach", "compare-units", "area-map"):
        assert f"Figures last changed {today}." in line(chart, after, kent)
    assert "last changed 2 December 2026." in line("unit-outcomes", after, other)
    real_data_store.withdraw(release, by="tester", reason="Sent twice")
    withdrawn = real_data_store.snapshot()
    assert (
        f"Figures last changed {today}." in build_chart("unit-reach", withdrawn, kent).source_line
    )
