"""The revisions and corrections log users read: data/revisions.csv, one change per row.

A statistics user needs to know what changed in the figures and when; the newest date is
also the 'data last updated' date in every page's footer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.schema import Problem

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
    stamp = pd.Timestamp(revisions["date"].max())
    return f"{stamp.day} {stamp:%B %Y}"
