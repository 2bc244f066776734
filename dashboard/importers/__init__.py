"""Importers: one module per publisher format, each turning one file into tidy area rows.

An importer reads a whole file, checks all of it and returns a frame with `AREA_COLUMNS`, or
raises `ImportRefused` naming the sheet, row and column it could not read. It never returns part
of a file and never touches the app's data directory; `dashboard.official` turns area rows into
the unit observations the app loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

# One row per area, measure and period, in the observation format plus the area it is about.
AREA_COLUMNS = (
    "area_code",
    "area_name",
    "area_level",
    "pfa_code",
    "unit_id",
    "metric_id",
    "value",
    "qualifier",
    "value_status",
    "missing_reason",
    "period_label",
    "period_start",
    "period_end",
    "financial_year",
    "geography",
    "series",
    "source_id",
    "url",
    "note",
    "sheet",
    "row",
)

# Cells publishers use for "no figure": suppressed, not applicable, not available, too small.
MISSING_MARKS = {
    "..": "not available (..)",
    "NA": "not available (NA)",
    "-": "not applicable (-)",
    "z": "not applicable (z)",
    "x": "not available (x)",
    "c": "confidential (c)",
    "[x]": "not available ([x])",
    "[z]": "not applicable ([z])",
    "[c]": "confidential ([c])",
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)


@dataclass
class ImportRefused(Exception):
    """The file is not one this importer knows, or a cell cannot be read; nothing is returned."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return ", ".join(where) + ": " + self.message


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB': spreadsheet column names for messages."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_cell(cell: object) -> tuple[float | None, str]:
    """A count or rate cell -> (value, missing reason). Raises ValueError for anything else.

    Numbers may be text with thousands separators and spaces ("170,002 "), as CSV exports give
    them; the publishers' missing marks give no value and say why. An empty cell is not a mark:
    it is refused, since a table that should have a figure there is not the table we know.
    """
    if isinstance(cell, bool):
        raise ValueError("not a number")
    if isinstance(cell, int | float):
        if pd.isna(cell):
            raise ValueError("empty cell")
        return float(cell), ""
    text = "" if cell is None else str(cell).strip()
    if text in MISSING_MARKS:
        return None, MISSING_MARKS[text]
    plain = text.replace(",", "")
    if _NUMBER.fullmatch(plain):
        return float(plain), ""
    if not text:
        raise ValueError("empty cell")
    raise ValueError(f"not a number or a known missing mark: {text!r}")


def strip_footnotes(name: object) -> str:
    """'Northumbria4' -> 'Northumbria', 'ENGLAND AND WALES9,10' -> 'ENGLAND AND WALES'."""
    return re.sub(r"[\d,\s]+$", "", str(name or "")).strip()


def tidy(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows -> a frame with exactly `AREA_COLUMNS`, in a stable order."""
    frame = pd.DataFrame(rows, columns=list(AREA_COLUMNS))
    frame["value"] = frame["value"].astype("Float64")
    return frame.fillna({c: "" for c in AREA_COLUMNS if c not in ("value", "row")})
