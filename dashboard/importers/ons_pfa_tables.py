"""ONS "Police force area data tables" workbooks (Crime in England and Wales, quarterly editions).

Tables are found by what they say, not where they sit: the knife table is the sheet whose title
names knife or sharp instrument offences by police force area (not a percentage change or a
rate); its count columns are those whose header says "Number ... offences involving a knife".
Above each count column is either an offence group (Table P4: only "Total of selected serious
offences" is kept, for the edition's 12 months named in the title) or a period ("Apr '10 to Mar
'11", Table P5 of the September 2019 edition: one figure a year). The population used for rates
is the "Population figures (mid-YYYY)" column of the rate table (P3). Sheet names may carry
trailing spaces and area names footnote digits ("Northumbria4"); both are cleaned.

Rows: every area with an ONS code (forces, regions, England, Wales, England and Wales) plus the
uncoded "England and Wales (excluding Greater Manchester Police)" line of a series table, which
is the national figure on one basis for every year. A `..` (Greater Manchester in these
editions) gives no value and says why.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from dashboard.importers import ImportRefused, column_letter, read_cell, strip_footnotes, tidy
from dashboard.lookups import force_to_unit, read_units

URL = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/datasets/"
    "policeforceareadatatables"
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
FORCE_CODE = re.compile(r"(E23\d{6}|W15\d{6})")
AREA_CODE = re.compile(r"(E23|W15|E12|E92|W92|K04)\d{6}")
LEVELS = {"E23": "force", "W15": "force", "E12": "region", "E92": "country", "W92": "country"}
KNIFE_TITLE = re.compile(r"knife (and|or) sharp instrument offences", re.I)
NOT_COUNTS = re.compile(r"percentage change|rates? ", re.I)
RATE_TITLE = re.compile(r"rate of offences", re.I)
EDITION = re.compile(r"Crime in England (?:&|and) Wales,? year ending (\w+) (20\d\d)", re.I)
SPAN = re.compile(r"([A-Z][a-z]{2}) '(\d{2}) to ([A-Z][a-z]{2}) '(\d{2})")
N_FORCES = 43
GMP_REASON = (
    "ONS gives no figure for Greater Manchester: its police could not supply data after a new "
    "IT system in July 2019"
)
GMP_BREAK = (
    "Greater Manchester Police under-counted knife offences until its review of December 2017 "
    "(ONS footnote), so its earlier figures are not comparable with later ones"
)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def year_ending(month: int, year: int) -> tuple[str, str, str]:
    """(start, end, financial year or '') of the 12 months ending in `month` of `year`."""
    end = _month_end(year, month)
    start_month = month % 12 + 1
    start = date(year - (month != 12), start_month, 1)
    fy = f"{year - 1}-{year % 100:02d}" if month == 3 else ""
    return start.isoformat(), end.isoformat(), fy


def _title(rows: list[tuple]) -> str:
    for row in rows[:6]:
        for cell in row:
            if isinstance(cell, str) and cell.strip().lower().startswith("table"):
                return " ".join(cell.split())
    return ""


def _edition(workbook: openpyxl.Workbook, label: str) -> tuple[int, int]:
    """The edition's last month and year, from the line naming its bulletin (Notes sheet)."""
    for name in workbook.sheetnames:
        for row in workbook[name].iter_rows(values_only=True, max_row=8):
            for cell in row:
                match = EDITION.search(str(cell or ""))
                if match and match.group(1).lower() in MONTHS:
                    return MONTHS[match.group(1).lower()], int(match.group(2))
    raise ImportRefused(
        label, "no sheet names its bulletin ('Crime in England and Wales, year ending <month> "
        "<year>'), so the edition is unknown"
    )  # fmt: skip


def _header_row(rows: list[tuple], label: str, sheet: str) -> int:
    for index, row in enumerate(rows[:15]):
        texts = [" ".join(str(c).split()).lower() for c in row if c is not None]
        if any(t.startswith("area code") for t in texts) and "area name" in texts:
            return index
    raise ImportRefused(label, "no header row with 'Area Code' and 'Area Name'", sheet=sheet)


def _group_label(row: tuple, column: int) -> str:
    """The nearest label at or left of `column` in a grouping row (merged cells leave blanks)."""
    for index in range(column, max(column - 2, -1), -1):
        cell = row[index] if index < len(row) else None
        if isinstance(cell, str) and cell.strip():
            return " ".join(cell.split())
    return ""


