"""The store keeps every figure and every change, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard import schema
from dashboard.datastore import DataError, load_store
from dashboard.store import Store, StoreError, migrate
from tests import synthetic
from tests.store.conftest import DATA_DIR


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(schema.OBSERVATIONS.column_names))
        writer.writeheader()
        writer.writerows(rows)
    return path


def figure(store_data, obs_id: str) -> float | None:
    found = store_data.observations.loc[store_data.observations["obs_id"] == obs_id, "value"]
    return None if found.empty else float(found.iloc[0])


def new_row(obs_id: str, value: str, **extra: str) -> dict[str, str]:
    """A SYNTHETIC figure for the synthetic tables."""
    return synthetic._obs(obs_id, "beta", "reach_total", value) | extra


def test_a_new_database_is_migrated_to_the_newest_revision(store: Store) -> None:
    # The newest migration file is the head (the editors' accounts come after the store's first).
    assert migrate.current(store.engine) == migrate.head() == "0002_accounts"


def test_the_snapshot_is_what_the_files_gave(real_data_store: Store) -> None:
    """Every view keeps working: the frames from the store equal those read from data/."""
    snapshot = real_data_store.snapshot()
    files = load_store(DATA_DIR)
    pd.testing.assert_frame_equal(
        snapshot.observations[list(files.observations.columns)], files.observations
    )
    for name in ("units", "metrics", "sources", "revisions"):
        pd.testing.assert_frame_equal(getattr(snapshot, name), getattr(files, name))
    assert set(snapshot.observations["release_id"]) == {1}
    assert snapshot.releases["command"].tolist() == ["db seed"]
    assert snapshot.releases["rows_added"].tolist() == [len(files.observations)]


def test_seeding_again_changes_nothing(store: Store) -> None:
    before = store.version()
    assert store.seed() is None
    assert store.version() == before
    assert len(store.releases()) == 1


def test_a_load_adds_and_corrects_and_keeps_the_old_figure(store: Store, tmp_path: Path) -> None:
    before = store.snapshot()
    path = write_rows(
        tmp_path / "new.csv",
        [new_row("t-new", "123"), synthetic._obs("s-002", "alpha", "reach_total", "2100")],
    )
    release = store.load(path, by="tester", command="test load")
    after = store.snapshot()
    assert figure(after, "t-new") == 123
    assert figure(after, "s-002") == 2100
    assert figure(before, "s-002") == 2000
    assert after.data_version == before.data_version + 1
    assert after.fingerprint != before.fingerprint
    made = after.releases.set_index("release_id").loc[release]
    assert (made["rows_added"], made["rows_changed"], made["status"]) == (1, 1, "published")
    assert made["source_file"] == str(path) and len(made["sha256"]) == 64
    history = store.history("s-002")
    assert history["value"].tolist() == ["2000", "2100"]
    assert history["status"].tolist() == ["superseded", "current"]
    assert history["release_id"].tolist() == [1, release]
    assert (
        after.observations.loc[after.observations["obs_id"] == "t-new", "release_id"].iloc[0]
        == release
    )


def test_the_same_rows_again_change_no_figure(store: Store, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "same.csv", [synthetic.OBSERVATIONS[0]])
    release = store.load(path, by="tester", command="test")
    made = store.releases().set_index("release_id").loc[release]
    assert (made["rows_added"], made["rows_changed"]) == (0, 0)
    assert len(store.history(synthetic.OBSERVATIONS[0]["obs_id"])) == 1


def test_a_file_with_one_bad_row_changes_nothing(store: Store, tmp_path: Path) -> None:
    before = store.snapshot()
    rows = [new_row(f"t-{i:03d}", str(i)) for i in range(50)]
    rows[37]["value"] = "12,5"  # one bad cell among fifty good rows
    path = write_rows(tmp_path / "one_bad.csv", rows)
    with pytest.raises(DataError) as refused:
        store.load(path, by="tester", command="test")
    message = str(refused.value)
    assert "one_bad.csv, line 39, column 'value'" in message
    after = store.snapshot()
    assert after is before or after.data_version == before.data_version
    pd.testing.assert_frame_equal(after.observations, before.observations)
    assert len(store.releases()) == 1
    assert store.history(obs_id="t-000").empty


def test_every_problem_is_listed_with_file_row_column_and_rule(
    store: Store, tmp_path: Path
) -> None:
    rows = [new_row("t-1", "5", unit_id="nowhere"), new_row("t-2", "6", metric_id="unknown")]
    path = write_rows(tmp_path / "refs.csv", rows)
    with pytest.raises(DataError) as refused:
        store.load(path, by="tester", command="test")
    lines = [str(p) for p in refused.value.problems]
    assert any("refs.csv, line 2, column 'unit_id'" in line for line in lines)
    assert any("refs.csv, line 3, column 'metric_id'" in line for line in lines)


def test_withdrawal_hides_a_figure_but_keeps_it_in_history(store: Store, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "wrong.csv",
        [new_row("t-wrong", "999"), synthetic._obs("s-002", "alpha", "reach_total", "9999")],
    )
    release = store.load(path, by="tester", command="test")
    assert figure(store.snapshot(), "t-wrong") == 999
    assert store.withdraw(release, by="editor", reason="typed in the wrong column") == 2
    snapshot = store.snapshot()
    assert figure(snapshot, "t-wrong") is None
    assert figure(snapshot, "s-002") == 2000  # the figure it had corrected is shown again
    history = store.history("t-wrong")
    assert history["status"].tolist() == ["withdrawn"]
    assert history["reason"].tolist() == ["typed in the wrong column"]
    made = snapshot.releases.set_index("release_id").loc[release]
    assert (made["status"], made["rows_withdrawn"]) == ("withdrawn", 2)
    assert made["reason"] == "typed in the wrong column"
    assert snapshot.revisions["change"].str.contains(f"Release {release} withdrawn").any()
    with pytest.raises(StoreError):
        store.withdraw(release, by="editor", reason="again")


def test_staged_rows_wait_for_review_and_can_be_rejected(store: Store) -> None:
    rows = pd.DataFrame(
        [new_row("t-staged", "77"), synthetic._obs("s-002", "alpha", "reach_total", "2200")]
    )
    release = store.stage(
        rows, source_file="upload.csv", sha256="0" * 64, by="unit", command="upload"
    )
    assert figure(store.snapshot(), "t-staged") is None
    preview = store.preview(release).set_index("obs_id")
    assert preview.loc["s-002", "change"] == "correction"
    assert preview.loc["s-002", "old_value"] == "2000"
    assert preview.loc["t-staged", "change"] == "new"
    store.reject(release, by="editor", reason="not from a published source")
    assert figure(store.snapshot(), "t-staged") is None
    assert store.history("t-staged")["status"].tolist() == ["rejected"]
    with pytest.raises(StoreError):
        store.publish(release, by="editor")


def test_a_staged_release_once_published_is_shown(store: Store) -> None:
    rows = pd.DataFrame([new_row("t-ok", "41")])
    release = store.stage(
        rows, source_file="upload.csv", sha256="1" * 64, by="unit", command="upload"
    )
    version = store.version()
    store.publish(release, by="editor")
    assert store.version() == version + 1
    assert figure(store.snapshot(), "t-ok") == 41


def test_a_bad_staged_upload_stores_nothing(store: Store) -> None:
    rows = pd.DataFrame([new_row("t-bad", "lots")])
    with pytest.raises(DataError):
        store.stage(rows, source_file="upload.csv", sha256="2" * 64, by="unit", command="upload")
    assert len(store.releases()) == 1


def test_as_published_on_reproduces_an_earlier_day(store: Store, tmp_path: Path) -> None:
    moment = dt.datetime.now(dt.UTC)
    release = store.load(
        write_rows(
            tmp_path / "later.csv", [synthetic._obs("s-002", "alpha", "reach_total", "2500")]
        ),
        by="tester",
        command="test",
    )
    then = store.as_published_on(moment).set_index("obs_id")
    now = store.as_published_on(dt.datetime.now(dt.UTC)).set_index("obs_id")
    assert then.loc["s-002", "value"] == "2000"
    assert now.loc["s-002", "value"] == "2500"
    assert int(now.loc["s-002", "release_id"]) == release


def test_a_changed_bundle_is_taken_as_a_release(database_url: str, tmp_path: Path) -> None:
    folder = synthetic.write_tables(tmp_path / "bundle")
    store = Store(database_url, data_dir=folder)
    store.ensure_ready()
    path = folder / "observations.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["obs_id"] == "s-002", "value"] = "2050"
    frame = frame[frame["obs_id"] != "s-001"]
    frame.to_csv(path, index=False)
    store.ensure_ready()
    snapshot = store.snapshot()
    assert figure(snapshot, "s-002") == 2050
    assert figure(snapshot, "s-001") is None
    assert store.history("s-001")["status"].tolist() == ["withdrawn"]
    latest = snapshot.releases.iloc[0]
    assert (latest["rows_changed"], latest["rows_withdrawn"]) == (1, 1)


def test_the_bundled_data_never_overrides_a_later_correction(
    database_url: str, tmp_path: Path
) -> None:
    store = Store(database_url, data_dir=synthetic.write_tables(tmp_path / "bundle"))
    store.ensure_ready()
    store.load(
        write_rows(tmp_path / "fix.csv", [synthetic._obs("s-002", "alpha", "reach_total", "2300")]),
        by="tester",
        command="test",
    )
    # another bundled file changes (a new revisions note): the bundle is taken again
    (store.data_dir / "revisions.csv").write_text(
        "date,change,reason\n2026-01-01,A note,Because\n", encoding="utf-8"
    )
    store.ensure_ready()
    assert figure(store.snapshot(), "s-002") == 2300


def test_an_unknown_release_cannot_be_withdrawn(store: Store) -> None:
    with pytest.raises(StoreError, match="no release 99"):
        store.withdraw(99, by="editor", reason="x")
