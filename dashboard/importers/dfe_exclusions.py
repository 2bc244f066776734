"""DfE "Suspensions and permanent exclusions in England": the data file exc_nat_region_la.csv.

One row per academic year, level (national, regional, local authority) and school type. Only
the all-schools rows (`school_type = Total`) become area rows, but every row is checked. Counts
(`headcount`, `perm_excl`, `suspension`) are kept as given; DfE's own rates are kept beside them
for the area they describe, and never averaged: rates for several authorities are recomputed from
the summed counts (`dashboard.official`).

Academic years run from 1 September to 31 August. They are not financial years (April to
March), so `financial_year` is left empty and the period dates carry the year.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.importers import ImportRefused, read_cell, tidy
from dashboard.lookups import force_to_unit, la_to_force, read_units

URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "suspensions-and-permanent-exclusions-in-england"
)
REQUIRED = (
    "time_period",
    "geographic_level",
    "country_code",
    "old_la_code",
    "new_la_code",
    "la_name",
    "school_type",
    "headcount",
    "perm_excl",
    "perm_excl_rate",
    "suspension",
    "susp_rate",
)
LEVELS = {"National": "national", "Regional": "region", "Local authority": "local authority"}
MEASURES = (
    ("headcount", "pupil_headcount"),
    ("perm_excl", "permanent_exclusions_count"),
    ("suspension", "suspensions_count"),
    ("perm_excl_rate", "permanent_exclusion_rate_pct"),
    ("susp_rate", "suspension_rate_pct"),
)
COUNT_COLUMNS = ("headcount", "perm_excl", "suspension")


def academic_year(period: str) -> tuple[str, str, str]:
    """'201819' -> ('2018/19 academic year', '2018-09-01', '2019-08-31')."""
    first, second = int(period[:4]), int(period[4:])
    if second != (first + 1) % 100:
        raise ValueError("not an academic year such as 201819")
    return f"{first}/{period[4:]} academic year", f"{first}-09-01", f"{first + 1}-08-31"


def series_for(latest: str) -> str:
    """The release is named after its latest year: '202223' -> 'dfe_2022_23_dataset'."""
    return f"dfe_{latest[:4]}_{latest[4:]}_dataset"


def import_file(path: Path, data_dir: Path | None = None) -> pd.DataFrame:
    """Read the whole file; return area rows or raise ImportRefused naming row and column."""
    label = Path(path).name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ImportRefused(label, f"not a readable UTF-8 CSV file ({error})") from None
    frame.columns = [str(name).strip() for name in frame.columns]
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        raise ImportRefused(
            label,
            "not the DfE exclusions file: the header has no column " + ", ".join(missing),
            row=1,
        )
    if frame.empty:
        raise ImportRefused(label, "the file has a header but no rows", row=2)
    lookup = la_to_force()
    units = force_to_unit(read_units(data_dir))
    periods = frame["time_period"].str.strip()
    if not periods.str.fullmatch(r"\d{6}").all():
        bad = int(periods.index[~periods.str.fullmatch(r"\d{6}")][0])
        raise ImportRefused(
            label, f"time_period {frame.at[bad, 'time_period']!r} is not like 201819",
            row=bad + 2, column="time_period",
        )  # fmt: skip
    series = series_for(max(periods))
    source_id = f"dfe_exclusions_{series.split('_', 1)[1].removesuffix('_dataset')}"
    rows: list[dict[str, object]] = []
    for index, record in frame.iterrows():
        line = int(index) + 2

        def refuse(column: str, message: str, line: int = line) -> ImportRefused:
            return ImportRefused(label, message, row=line, column=column)

        level = record["geographic_level"].strip()
        if level not in LEVELS:
            raise refuse("geographic_level", f"unknown geographic_level {level!r}")
        try:
            period_label, start, end = academic_year(record["time_period"].strip())
        except ValueError as error:
            raise refuse("time_period", str(error)) from None
        cells = {}
        for column, _ in MEASURES:
            try:
                cells[column] = read_cell(record[column])
            except ValueError as error:
                raise refuse(column, str(error)) from None
        for column in COUNT_COLUMNS:
            value, _ = cells[column]
            # DfE gives a few fractional counts (Hounslow 2007/08: 74.0003); kept as published.
            if value is not None and value < 0:
                raise refuse(column, f"a count cannot be negative: {record[column]!r}")
        if level == "Local authority":
            number = record["old_la_code"].strip()
            if number not in lookup:
                raise refuse(
                    "old_la_code",
                    f"authority {number} {record['la_name']!r} is not in geo/la_to_force.csv; "
                    "add it (geo/make_la_lookup.py) before importing",
                )
            place = lookup[number]
            code = record["new_la_code"].strip()
            area_code = code if re.fullmatch(r"[EW]\d{8}", code) else f"DfE {number}"
            area_name, pfa, unit = record["la_name"].strip(), place.pfa_code, ""
            unit = units.get(pfa, "")
        elif level == "National":
            area_code, area_name, pfa, unit = record["country_code"].strip(), "England", "", ""
            unit = "national"
        else:
            area_code = record.get("region_code", "").strip()
            area_name, pfa, unit = record.get("region_name", "").strip(), "", ""
        if record["school_type"].strip() != "Total":
            continue
        for column, metric in MEASURES:
            value, reason = cells[column]
            rows.append(
                {
                    "area_code": area_code,
                    "area_name": area_name,
                    "area_level": LEVELS[level],
                    "pfa_code": pfa,
                    "unit_id": unit,
                    "metric_id": metric,
                    "value": value,
                    "qualifier": "exact",
                    "value_status": "reported" if value is not None else "missing",
                    "missing_reason": reason,
                    "period_label": period_label,
                    "period_start": start,
                    "period_end": end,
                    "financial_year": "",
                    "geography": area_name,
                    "series": series,
                    "source_id": source_id,
                    "url": URL,
                    "note": "All state-funded schools (school_type Total).",
                    "sheet": "",
                    "row": line,
                }
            )
    return tidy(rows)
