"""The store's tables, declared once for SQLite and PostgreSQL.

Reference tables (units, metrics, sources) keep the text of the bundled CSV files column by
column, so a snapshot rebuilds exactly the frames the app read from the files before. An
observation is never updated in place or deleted: every version is a row of its own, and its
`status` says whether it is the figure shown (current), was replaced by a correction
(superseded), taken back (withdrawn), waits for review (pending) or was refused (rejected).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Statuses of an observation version.
PENDING = "pending"
CURRENT = "current"
SUPERSEDED = "superseded"
WITHDRAWN = "withdrawn"
REJECTED = "rejected"

# Statuses of a release.
RELEASE_PENDING = "pending"
RELEASE_PUBLISHED = "published"
RELEASE_REJECTED = "rejected"
RELEASE_WITHDRAWN = "withdrawn"

# The observation columns of the project's CSV format, in file order (schema.OBSERVATIONS).
OBSERVATION_FIELDS = (
    "obs_id",
    "unit_id",
    "metric_id",
    "value",
    "qualifier",
    "value_status",
    "period_label",
    "period_start",
    "period_end",
    "financial_year",
    "baseline_value",
    "baseline_period_label",
    "geography",
    "series",
    "source_id",
    "page",
    "url",
    "note",
)


def _text() -> Mapped[str]:
    """A CSV cell: text, never NULL ('' is an empty cell, as in the files)."""
    return mapped_column(Text, nullable=False, default="", server_default="")


class Base(DeclarativeBase):
    """Every table of the store (and of the editors' accounts) hangs off this one metadata."""


class Unit(Base):
    __tablename__ = "units"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = _text()
    unit_type: Mapped[str] = _text()
    area_name: Mapped[str] = _text()
    pfa_codes: Mapped[str] = _text()
    grant_recipient: Mapped[str] = _text()
    pcc: Mapped[str] = _text()
    lead: Mapped[str] = _text()
    model_notes: Mapped[str] = _text()
    start_year: Mapped[str] = _text()
    source_id: Mapped[str] = _text()
    page: Mapped[str] = _text()
    url: Mapped[str] = _text()


class Metric(Base):
    __tablename__ = "metrics"

    metric_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    label: Mapped[str] = _text()
    category: Mapped[str] = _text()
    unit_of_measure: Mapped[str] = _text()
    reach_type: Mapped[str] = _text()
    description: Mapped[str] = _text()
    higher_is_better: Mapped[str] = _text()
    money_kind: Mapped[str] = _text()


class Source(Base):
    __tablename__ = "sources"

    source_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[str] = _text()
    publisher: Mapped[str] = _text()
    published: Mapped[str] = _text()
    url: Mapped[str] = _text()
    licence: Mapped[str] = _text()


class Release(Base):
    """One load (a file, by a command or a user): what it did and what became of it."""

    __tablename__ = "releases"

    release_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_by: Mapped[str] = _text()
    command: Mapped[str] = _text()
    source_file: Mapped[str] = _text()
    sha256: Mapped[str] = _text()
    rows_added: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_withdrawn: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reason: Mapped[str] = _text()
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = _text()
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str] = _text()


class Observation(Base):
    """One version of one figure. `position` keeps the order of the files across versions."""

    __tablename__ = "observations"
    __table_args__ = (
        # At most one shown version of a figure, enforced by the database itself.
        Index(
            "ux_observations_current",
            "obs_id",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
        Index("ix_observations_obs_id", "obs_id"),
        Index("ix_observations_status", "status"),
        Index("ix_observations_release", "release_id"),
    )

    version_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.release_id"), nullable=False)
    supersedes: Mapped[int | None] = mapped_column(Integer)
    ended_by_release: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = _text()
    supplied_by: Mapped[str] = _text()
    obs_id: Mapped[str] = mapped_column(String(300), nullable=False)
    unit_id: Mapped[str] = _text()
    metric_id: Mapped[str] = _text()
    value: Mapped[str] = _text()
    qualifier: Mapped[str] = _text()
    value_status: Mapped[str] = _text()
    period_label: Mapped[str] = _text()
    period_start: Mapped[str] = _text()
    period_end: Mapped[str] = _text()
    financial_year: Mapped[str] = _text()
    baseline_value: Mapped[str] = _text()
    baseline_period_label: Mapped[str] = _text()
    geography: Mapped[str] = _text()
    series: Mapped[str] = _text()
    source_id: Mapped[str] = _text()
    page: Mapped[str] = _text()
    url: Mapped[str] = _text()
    note: Mapped[str] = _text()


class RevisionNote(Base):
    """The hand-written corrections log kept before the store (data/revisions.csv)."""

    __tablename__ = "revision_notes"

    note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    date: Mapped[str] = _text()
    change: Mapped[str] = _text()
    reason: Mapped[str] = _text()


class DataVersion(Base):
    """One row: the version every worker polls, and a token naming this database.

    `epoch` is random per database, so cache keys from another database (or a rebuilt one whose
    version counter started again) never match.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    epoch: Mapped[str] = mapped_column(String(32), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