def _span(text: str) -> tuple[str, str, str, str] | None:
    """ "Apr '10 to Mar '11" -> (label, start, end, financial year)."""
    match = SPAN.search(text)
    if not match:
        return None
    first, year1, last, year2 = match.groups()
    months = {name[:3]: number for name, number in MONTHS.items()}
    start_month, end_month = months.get(first.lower()), months.get(last.lower())
    if start_month is None or end_month is None:
        return None
    start, end, fy = year_ending(end_month, 2000 + int(year2))
    if start != date(2000 + int(year1), start_month, 1).isoformat():
        return None
    return f"year ending {last_name(end_month)} {2000 + int(year2)}", start, end, fy


def last_name(month: int) -> str:
    return next(name for name, number in MONTHS.items() if number == month).capitalize()


def _areas(rows: list[tuple], start: int, label: str, sheet: str):
    """(row number, code, name) of each area line, from the header down to the first gap."""
    seen_any = False
    for index in range(start, len(rows)):
        row = rows[index]
        code = str(row[0]).strip() if row and row[0] is not None else ""
        name = strip_footnotes(row[1]) if len(row) > 1 and row[1] is not None else ""
        if not code and not name:
            if seen_any:
                return
            continue
        if AREA_CODE.fullmatch(code):
            seen_any = True
            yield index + 1, code, name
        elif not code and "excluding greater manchester" in name.lower():
            yield index + 1, "", name
        elif seen_any:
            return
        elif code:
            raise ImportRefused(
                label, f"area code {code!r} is not an ONS code", sheet=sheet, row=index + 1,
                column="A",
            )  # fmt: skip


def _subtitle(rows: list[tuple], header: int) -> str:
    for row in rows[1:header]:
        if row and isinstance(row[0], str) and row[0].strip():
            return " ".join(row[0].split())
    return ""


def _knife_rows(rows, sheet, label, edition, units, series_base):
    header = _header_row(rows, label, sheet)
    heads = rows[header]
    groups = rows[header - 1] if header else ()
    month, year = edition
    columns = []
    for index, cell in enumerate(heads):
        text = " ".join(str(cell).split()).lower() if cell is not None else ""
        if "number" in text and "knife" in text:
            group = _group_label(groups, index)
            span = _span(group)
            if span is not None:
                columns.append((index, span))
            elif group.lower().startswith("total"):
                start, end, fy = year_ending(month, year)
                columns.append((index, (f"year ending {last_name(month)} {year}", start, end, fy)))
    if not columns:
        raise ImportRefused(
            label,
            "no column headed 'Number of ... offences involving a knife' under a total or a period",
            sheet=sheet,
            row=header + 1,
        )
    table = re.match(r"table\s+(\w+)", sheet.strip(), re.I)
    table_id = table.group(1).lower() if table else "knife"
    subtitle = _subtitle(rows, header)
    out = []
    forces = set()
    for line, code, name in _areas(rows, header + 1, label, sheet):
        if FORCE_CODE.fullmatch(code):
            forces.add(code)
        for index, (period, start, end, fy) in columns:
            cell = rows[line - 1][index] if index < len(rows[line - 1]) else None
            try:
                value, reason = read_cell(cell)
            except ValueError as error:
                raise ImportRefused(
                    label, str(error), sheet=sheet, row=line, column=column_letter(index)
                ) from None
            if reason and code == "E23000005":
                reason = f"{reason}: {GMP_REASON}"
            span_series = f"{series_base}_{table_id}"
            if len(columns) > 1 and not end.endswith("-03-31"):
                span_series += f"_ye_{last_name(int(end[5:7])).lower()[:3]}"
            level = LEVELS.get(code[:3], "national")
            geography = name
            if code == "K04000001" and "excluding" in subtitle.lower():
                geography = subtitle
            out.append(
                {
                    "area_code": code,
                    "area_name": name,
                    "area_level": level,
                    "pfa_code": code if level == "force" else "",
                    "unit_id": "national" if level == "national" else units.get(code, ""),
                    "metric_id": "knife_offences_count",
                    "value": value,
                    "qualifier": "exact",
                    "value_status": "reported" if value is not None else "missing",
                    "missing_reason": reason,
                    "period_label": period,
                    "period_start": start,
                    "period_end": end,
                    "financial_year": fy,
                    "geography": geography,
                    "series": span_series,
                    "source_id": series_base,
                    "url": URL,
                    "note": f"Table {table_id.upper()}: {_short(_title(rows))}"
                    + (f". {GMP_BREAK}" if code == "E23000005" and end < "2018-01-01" else ""),
                    "sheet": sheet,
                    "row": line,
                }
            )
    # The national figure is England and Wales: the uncoded line "excluding Greater Manchester"
    # when the table has one (one basis for every year), else the K04 line.
    has_excl = any(r["area_code"] == "" and r["area_name"].lower().startswith("england and wales")
                   for r in out)  # fmt: skip
    for r in out:
        if r["area_code"] == "":
            r["area_level"] = "national excluding Greater Manchester"
            r["geography"] = r["area_name"]
            r["unit_id"] = "national" if r["area_name"].lower().startswith("england and") else ""
        elif r["area_code"] == "K04000001" and has_excl:
            r["unit_id"] = ""
    if len(forces) != N_FORCES:
        raise ImportRefused(
            label, f"the knife table lists {len(forces)} police force areas, not {N_FORCES}",
            sheet=sheet,
        )  # fmt: skip
    return out


