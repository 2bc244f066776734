"""ONS mid-year population estimates by local authority: a workbook (.xlsx, .xls) or one sheet
saved as CSV.

The table is found by its header row: `Code`, `Name`, `Geography` and then either `All ages`
(MYE2, one mid-year, named in the sheet's title "... mid-2021" or given by the caller when a CSV
export has lost its title) or one column per year ("Estimated Population mid-2019", "Mid-2011":
MYE4, MYE5). In a workbook the persons table is taken: the first sheet whose header has `All
ages` and whose title says Persons, else the first sheet with year columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard.importers import ImportRefused, column_letter, read_cell, tidy

URL = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
    "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland"
)
CODE = re.compile(r"[EWKSN]\d{8}")
YEAR_COLUMN = re.compile(r"^(?:estimated population )?mid-(\d{4})$", re.I)
TITLE_YEAR = re.compile(r"mid-(\d{4})", re.I)


def _sheets(path: Path, label: str) -> list[tuple[str, Callable[[int | None], list[list]]]]:
    """(sheet name, read(max_rows)) for each sheet; a CSV is one sheet named ''."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            rows = [list(row) for row in csv.reader(io.StringIO(text))]
            return [("", lambda limit: rows[:limit] if limit else rows)]
        if suffix == ".xls":
            import xlrd

            book = xlrd.open_workbook(str(path), on_demand=True)

            def read_xls(name: str) -> Callable[[int | None], list[list]]:
                def read(limit: int | None) -> list[list]:
                    sheet = book.sheet_by_name(name)
                    count = min(limit or sheet.nrows, sheet.nrows)
                    return [sheet.row_values(i) for i in range(count)]

                return read

            return [(name, read_xls(name)) for name in book.sheet_names()]
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)

        def read_xlsx(name: str) -> Callable[[int | None], list[list]]:
            def read(limit: int | None) -> list[list]:
                return [list(r) for r in book[name].iter_rows(values_only=True, max_row=limit)]

            return read

        return [(name, read_xlsx(name)) for name in book.sheetnames]
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError) as error:
        raise ImportRefused(label, f"cannot be read as {suffix or 'a table'} ({error})") from None
    except Exception as error:  # xlrd and openpyxl raise their own kinds for a corrupt file
        raise ImportRefused(label, f"cannot be read as {suffix} ({error})") from None


def _find_table(rows: list[list]) -> int | None:
    for index, values in enumerate(rows):
        texts = [" ".join(str(c).split()).lower() if c is not None else "" for c in values]
        if texts[:3] == ["code", "name", "geography"]:
            return index
    return None


def import_file(path: Path, mid_year: int | None = None) -> pd.DataFrame:
    """Persons of every area and year in the file; ImportRefused names sheet, row and column."""
    path = Path(path)
    label = path.name
    chosen = None
    for name, read in _sheets(path, label):
        head = read(15)
        index = _find_table(head)
        if index is None:
            continue
        texts = [" ".join(str(c).split()) if c is not None else "" for c in head[index]]
        title = " ".join(str(c) for r in head[:index] for c in r if c)
        if "All ages" in texts and (not name or "persons" in (title + name).lower()):
            chosen = (name, read, index, texts, title)
            break
        if chosen is None and any(YEAR_COLUMN.match(t) for t in texts):
            chosen = (name, read, index, texts, title)
    if chosen is None:
        raise ImportRefused(
            label, "no sheet has a header row 'Code, Name, Geography' with 'All ages' or "
            "'mid-YYYY' columns"
        )  # fmt: skip
    sheet, read, header_index, texts, title = chosen
    columns: list[tuple[int, int]] = []
    if "All ages" in texts:
        match = TITLE_YEAR.search(title)
        year = int(match.group(1)) if match else mid_year
        if year is None:
            raise ImportRefused(
                label, "the table has no title naming its mid-year; give it (--mid-year)",
                sheet=sheet or None, row=header_index + 1, column=column_letter(3),
            )  # fmt: skip
        columns.append((texts.index("All ages"), year))
    else:
        columns = [(i, int(m.group(1))) for i, t in enumerate(texts) if (m := YEAR_COLUMN.match(t))]
    edition = max(year for _, year in columns)
    series = f"ons_mye_mid{edition}"
    out: list[dict[str, object]] = []
    line = header_index + 1
    for values in read(None)[header_index + 1 :]:
        line += 1
        code = str(values[0]).strip() if values and values[0] is not None else ""
        if not code:
            continue
        if not CODE.fullmatch(code):
            raise ImportRefused(
                label, f"{code!r} is not an ONS area code", sheet=sheet or None, row=line,
                column="A",
            )  # fmt: skip
        for index, year in columns:
            try:
                value, reason = read_cell(values[index] if index < len(values) else None)
            except ValueError as error:
                raise ImportRefused(
                    label, str(error), sheet=sheet or None, row=line, column=column_letter(index)
                ) from None
            out.append(
                {
                    "area_code": code,
                    "area_name": str(values[1]).strip(),
                    "area_level": str(values[2]).strip(),
                    "pfa_code": "",
                    "unit_id": "",
                    "metric_id": "population",
                    "value": value,
                    "qualifier": "exact",
                    "value_status": "reported" if value is not None else "missing",
                    "missing_reason": reason,
                    "period_label": f"mid-{year}",
                    "period_start": f"{year}-06-30",
                    "period_end": f"{year}-06-30",
                    "financial_year": "",
                    "geography": str(values[1]).strip(),
                    "series": series,
                    "source_id": series,
                    "url": URL,
                    "note": "Usual residents, all ages, at 30 June.",
                    "sheet": sheet,
                    "row": line,
                }
            )
    if not out:
        raise ImportRefused(label, "the table has a header but no area rows", sheet=sheet or None)
    return tidy(out)
