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
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
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


def preamble(result: ChartResult, context: ExportContext) -> list[tuple[str, str]]:
    """The rows above the table: what it is, the filters, the sources, the day, the caveats."""
    rows = [
        ("Chart", result.title),
        ("Showing", result.subtitle),
        ("Filters", context.filters),
        ("Sources", result.source_line),
        ("Downloaded", f"{context.generated:%Y-%m-%d} from the {context.app_name}"),
    ]
    rows += [("Caveat", caveat) for caveat in result.caveats]
    return rows


def table_csv(result: ChartResult, context: ExportContext) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads £ correctly): preamble rows, a blank row, the table."""
    table = export_table(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, text in preamble(result, context):
        writer.writerow([neutralise(label), neutralise(text)])
    writer.writerow([])
    writer.writerow([neutralise(str(column)) for column in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([_csv_text(spreadsheet_value(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(result: ChartResult, context: ExportContext) -> bytes:
    """One sheet: the preamble with bold labels, a blank row, then the table with a frozen,
    filterable header. Text cells are stored as text (never formulas), numbers as numbers."""
    table = export_table(result)
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    bold = Font(bold=True)
    rows = preamble(result, context)
    for number, (label, text) in enumerate(rows, start=1):
        sheet.cell(number, 1, neutralise(label)).font = bold
        sheet.cell(number, 2, neutralise(text))
    sheet["B1"].font = Font(bold=True, size=14)
    header_row = len(rows) + 2  # one blank row between the preamble and the table
    fill = PatternFill("solid", fgColor="E9ECEF")
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(header_row, column, neutralise(str(name)))
        cell.font, cell.fill = bold, fill
    for offset, values in enumerate(table.itertuples(index=False), start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(header_row + offset, column, spreadsheet_value(value))
    # openpyxl would store a string starting with '=' as a formula: every string is text.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    last_column = get_column_letter(max(1, len(table.columns)))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(table)}"
    for index, column in enumerate(table.columns, start=1):
        values = [str(column), *(str(v) for v in table[column].head(200) if not _is_missing(v))]
        width = min(60, max(10, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
