"""Files in, checked rows out: what a load must pass before the store applies anything.

The rules are the app's own (dashboard/schema.py), so a file the store accepts is one the app
would have accepted at start-up, and every problem is listed with file, row, column and rule.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

import pandas as pd

from dashboard import schema
from dashboard.datastore import DataError, read_table
from dashboard.store.models import OBSERVATION_FIELDS

log = logging.getLogger(__name__)

# `load --kind`: the publishers' formats the importers read (dashboard/importers/).
IMPORT_KINDS = ("dfe-exclusions", "ons-pfa", "ons-population")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_observation_file(path: Path) -> pd.DataFrame:
    """A CSV in the project's observation format, as text; DataError if it cannot be read."""
    if path.suffix.lower() != ".csv":
        raise DataError(
            [schema.Problem(str(path), "must be a .csv file in the observation format")]
        )
    spec = dataclasses.replace(schema.OBSERVATIONS, name=path.stem)
    return read_table(path.parent, spec)


def check_rows(
    rows: pd.DataFrame,
    label: str,
    *,
    unit_ids: list[str],
    metric_units: dict[str, str],
    source_ids: list[str],
) -> list[schema.Problem]:
    """Every problem of observation rows against the store's units, metrics and sources.

    `rows` is text, one row per figure, in the observation format; row numbers in the
    problems count as in a CSV file (header is line 1).
    """
    spec = dataclasses.replace(schema.OBSERVATIONS, name=Path(label).stem)
    rows = rows.reset_index(drop=True)
    problems = schema.check_table(spec, rows, label)
    if problems:
        return problems
    problems += schema.check_references(
        rows, "unit_id", [*unit_ids, schema.NATIONAL], label, "units.csv"
    )
    problems += schema.check_references(rows, "metric_id", list(metric_units), label, "metrics.csv")
    problems += schema.check_references(rows, "source_id", source_ids, label, "sources.csv")
    problems += schema.check_observation_rows(rows, label)
    problems += schema.check_page_numbers(rows, label)
    value_problems, warnings = schema.check_values(rows, metric_units, label)
    problems += value_problems
    for warning in warnings:
        log.warning("implausible figure, please check: %s", warning)
    return problems


def as_text_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The observation columns only, as stripped text with '' for empty cells."""
    missing = [column for column in OBSERVATION_FIELDS if column not in rows.columns]
    if missing:
        raise DataError([schema.Problem("rows", f"missing column(s): {', '.join(missing)}")])
    frame = rows.loc[:, list(OBSERVATION_FIELDS)].copy()
    for column in OBSERVATION_FIELDS:
        frame[column] = frame[column].map(
            lambda v: "" if v is None or pd.isna(v) else str(v).strip()
        )
    return frame.reset_index(drop=True)