def _short(title: str) -> str:
    title = re.sub(r"^Table \w+:\s*", "", title)
    return re.sub(r"(\d{4})[\d,]+$", r"\1", title).strip()


def _population_rows(rows, sheet, label, units, series_base):
    header = _header_row(rows, label, sheet)
    found = None
    for index, cell in enumerate(rows[header]):
        text = " ".join(str(cell).split()) if cell is not None else ""
        match = re.search(r"population.*mid-(\d{4})", text, re.I)
        if match:
            found = index, int(match.group(1))
            break
    if found is None:
        raise ImportRefused(
            label, "no column headed 'Population figures (mid-YYYY)'", sheet=sheet, row=header + 1
        )
    index, year = found
    out = []
    for line, code, name in _areas(rows, header + 1, label, sheet):
        if not code:
            continue
        try:
            value, reason = read_cell(rows[line - 1][index])
        except ValueError as error:
            raise ImportRefused(
                label, str(error), sheet=sheet, row=line, column=column_letter(index)
            ) from None
        level = LEVELS.get(code[:3], "national")
        out.append(
            {
                "area_code": code,
                "area_name": name,
                "area_level": level,
                "pfa_code": code if level == "force" else "",
                "unit_id": "national" if level == "national" else units.get(code, ""),
                "metric_id": "population",
                "value": value,
                "qualifier": "approximately",
                "value_status": "reported" if value is not None else "missing",
                "missing_reason": reason,
                "period_label": f"mid-{year}",
                "period_start": f"{year}-06-30",
                "period_end": f"{year}-06-30",
                "financial_year": "",
                "geography": name,
                "series": f"{series_base}_population",
                "source_id": series_base,
                "url": URL,
                "note": "Mid-year population ONS used for the rates of this edition, rounded to "
                "100.",
                "sheet": sheet,
                "row": line,
            }
        )
    return out


def import_file(path: Path, data_dir: Path | None = None) -> pd.DataFrame:
    """Knife counts (every knife count table) and rate populations of one edition's workbook."""
    label = Path(path).name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not xlsx
        raise ImportRefused(label, f"not an Excel .xlsx workbook ({error})") from None
    try:
        month, year = _edition(workbook, label)
        series_base = f"ons_pfa_ye_{last_name(month).lower()[:3]}{year}"
        units = force_to_unit(read_units(data_dir))
        rows: list[dict[str, object]] = []
        knife_tables = 0
        for name in workbook.sheetnames:
            sheet_rows = list(workbook[name].iter_rows(values_only=True))
            title = _title(sheet_rows)
            if KNIFE_TITLE.search(title) and not NOT_COUNTS.search(title.split(",")[0] + " "):
                if re.search(r"percentage change", title, re.I):
                    continue
                rows += _knife_rows(sheet_rows, name, label, (month, year), units, series_base)
                knife_tables += 1
            elif RATE_TITLE.search(title):
                rows += _population_rows(sheet_rows, name, label, units, series_base)
        if not knife_tables:
            raise ImportRefused(
                label, "no sheet's title names knife or sharp instrument offences by force area"
            )
    finally:
        workbook.close()
    return tidy(rows)
