"""The store: the one place figures are kept, versioned and released (SQLite or PostgreSQL).

Why a database and not the CSV files: new figures and corrections arrive while the app runs,
every replica must show the same ones, and nothing may be lost. So a load is checked whole,
then applied in one transaction; a figure is never changed or deleted, only superseded or
withdrawn, with the release that did it; and every publish or withdrawal raises one version
number that every worker polls to pick up the new data without a restart.

The app never sees the database: `Store.snapshot()` gives the same `DataStore` frames the app
has always read from the files (see dashboard/datastore.py), built from one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update

from dashboard import schema
from dashboard.config import Settings
from dashboard.datastore import (
    RELEASE_COLUMNS,
    DataError,
    DataStore,
    prepare_store,
    read_tables,
)
from dashboard.geography import load_boundaries
from dashboard.revisions import FILENAME as REVISIONS_FILE
from dashboard.revisions import load_revisions
from dashboard.store import migrate
from dashboard.store.engine import SQLITE_FILE, database_url, make_engine
from dashboard.store.loading import as_text_rows, check_rows, file_sha256, read_observation_file
from dashboard.store.models import (
    CURRENT,
    OBSERVATION_FIELDS,
    PENDING,
    REJECTED,
    RELEASE_PENDING,
    RELEASE_PUBLISHED,
    RELEASE_REJECTED,
    RELEASE_WITHDRAWN,
    SUPERSEDED,
    WITHDRAWN,
    DataVersion,
    Metric,
    Observation,
    Release,
    RevisionNote,
    Source,
    Unit,
)
from dashboard.store.reading import (
    SEED_COMMAND,
    changes_frame,
    observation_columns,
    read_frame,
    release_summary,
    replace_reference,
    revisions_log,
    shown_at,
)

log = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that makes writers (loads, seeding, migrations) take turns.
WRITE_LOCK = 7_120_011

UNIT_FIELDS = tuple(column.name for column in schema.UNITS.columns)
METRIC_FIELDS = tuple(column.name for column in schema.METRICS.columns)
SOURCE_FIELDS = tuple(column.name for column in schema.SOURCES.columns)
HISTORY_COLUMNS = (
    "version_id",
    *OBSERVATION_FIELDS,
    "status",
    "release_id",
    "supersedes",
    "ended_by_release",
    "reason",
    "supplied_by",
    "published_at",
)


__all__ = [
    "SEED_COMMAND",
    "SQLITE_FILE",
    "Store",
    "StoreError",
    "database_url",
    "make_engine",
    "release_summary",
    "revisions_log",
]


class StoreError(RuntimeError):
    """A release cannot be published, rejected or withdrawn as asked; the message says why."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The figures in a database. Cheap to build; connects on first use (and again after a
    fork, so gunicorn workers never share the master's connections)."""

    def __init__(
        self, url: str, *, data_dir: Path | None = None, geo_path: Path | None = None
    ) -> None:
        self.url = url
        self.data_dir = data_dir or Settings.defaults().data_dir
        self.geo_path = geo_path
        self._engine: Engine | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._snapshot: DataStore | None = None
        self._boundaries: dict[str, Any] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, geo_path: Path | None = None) -> Store:
        return cls(database_url(settings), data_dir=settings.data_dir, geo_path=geo_path)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None or self._pid != os.getpid():
                if self._engine is not None:
                    self._engine.dispose(close=False)  # the parent's connections stay its own
                self._engine = make_engine(self.url)
                self._pid = os.getpid()
            return self._engine

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction; writers take turns (BEGIN IMMEDIATE / an advisory lock)."""
        with (
            self.engine.connect().execution_options(vru_write=True) as connection,
            connection.begin(),
        ):
            if self.is_postgresql:
                connection.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One read transaction that sees a single committed state of every table."""
        options: dict[str, Any] = {}
        if self.is_postgresql:
            options["isolation_level"] = "REPEATABLE READ"
        with self.engine.connect().execution_options(**options) as connection, connection.begin():
            yield connection

    # -- schema and first start ---------------------------------------------------------------

    def upgrade(self) -> None:
        """Apply the migrations the database lacks (`python -m dashboard db upgrade`)."""
        migrate.upgrade(self.engine, lock=WRITE_LOCK if self.is_postgresql else None)

    def is_current_schema(self) -> bool:
        return migrate.current(self.engine) == migrate.head()

    def is_seeded(self) -> bool:
        with self._reading() as connection:
            return connection.execute(select(func.count()).select_from(Release)).scalar_one() > 0

    def bundle_hash(self, data_dir: Path | None = None) -> str:
        """SHA-256 of each bundled file (tables and revisions log), to notice a changed bundle."""
        data_dir = data_dir or self.data_dir
        names = [spec.filename for spec in schema.TABLES]
        names += [schema.OFFICIAL_OBSERVATIONS.filename, REVISIONS_FILE]
        return " ".join(
            f"{name}:{file_sha256(data_dir / name)}"
            for name in names
            if (data_dir / name).is_file()
        )

    def seed(self, data_dir: Path | None = None, *, by: str = "system") -> int | None:
        """Load the bundled tables of `data_dir` (checked whole, as at start-up) when they
        differ from what the store last took from them: the first time, everything; after a
        `git pull` with new data, the changes, as a release of their own. Rows gone from the
        bundle are withdrawn, not deleted. Returns the release id, or None when unchanged."""
        data_dir = data_dir or self.data_dir
        bundle = self.bundle_hash(data_dir)
        with self._reading() as connection:
            last = connection.execute(
                select(Release.sha256)
                .where(Release.command == SEED_COMMAND)
                .order_by(Release.release_id.desc())
                .limit(1)
            ).scalar_one_or_none()
        if last == bundle:
            return None
        tables = read_tables(data_dir)
        notes = load_revisions(data_dir)
        with self._writing() as connection:
            last = connection.execute(
                select(Release.sha256)
                .where(Release.command == SEED_COMMAND)
                .order_by(Release.release_id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if last == bundle:  # another process did it while this one was checking
                return None
            for model, fields, name in (
                (Unit, UNIT_FIELDS, "units"),
                (Metric, METRIC_FIELDS, "metrics"),
                (Source, SOURCE_FIELDS, "sources"),
            ):
                replace_reference(connection, model, fields, tables[name])
            bundled = select(Release.release_id).where(Release.command == SEED_COMMAND)
            # Only what changed in the bundle since it was last taken: a figure corrected by a
            # later load stays corrected while its bundled row is unchanged.
            before = {
                row[0]: tuple(row[1:])
                for row in connection.execute(
                    select(*observation_columns(OBSERVATION_FIELDS))
                    .where(Observation.release_id.in_(bundled))
                    .order_by(Observation.version_id)
                )
            }
            rows = as_text_rows(tables["observations"])
            changed = [
                before.get(row[0]) != tuple(row[1:])
                for row in rows.itertuples(index=False, name=None)
            ]
            release_id = self._stage(
                connection,
                rows.loc[changed],
                source_file=f"{data_dir.name}/ (bundled tables)",
                sha256=bundle,
                by=by,
                command=SEED_COMMAND,
                checked=True,
            )
            kept = set(rows["obs_id"])
            gone = [
                version
                for version, obs_id in connection.execute(
                    select(Observation.version_id, Observation.obs_id).where(
                        Observation.status == CURRENT, Observation.release_id.in_(bundled)
                    )
                )
                if obs_id not in kept
            ]
            self._publish(connection, release_id, by)
            if gone:
                connection.execute(
                    update(Observation)
                    .where(Observation.version_id.in_(gone))
                    .values(
                        status=WITHDRAWN,
                        reason="removed from the bundled tables",
                        ended_by_release=release_id,
                    )
                )
                connection.execute(
                    update(Release)
                    .where(Release.release_id == release_id)
                    .values(rows_withdrawn=len(gone))
                )
            known = {
                (d, c)
                for d, c in connection.execute(select(RevisionNote.date, RevisionNote.change))
            }
            fresh = [
                {"date": r["date"], "change": r["change"], "reason": r["reason"]}
                for r in notes.iloc[::-1].to_dict("records")
                if (r["date"], r["change"]) not in known
            ]
            if fresh:
                connection.execute(insert(RevisionNote), fresh)
            connection.execute(
                update(Release)
                .where(Release.release_id == release_id)
                .values(reason="The bundled tables of the data folder.")
            )
        log.info("loaded the bundled tables of %s (release %d)", data_dir, release_id)
        return release_id

    def ensure_ready(self) -> None:
        """What the app does on start: migrate, then take the bundled tables if they changed
        (the first time: all of them). Cheap when nothing changed: one hash of the files."""
        if self._new_sqlite_file():
            read_tables(self.data_dir)  # bad bundled data: refuse before making the file
        if not self.is_current_schema():
            self.upgrade()
        self.seed()

    def _new_sqlite_file(self) -> bool:
        path = self.engine.url.database
        return self.engine.dialect.name == "sqlite" and bool(path) and not Path(path).exists()

    # -- reading --------------------------------------------------------------------------------

    def version(self) -> int:
        """The data version (0 before the first seed): one indexed row, polled by every worker."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(DataVersion.version).where(DataVersion.id == 1)
            ).scalar_one_or_none()
            connection.rollback()
        return int(found or 0)

    def _boundaries_once(self) -> dict[str, Any] | None:
        if self._boundaries is None and self.geo_path is not None:
            self._boundaries = load_boundaries(self.geo_path)
        return self._boundaries

    def snapshot(self) -> DataStore:
        """The published data as the app's DataStore, from one transaction; the same object
        again while the version has not changed."""
        with self._reading() as connection:
            row = connection.execute(
                select(DataVersion.version, DataVersion.epoch).where(DataVersion.id == 1)
            ).one_or_none()
            version, epoch = (int(row[0]), str(row[1])) if row else (0, "")
            cached = self._snapshot
            if cached is not None and (cached.data_version, cached.store_epoch) == (
                version,
                epoch,
            ):
                return cached
            tables = {
                "units": read_frame(connection, Unit, UNIT_FIELDS),
                "metrics": read_frame(connection, Metric, METRIC_FIELDS),
                "sources": read_frame(connection, Source, SOURCE_FIELDS),
            }
            observations = read_frame(
                connection,
                Observation,
                (*OBSERVATION_FIELDS, "release_id", "supplied_by"),
                Observation.status == CURRENT,
            )
            releases = self._releases(connection)
            changes = changes_frame(connection, releases)
            notes = read_frame(connection, RevisionNote, ("note_id", "date", "change", "reason"))
        tables["observations"] = observations.drop(columns=["release_id", "supplied_by"])
        store = prepare_store(
            tables,
            self.data_dir,
            boundaries=self._boundaries_once(),
            revisions=revisions_log(notes, releases),
            releases=releases,
            changes=changes,
            data_version=version,
            store_epoch=epoch,
        )
        prepared = store.observations
        prepared["release_id"] = observations["release_id"].astype("Int64").to_numpy()
        prepared["supplied_by"] = observations["supplied_by"].to_numpy()
        self._snapshot = store
        return store

    @staticmethod
    def _releases(connection: Connection) -> pd.DataFrame:
        rows = connection.execute(
            select(*(getattr(Release, c) for c in RELEASE_COLUMNS)).order_by(
                Release.release_id.desc()
            )
        ).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=list(RELEASE_COLUMNS))
        for column in ("created_at", "published_at", "withdrawn_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        return frame

    def releases(self) -> pd.DataFrame:
        """Every release, newest first (pending and rejected ones too)."""
        with self._reading() as connection:
            return self._releases(connection)

    def history(
        self,
        obs_id: str | None = None,
        *,
        release_id: int | None = None,
        unit_id: str | None = None,
        metric_id: str | None = None,
    ) -> pd.DataFrame:
        """Every version of the matching figures (superseded, withdrawn, pending too), oldest
        first, with the release that made it and when that was published."""
        columns = [getattr(Observation, c) for c in HISTORY_COLUMNS if c != "published_at"]
        query = select(*columns, Release.published_at).join(
            Release, Release.release_id == Observation.release_id
        )
        for column, wanted in (
            (Observation.obs_id, obs_id),
            (Observation.release_id, release_id),
            (Observation.unit_id, unit_id),
            (Observation.metric_id, metric_id),
        ):
            if wanted is not None:
                query = query.where(column == wanted)
        with self._reading() as connection:
            rows = connection.execute(query.order_by(Observation.version_id)).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=list(HISTORY_COLUMNS))
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
        return frame

    def as_published_on(self, when: dt.datetime) -> pd.DataFrame:
        """The figures shown at `when` (text columns): reproduces 'as published on <date>'."""
        return shown_at(self.history(), self.releases(), when)

    # -- writing --------------------------------------------------------------------------------

    def _reference(self, connection: Connection) -> dict[str, Any]:
        metrics = connection.execute(select(Metric.metric_id, Metric.unit_of_measure)).all()
        return {
            "unit_ids": list(connection.execute(select(Unit.unit_id)).scalars()),
            "metric_units": {m: u for m, u in metrics},
            "source_ids": list(connection.execute(select(Source.source_id)).scalars()),
        }

    def _stage(
        self,
        connection: Connection,
        rows: pd.DataFrame,
        *,
        source_file: str,
        sha256: str,
        by: str,
        command: str,
        supplied_by: str = "",
        checked: bool = False,
        reason: str = "",
    ) -> int:
        text_rows = as_text_rows(rows)
        if not checked:
            problems = check_rows(text_rows, source_file, **self._reference(connection))
            if problems:
                raise DataError(problems)
        wanted = set(text_rows["obs_id"])
        columns = (
            Observation.version_id,
            Observation.position,
            *observation_columns(OBSERVATION_FIELDS),
        )
        current = {
            row.obs_id: row
            for row in connection.execute(select(*columns).where(Observation.status == CURRENT))
            if row.obs_id in wanted
        }
        next_position = (
            connection.execute(
                select(func.coalesce(func.max(Observation.position), -1))
            ).scalar_one()
            + 1
        )
        now = _now()
        release_id = connection.execute(
            insert(Release).returning(Release.release_id),
            {
                "status": RELEASE_PENDING,
                "created_at": now,
                "created_by": by,
                "command": command,
                "source_file": source_file,
                "sha256": sha256,
                "reason": reason,
            },
        ).scalar_one()
        records, added, changed = [], 0, 0
        for row in text_rows.to_dict("records"):
            old = current.get(row["obs_id"])
            if old is not None and all(getattr(old, f) == row[f] for f in OBSERVATION_FIELDS):
                continue  # the same figure again: nothing to record
            if old is None:
                position, added = next_position, added + 1
                next_position += 1
            else:
                position, changed = old.position, changed + 1
            records.append(
                {
                    **row,
                    "position": position,
                    "status": PENDING,
                    "release_id": release_id,
                    "supersedes": None if old is None else old.version_id,
                    "supplied_by": supplied_by,
                }
            )
        if records:
            connection.execute(insert(Observation), records)
        connection.execute(
            update(Release)
            .where(Release.release_id == release_id)
            .values(rows_added=added, rows_changed=changed)
        )
        return int(release_id)

    def stage(
        self,
        rows: pd.DataFrame,
        *,
        source_file: str,
        sha256: str,
        by: str,
        command: str,
        supplied_by: str = "",
        reason: str = "",
    ) -> int:
        """Check `rows` completely (DataError lists every problem; nothing is stored), then
        keep them as a pending release for review; returns its id."""
        with self._writing() as connection:
            return self._stage(
                connection,
                rows,
                source_file=source_file,
                sha256=sha256,
                by=by,
                command=command,
                supplied_by=supplied_by,
                reason=reason,
            )

    def preview(self, release_id: int) -> pd.DataFrame:
        """The rows of a release with the figures they replace (`old_` columns, empty for new
        figures) and `change`: 'new' or 'correction'."""
        history = self.history(release_id=release_id)
        fields = list(OBSERVATION_FIELDS)
        new = history.loc[:, ["version_id", *fields, "status", "supersedes"]]
        old_ids = [int(v) for v in new["supersedes"].dropna()]
        with self._reading() as connection:
            old_rows = (
                connection.execute(
                    select(
                        Observation.version_id, *(getattr(Observation, f) for f in fields)
                    ).where(Observation.version_id.in_(old_ids))
                ).all()
                if old_ids
                else []
            )
        old = pd.DataFrame(
            [tuple(r) for r in old_rows], columns=["old_version_id", *(f"old_{f}" for f in fields)]
        )
        merged = new.merge(old, left_on="supersedes", right_on="old_version_id", how="left")
        merged["change"] = ["new" if pd.isna(s) else "correction" for s in merged["supersedes"]]
        return merged.drop(columns=["old_version_id"])

    def _release_status(self, connection: Connection, release_id: int) -> str:
        found = connection.execute(
            select(Release.status).where(Release.release_id == release_id)
        ).scalar_one_or_none()
        if found is None:
            raise StoreError(f"there is no release {release_id}")
        return str(found)

    def _publish(self, connection: Connection, release_id: int, by: str) -> None:
        status = self._release_status(connection, release_id)
        if status != RELEASE_PENDING:
            raise StoreError(f"release {release_id} is {status}, not pending")
        now = _now()
        pending = connection.execute(
            select(Observation.version_id, Observation.obs_id).where(
                Observation.release_id == release_id, Observation.status == PENDING
            )
        ).all()
        obs_ids = [obs_id for _, obs_id in pending]
        for start in range(0, len(obs_ids), 5000):
            connection.execute(
                update(Observation)
                .where(
                    Observation.status == CURRENT,
                    Observation.obs_id.in_(obs_ids[start : start + 5000]),
                )
                .values(status=SUPERSEDED, ended_by_release=release_id)
            )
        connection.execute(
            update(Observation)
            .where(Observation.release_id == release_id, Observation.status == PENDING)
            .values(status=CURRENT)
        )
        connection.execute(
            update(Release)
            .where(Release.release_id == release_id)
            .values(status=RELEASE_PUBLISHED, published_at=now, published_by=by)
        )
        self._bump(connection, now)

    def publish(self, release_id: int, *, by: str) -> None:
        """Show a pending release's figures (corrections supersede the figures they replace)."""
        with self._writing() as connection:
            self._publish(connection, release_id, by)

    def reject(self, release_id: int, *, by: str, reason: str) -> None:
        """Refuse a pending release: its rows are kept, marked rejected, never shown."""
        with self._writing() as connection:
            status = self._release_status(connection, release_id)
            if status != RELEASE_PENDING:
                raise StoreError(f"release {release_id} is {status}, not pending")
            connection.execute(
                update(Observation)
                .where(Observation.release_id == release_id, Observation.status == PENDING)
                .values(status=REJECTED, reason=reason)
            )
            connection.execute(
                update(Release)
                .where(Release.release_id == release_id)
                .values(
                    status=RELEASE_REJECTED, reason=reason, withdrawn_at=_now(), withdrawn_by=by
                )
            )

    def withdraw(self, release_id: int, *, by: str, reason: str) -> int:
        """Take back a published release: its figures still shown become withdrawn (kept, with
        the reason) and the figures they had corrected are shown again. Returns how many."""
        if not reason.strip():
            raise StoreError("a withdrawal needs a reason")
        with self._writing() as connection:
            status = self._release_status(connection, release_id)
            if status != RELEASE_PUBLISHED:
                raise StoreError(f"release {release_id} is {status}, not published")
            shown = connection.execute(
                select(Observation.version_id, Observation.supersedes).where(
                    Observation.release_id == release_id, Observation.status == CURRENT
                )
            ).all()
            now = _now()
            ids = [version for version, _ in shown]
            restored = [old for _, old in shown if old is not None]
            for start in range(0, len(ids), 5000):
                connection.execute(
                    update(Observation)
                    .where(Observation.version_id.in_(ids[start : start + 5000]))
                    .values(status=WITHDRAWN, reason=reason)
                )
            for start in range(0, len(restored), 5000):
                connection.execute(
                    update(Observation)
                    .where(
                        Observation.version_id.in_(restored[start : start + 5000]),
                        Observation.status == SUPERSEDED,
                        Observation.ended_by_release == release_id,
                    )
                    .values(status=CURRENT, ended_by_release=None)
                )
            connection.execute(
                update(Release)
                .where(Release.release_id == release_id)
                .values(
                    status=RELEASE_WITHDRAWN,
                    reason=reason,
                    rows_withdrawn=len(ids),
                    withdrawn_at=now,
                    withdrawn_by=by,
                )
            )
            self._bump(connection, now)
        return len(ids)

    def check(self, rows: pd.DataFrame, source_file: str) -> pd.DataFrame:
        """The rows as text if they pass every rule against the store's units, metrics and
        sources; else DataError listing every problem (file, row, column, rule)."""
        text_rows = as_text_rows(rows)
        with self._reading() as connection:
            reference = self._reference(connection)
        problems = check_rows(text_rows, source_file, **reference)
        if problems:
            raise DataError(problems)
        return text_rows

    def load(
        self,
        path: Path,
        *,
        by: str,
        command: str,
        on_checked: Callable[[int], None] | None = None,
        reason: str = "",
    ) -> int:
        """Check a whole observation CSV, then stage and publish it in one transaction."""
        rows = read_observation_file(path)
        return self.load_rows(
            rows,
            source_file=str(path),
            sha256=file_sha256(path),
            by=by,
            command=command,
            on_checked=on_checked,
            reason=reason,
        )

    def load_rows(
        self,
        rows: pd.DataFrame,
        *,
        source_file: str,
        sha256: str,
        by: str,
        command: str,
        on_checked: Callable[[int], None] | None = None,
        reason: str = "",
    ) -> int:
        """Stage and publish `rows` in one transaction: all of them or, on any problem, none.

        The rows are checked before the transaction starts (a long check must not hold the
        write lock); `on_checked(n)` is told when the writing begins.
        """
        text_rows = self.check(rows, source_file)
        if on_checked is not None:
            on_checked(len(text_rows))
        with self._writing() as connection:
            release_id = self._stage(
                connection,
                text_rows,
                source_file=source_file,
                sha256=sha256,
                by=by,
                command=command,
                checked=True,
                reason=reason,
            )
            self._publish(connection, release_id, by)
        return release_id

    @staticmethod
    def _bump(connection: Connection, now: dt.datetime) -> None:
        changed = connection.execute(
            update(DataVersion)
            .where(DataVersion.id == 1)
            .values(version=DataVersion.version + 1, updated_at=now)
        ).rowcount
        if not changed:
            connection.execute(
                insert(DataVersion),
                {"id": 1, "version": 1, "epoch": uuid.uuid4().hex, "updated_at": now},
            )
