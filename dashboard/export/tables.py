"""The data behind a chart as spreadsheets: CSV and XLSX of exactly what the chart shows.

Spreadsheet safety: every TEXT cell that starts with =, +, -, @, a tab or a carriage return gets
a leading apostrophe, so no spreadsheet reads it as a formula. Numbers are never turned into
text: numeric cells stay numbers in XLSX and are written plainly in CSV (-13.5), which no
spreadsheet evaluates as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.charts.base import ChartResult
from dashboard.export.formats import (
    FORMULA_TRIGGERS,
    MARKUP_COLUMNS,
    ExportContext,
)

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Data: CSV and XLSX of exactly what the chart shows


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is kept."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralise_cell(cell: Any) -> Any:
    """Any cell: text is neutralised as above, numbers and everything else pass unchanged."""
    return neutralise(cell) if isinstance(cell, str) else cell


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def spreadsheet_value(value: Any) -> bool | int | float | str | None:
    """A table cell as written: numbers stay numbers, text is neutralised, missing is empty."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    return neutralise(str(value))


def _csv_text(value: bool | int | float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def export_table(result: ChartResult) -> pd.DataFrame:
    """The chart's table as downloaded: every drawn row, with qualifier and source columns."""
    table = result.table.drop(columns=[c for c in MARKUP_COLUMNS if c in result.table.columns])
    for column in ("qualifier", "citation"):
        if column not in table.columns:
            table = table.assign(**{column: pd.NA})
    return table.reset_index(drop=True)


def sources_of(result: ChartResult) -> list[str]:
    """Short names of the sources behind the drawn rows ('APCC 2020'), else from the line."""
    table = result.table
    if "source_short" in table.columns:
        drawn = table[table["value"].notna()] if "value" in table.columns else table
        return sorted({str(s) for s in drawn["source_short"].dropna() if str(s)})
    line = result.source_line.removeprefix("Source: ").removeprefix("Sources: ")
    first = line.split(". ")[0].rstrip(".")
    return [part.strip() for part in first.split(";") if part.strip()]


NO_CONTACT = "No contact is set for this copy of the dashboard."
COVER_SHEET, NOTES_SHEET, DATA_SHEET = "Cover", "Notes", "Data"


def notes_of(result: ChartResult) -> list[tuple[str, str]]:
    """('[note 1]', text) for each of the chart's caveats, in order; they apply to the table."""
    return [(f"[note {number}]", caveat) for number, caveat in enumerate(result.caveats, start=1)]


def cover(result: ChartResult, context: ExportContext) -> list[tuple[str, str]]:
    """What the table is, where it comes from, the filters, the day and whom to ask.

    The same pairs open the XLSX (its cover sheet) and sit in the CSV zip (metadata.csv), so
    both downloads say the same about themselves.
    """
    notes = notes_of(result)
    rows = [
        ("Title", result.title),
        ("Showing", result.subtitle),
        ("Summary", result.summary),
        ("Source", result.source_line),
        ("Filters", context.filters),
        ("Date downloaded", f"{context.generated:%Y-%m-%d} from the {context.app_name}"),
        ("Contact", context.contact or NO_CONTACT),
    ]
    if notes:
        rows.append(
            (
                "Notes",
                f"{notes[0][0]} to {notes[-1][0]} apply to the whole table"
                if len(notes) > 1
                else f"{notes[0][0]} applies to the whole table",
            )
        )
    rows.append(
        (
            "Missing figures",
            "An empty value cell means the source gives no figure; it is never 0.",
        )
    )
    return rows


def _csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads £ correctly) and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def table_csv(result: ChartResult, context: ExportContext | None = None) -> bytes:
    """The chart's table alone: the header in row 1, one row per drawn value.

    `context` is accepted for symmetry with `table_xlsx`; what the table is lives in the
    metadata file beside it (see `table_csv_zip`).
    """
    table = export_table(result)
    header = [neutralise(str(column)) for column in table.columns]
    body = ([_csv_text(spreadsheet_value(v)) for v in row] for row in table.itertuples(index=False))
    return _csv_bytes([header, *body])


def metadata_csv(result: ChartResult, context: ExportContext) -> bytes:
    """The cover and the notes as a two-column CSV ('field', 'value'), the header in row 1."""
    rows = [*cover(result, context), *notes_of(result)]
    return _csv_bytes([["field", "value"], *([neutralise(a), neutralise(b)] for a, b in rows)])


def csv_member_names(result: ChartResult) -> tuple[str, str]:
    """The names of the two files inside the CSV zip: the table and its metadata."""
    return f"{result.chart}.csv", f"{result.chart}-metadata.csv"


def table_csv_zip(result: ChartResult, context: ExportContext) -> bytes:
    """A zip of the table as CSV and its metadata as CSV (what the 'Data as CSV' entry gives)."""
    data_name, metadata_name = csv_member_names(result)
    output = io.BytesIO()
    # A fixed date inside the zip: the same table gives the same bytes whatever the clock says.
    stamp = (context.generated.year, context.generated.month, context.generated.day, 0, 0, 0)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in (
            (data_name, table_csv(result, context)),
            (metadata_name, metadata_csv(result, context)),
        ):
            archive.writestr(zipfile.ZipInfo(name, stamp), payload, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _text_cells(sheet: Any) -> None:
    # openpyxl would store a string starting with '=' as a formula: every string is text.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _two_column_sheet(
    sheet: Any, header: tuple[str, str], rows: Sequence[tuple[str, str]], widths=(22, 100)
) -> None:
    """A small table starting in A1: a bold header, then label and text, text wrapped."""
    bold = Font(bold=True)
    for column, name in enumerate(header, start=1):
        sheet.cell(1, column, name).font = bold
    for number, (label, text) in enumerate(rows, start=2):
        sheet.cell(number, 1, neutralise(label)).font = bold
        cell = sheet.cell(number, 2, neutralise(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = widths
    sheet.freeze_panes = "A2"
    _text_cells(sheet)


def table_xlsx(result: ChartResult, context: ExportContext) -> bytes:
    """A workbook laid out as government statisticians publish tables.

    Three sheets, each holding one table that starts in A1 and no merged cells: 'Cover'
    (title, source, filters, date, contact), 'Notes' ('[note 1]' and its text, one row each)
    and 'Data' (the chart's table: a frozen, filterable header in row 1). Text cells are
    stored as text (never formulas), numbers as numbers, missing figures as empty cells.
    """
    table = export_table(result)
    book = Workbook()
    cover_sheet = book.active
    cover_sheet.title = COVER_SHEET
    _two_column_sheet(cover_sheet, ("Field", "Value"), cover(result, context))
    notes = notes_of(result) or [("[none]", "This table has no notes.")]
    _two_column_sheet(
        book.create_sheet(NOTES_SHEET), ("Note number", "Note text"), notes, (14, 110)
    )
    sheet = book.create_sheet(DATA_SHEET)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E9ECEF")
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(1, column, neutralise(str(name)))
        cell.font, cell.fill = bold, fill
    for offset, values in enumerate(table.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(offset, column, spreadsheet_value(value))
    _text_cells(sheet)
    last_column = get_column_letter(max(1, len(table.columns)))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{1 + len(table)}"
    for index, column in enumerate(table.columns, start=1):
        values = [str(column), *(str(v) for v in table[column].head(200) if not _is_missing(v))]
        width = min(60, max(10, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    book.properties.title = result.title[:255]
    book.properties.creator = context.app_name
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
