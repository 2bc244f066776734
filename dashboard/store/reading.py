"""Reading the store's tables into frames, and the words users read about releases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from dashboard.datastore import CHANGE_COLUMNS
from dashboard.store.models import (
    CURRENT,
    PENDING,
    REJECTED,
    RELEASE_WITHDRAWN,
    SUPERSEDED,
    WITHDRAWN,
    Observation,
)

SEED_COMMAND = "db seed"


def replace_reference(
    connection: Connection, model: Any, fields: Sequence[str], frame: pd.DataFrame
) -> None:
    """Make a reference table (units, metrics, sources) hold the bundle's rows, in its order.

    Rows are updated or added, never deleted: old observations may still name them.
    """
    key = fields[0]
    existing = {row[0] for row in connection.execute(select(getattr(model, key)))}
    for position, row in enumerate(frame.to_dict("records")):
        values = {f: str(row.get(f, "")) for f in fields} | {"position": position}
        if values[key] in existing:
            connection.execute(
                update(model).where(getattr(model, key) == values[key]).values(**values)
            )
        else:
            connection.execute(insert(model), values)


def changes_frame(connection: Connection, releases: pd.DataFrame) -> pd.DataFrame:
    """The figures of every release after the first, each with the one it replaced."""
    if len(releases) < 2:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    first = int(releases["release_id"].min())
    fields = [c for c in CHANGE_COLUMNS if not c.startswith("old_")]
    versions = read_frame(
        connection,
        Observation,
        ("version_id", "supersedes", *fields),
        Observation.release_id != first,
        Observation.status.in_([CURRENT, SUPERSEDED, WITHDRAWN]),
    )
    replaced_ids = [int(v) for v in versions["supersedes"].dropna()]
    replaced = read_frame(
        connection,
        Observation,
        ("version_id", "value", "qualifier"),
        Observation.version_id.in_(replaced_ids),
    ).rename(
        columns={"version_id": "supersedes", "value": "old_value", "qualifier": "old_qualifier"}
    )
    versions["supersedes"] = pd.to_numeric(versions["supersedes"]).astype("Int64")
    replaced["supersedes"] = pd.to_numeric(replaced["supersedes"]).astype("Int64")
    merged = versions.merge(replaced, on="supersedes", how="left")
    merged[["old_value", "old_qualifier"]] = merged[["old_value", "old_qualifier"]].fillna("")
    return merged.loc[:, list(CHANGE_COLUMNS)].reset_index(drop=True)


def observation_columns(fields: Sequence[str]) -> list[Any]:
    return [getattr(Observation, f) for f in fields]


def read_frame(
    connection: Connection, model: Any, fields: Sequence[str], *where: Any
) -> pd.DataFrame:
    order = [model.position] if hasattr(model, "position") else []
    if model is Observation:
        order.append(Observation.version_id)
    query = select(*(getattr(model, f) for f in fields)).where(*where).order_by(*order)
    rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(fields))


def revisions_log(notes: pd.DataFrame, releases: pd.DataFrame) -> pd.DataFrame:
    """What users read as the revisions log (date, change, reason), newest first: the notes
    kept before the store, and every release after the first with what it did."""
    entries = [
        {"date": n["date"], "change": n["change"], "reason": n["reason"]}
        for n in notes.to_dict("records")
    ]
    first = releases["release_id"].min() if len(releases) else None
    for r in releases.iloc[::-1].to_dict("records"):
        # The first load of the bundled tables is where the store starts, not a change.
        initial = r["release_id"] == first and r["command"] == SEED_COMMAND
        if initial or pd.isna(r["published_at"]):
            continue
        entries.append(
            {
                "date": r["published_at"].strftime("%Y-%m-%d"),
                "change": f"Release {r['release_id']}: {release_summary(r)}",
                "reason": r["reason"] if r["status"] != RELEASE_WITHDRAWN else "",
            }
        )
        if r["status"] == RELEASE_WITHDRAWN and not pd.isna(r["withdrawn_at"]):
            entries.append(
                {
                    "date": r["withdrawn_at"].strftime("%Y-%m-%d"),
                    "change": f"Release {r['release_id']} withdrawn: "
                    f"{r['rows_withdrawn']} figures taken back",
                    "reason": r["reason"],
                }
            )
    frame = pd.DataFrame(entries, columns=["date", "change", "reason"])
    frame = frame.iloc[::-1].sort_values("date", ascending=False, kind="stable")
    return frame.reset_index(drop=True)


def release_summary(release: dict[str, Any]) -> str:
    """'3 figures added, 1 corrected (from dfe.csv)'."""
    added, changed = int(release["rows_added"]), int(release["rows_changed"])
    parts = [f"{added} figure{'s' if added != 1 else ''} added", f"{changed} corrected"]
    name = Path(str(release["source_file"])).name if release["source_file"] else ""
    return ", ".join(parts) + (f" (from {name})" if name else "")


def shown_at(history: pd.DataFrame, releases: pd.DataFrame, when: dt.datetime) -> pd.DataFrame:
    """The versions that were shown at `when`, one per figure (from `Store.history()`)."""
    by_id = releases.set_index("release_id")
    shown = []
    for _, version in history.iterrows():
        made = by_id.loc[version["release_id"]]
        if pd.isna(made["published_at"]) or made["published_at"] > when:
            continue
        if version["status"] in (PENDING, REJECTED):
            continue
        ended = version["ended_by_release"]
        if version["status"] == WITHDRAWN:
            ended_at = made["withdrawn_at"] if pd.isna(ended) else None
            if ended_at is not None and not pd.isna(ended_at) and ended_at <= when:
                continue
        if not pd.isna(ended) and version["status"] == SUPERSEDED:
            ender = by_id.loc[int(ended)]
            if not pd.isna(ender["published_at"]) and ender["published_at"] <= when:
                continue
        shown.append(version)
    frame = pd.DataFrame(shown, columns=list(history.columns))
    return frame.drop_duplicates("obs_id", keep="last").reset_index(drop=True)
