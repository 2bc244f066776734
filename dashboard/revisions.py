"""The revisions and corrections log users read: data/revisions.csv, one change per row.

A statistics user needs to know what changed in the figures and when; the newest date is
also the 'data last updated' date in every page's footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dashboard.formatting import format_figure
from dashboard.schema import Problem

if TYPE_CHECKING:  # the store imports this module
    from dashboard.datastore import DataStore

FILENAME = "revisions.csv"
COLUMNS = ("date", "change", "reason")


class RevisionsError(ValueError):
    """The log cannot be read; `problem` names the file, row and column."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_revisions(data_dir: Path) -> pd.DataFrame:
    """The log, newest first; an absent file gives an empty log (a fresh data folder)."""
    path = data_dir / FILENAME
    if not path.exists():
        return pd.DataFrame(columns=list(COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise RevisionsError(Problem(str(path), f"missing column(s) {', '.join(missing)}"))
    for row, (date, change) in enumerate(zip(frame["date"], frame["change"], strict=True)):
        line = row + 2
        if pd.isna(pd.to_datetime(date, format="%Y-%m-%d", errors="coerce")):
            raise RevisionsError(
                Problem(str(path), "must be a YYYY-MM-DD date", line, "date", date)
            )
        if not change.strip():
            raise RevisionsError(Problem(str(path), "must not be empty", line, "change"))
    ordered = frame.iloc[::-1].sort_values("date", ascending=False, kind="stable")
    return ordered.loc[:, list(COLUMNS)].reset_index(drop=True)


def last_updated(revisions: pd.DataFrame) -> str | None:
    """'2 December 2026': the date of the newest change, for the footer."""
    if revisions.empty:
        return None
    return _long(pd.Timestamp(revisions["date"].max()))


def _long(stamp: pd.Timestamp) -> str:
    return f"{stamp.day} {stamp:%B %Y}"


def changed_on(store: Any, unit_ids: Iterable[str]) -> str | None:
    """'3 December 2026': when the figures of these units last changed, for a chart's source
    line. The bundled data counts from the newest note of the log; a later release counts for
    the units whose figures it added, corrected or withdrew (published or withdrawn date)."""
    revisions = store.revisions
    if revisions.empty:
        return None
    notes = revisions.loc[~revisions["change"].astype(str).str.match(RELEASE_ENTRY)]
    dates = [pd.Timestamp(d) for d in notes["date"]]
    changes, releases = store.changes, store.releases
    units = set(unit_ids) or set(changes["unit_id"])  # none named: every unit's figures
    if len(changes) and len(releases):
        touched = set(changes.loc[changes["unit_id"].isin(units), "release_id"])
        for r in releases.loc[releases["release_id"].isin(touched)].to_dict("records"):
            for column in ("published_at", "withdrawn_at"):
                if not pd.isna(r[column]):
                    dates.append(pd.Timestamp(r[column]).tz_localize(None).normalize())
    return _long(max(dates)) if dates else None


def with_change_date(source_line: str, date: str | None) -> str:
    """The source line with when its figures last changed (the Revisions page says how)."""
    if not date or "Source: no figures" in source_line:
        return source_line
    return f"{source_line.rstrip()} Figures last changed {date}."


# ---------------------------------------------------------------------------------------------
# The Revisions page: every release of the store and every note of the log, newest first.

RELEASE_ENTRY = re.compile(r"^Release \d+( withdrawn)?:")
# A release lists its figures on the page up to this many; the rest are one link away (the API).
FIGURES_SHOWN = 100


@dataclass(frozen=True)
class FigureChange:
    """One figure of a release, in words."""

    unit: str
    measure: str
    period: str
    figure: str
    before: str  # the figure it replaced, '' for a new one
    state: str  # 'shown', 'corrected later', 'withdrawn'


@dataclass(frozen=True)
class RevisionEntry:
    """One change users can read about: a release of the store or a note of the old log."""

    date: str  # YYYY-MM-DD
    title: str
    what: str
    why: str
    release_id: int | None = None
    figures: tuple[FigureChange, ...] = ()
    more: int = 0  # figures of the release not listed on the page


def long_date(text: str) -> str:
    stamp = pd.Timestamp(text)
    return f"{stamp.day} {stamp:%B %Y}"


def _figure_text(value: str, unit_of_measure: str, qualifier: str, status: str) -> str:
    number = float(value) if value else None
    return format_figure(number, unit_of_measure, qualifier or "exact", status or "reported")


def store_revision_entries(store: DataStore) -> list[RevisionEntry]:
    """`revision_entries` of the store, once per data version (shared: never change it)."""
    return store.derived(
        ("revision-entries",),
        lambda: revision_entries(
            store.revisions, store.releases, store.changes, store.units, store.metrics
        ),
    )


def revision_entries(
    revisions: pd.DataFrame,
    releases: pd.DataFrame,
    changes: pd.DataFrame,
    units: pd.DataFrame,
    metrics: pd.DataFrame,
) -> list[RevisionEntry]:
    """Entries newest first: published and withdrawn releases after the first load (with
    their figures) and the notes of the log kept before the store. Pending and rejected
    releases are the editors' business and are not listed."""
    unit_names = dict(zip(units["unit_id"], units["name"], strict=True)) | {
        "national": "National programme"
    }
    labels = dict(zip(metrics["metric_id"], metrics["label"], strict=True))
    measures = dict(zip(metrics["metric_id"], metrics["unit_of_measure"], strict=True))
    entries = [
        RevisionEntry(str(row["date"]), "Correction note", str(row["change"]), str(row["reason"]))
        for row in revisions.to_dict("records")
        if not RELEASE_ENTRY.match(str(row["change"]))
    ]
    first = releases["release_id"].min() if len(releases) else None
    by_release = {key: frame for key, frame in changes.groupby("release_id")}
    for release in releases.to_dict("records"):
        if release["release_id"] == first or release["status"] not in ("published", "withdrawn"):
            continue
        rows = by_release.get(release["release_id"], changes.iloc[0:0])
        figures = tuple(
            FigureChange(
                unit=unit_names.get(row["unit_id"], row["unit_id"]),
                measure=labels.get(row["metric_id"], row["metric_id"]),
                period=row["period_label"],
                figure=_figure_text(
                    row["value"],
                    measures.get(row["metric_id"], ""),
                    row["qualifier"],
                    row["value_status"],
                ),
                before=_figure_text(
                    row["old_value"],
                    measures.get(row["metric_id"], ""),
                    row["old_qualifier"],
                    "reported",
                )
                if row["old_value"]
                else "",
                state={"current": "shown", "superseded": "corrected later"}.get(
                    row["status"], "withdrawn"
                ),
            )
            for row in rows.head(FIGURES_SHOWN).to_dict("records")
        )
        added, changed = int(release["rows_added"]), int(release["rows_changed"])
        what = f"{added} figure{'' if added == 1 else 's'} added, {changed} corrected"
        if release["source_file"]:
            what += f", from the file {Path(str(release['source_file'])).name}"
        published = release["published_at"]
        if release["status"] == "withdrawn":
            withdrawn = release["withdrawn_at"]
            entries.append(
                RevisionEntry(
                    withdrawn.strftime("%Y-%m-%d"),
                    f"Release {release['release_id']} withdrawn",
                    f"{int(release['rows_withdrawn'])} figures of the release of "
                    f"{long_date(published.strftime('%Y-%m-%d'))} were taken back; they are "
                    "no longer shown, and the figures they had corrected are shown again.",
                    str(release["reason"]),
                    int(release["release_id"]),
                )
            )
        entries.append(
            RevisionEntry(
                published.strftime("%Y-%m-%d"),
                f"Release {release['release_id']}",
                what,
                str(release["reason"]) if release["status"] == "published" else "",
                int(release["release_id"]),
                figures,
                max(0, len(rows) - len(figures)),
            )
        )
    entries.sort(key=lambda e: (e.date, e.release_id or 0), reverse=True)
    return entries
