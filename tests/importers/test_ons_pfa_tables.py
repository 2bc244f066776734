"""ONS police force area tables: every shipped edition loads; hand-made workbooks are refused."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.importers import ImportRefused, ons_pfa_tables
from tests.importers.conftest import PFA_FILES, RAW

FORCES = sorted(
    {row["pfa_code"]: row["pfa_name"] for row in csv.DictReader(
        (PROJECT_ROOT / "geo" / "district_to_force.csv").open(encoding="utf-8"))}.items()
)  # fmt: skip
KNIFE_TITLE = (
    "Table P4: Knife or sharp instrument offences recorded by the police for selected offences, "
    "by police force area, English regions and Wales, year ending March 20191,2"
)


def _workbook(tmp_path: Path, cell=None, title=KNIFE_TITLE, header="Area Code", notes=True):
    """A small workbook in ONS's layout: a Notes line naming the edition and a knife table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Notes"
    if notes:
        sheet.append(["Crime in England and Wales, year ending March 2019 - PFA tables"])
    table = book.create_sheet("Table P4 ")  # ONS leaves trailing spaces in some sheet names
    table.append([title])
    table.append([])
    table.append(["England and Wales"])
    table.append([None, None, "Total of selected serious offences", None, "Robbery"])
    table.append([header, "Area Name", "Number of\n offences\n involving a\n knife6", "%",
                  "Number of offences involving a knife"])  # fmt: skip
    table.append([])
    table.append(["K04000001", "ENGLAND AND WALES7,8", 1000, 5.0, 10])
    for index, (code, name) in enumerate(FORCES):
        value = 10 + index
        if code == "E23000007":
            value = cell if cell is not None else 942
            name += "4"  # footnote digits glued to the name
        if code == "E23000005":
            value = ".."
        table.append([code, name, value, 1.0, 1])
    table.append([])
    table.append(["1. A footnote."])
    path = tmp_path / "pfa.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("path", PFA_FILES, ids=lambda p: p.name)
def test_each_shipped_edition_loads_with_43_forces(path):
    rows = ons_pfa_tables.import_file(path)
    knife = rows[rows["metric_id"] == "knife_offences_count"]
    assert knife["area_code"].str.fullmatch(r"E23\d{6}|W15\d{6}").sum() >= 43
    assert not knife["area_name"].str.contains(r"\d$").any()  # footnote digits stripped
    population = rows[rows["metric_id"] == "population"]
    assert len(population) == 55
    # Only Greater Manchester ever lacks a population (its P3 row is NA in December 2019).
    assert set(population.loc[population["value"].isna(), "area_code"]) <= {"E23000005"}
    assert (rows.loc[rows["value"].isna(), "missing_reason"] != "").all()


def test_the_september_2019_edition_gives_the_p5_series_and_leaves_gmp_missing():
    rows = ons_pfa_tables.import_file(
        RAW / "ons_crime" / "policeforceareatablesyearendingseptember2019.xlsx"
    )
    p5 = rows[rows["series"] == "ons_pfa_ye_sep2019_p5"]
    assert sorted(set(p5["financial_year"]))[0] == "2010-11"
    assert sorted(set(p5["financial_year"]))[-1] == "2018-19"
    gmp = rows[(rows["area_code"] == "E23000005") & (rows["metric_id"] == "knife_offences_count")]
    latest = gmp[gmp["period_end"] >= "2018-03-31"]
    assert latest["value"].isna().all()  # '..' stays missing, never 0
    assert latest["missing_reason"].str.contains("Greater Manchester").all()


def test_northumbria_2018_19_equals_the_cell_of_the_march_2019_table():
    path = RAW / "ons_crime" / "policeforceareatablesyeendingmarch2019.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cell = next(r[2] for r in book["Table P4"].iter_rows(values_only=True) if r[0] == "E23000007")
    rows = ons_pfa_tables.import_file(path)
    mine = rows[(rows["area_code"] == "E23000007") & (rows["metric_id"] == "knife_offences_count")]
    assert mine["value"].tolist() == [cell] == [942]
    assert mine["financial_year"].tolist() == ["2018-19"]


def test_a_hand_made_workbook_loads_with_trailing_space_sheet_and_footnotes(tmp_path):
    rows = ons_pfa_tables.import_file(_workbook(tmp_path))
    northumbria = rows[rows["area_code"] == "E23000007"].iloc[0]
    assert northumbria["area_name"] == "Northumbria"
    assert northumbria["value"] == 942
    assert northumbria["unit_id"] == "northumbria"
    assert northumbria["period_label"] == "year ending March 2019"
    assert northumbria["sheet"] == "Table P4 "
    gmp = rows[rows["area_code"] == "E23000005"].iloc[0]
    assert pd.isna(gmp["value"]) and "Greater Manchester" in gmp["missing_reason"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"cell": "n/a"}, ["sheet 'Table P4 '", "column C", "'n/a'"]),
        ({"cell": "1 2"}, ["sheet 'Table P4 '", "column C"]),
        ({"title": "Table P4: Something else"}, ["no sheet's title names knife"]),
        ({"header": "Code"}, ["sheet 'Table P4 '", "no header row with 'Area Code'"]),
        ({"notes": False}, ["edition is unknown"]),
    ],
)
def test_a_bad_workbook_is_refused_with_sheet_row_and_column(tmp_path, kwargs, words):
    with pytest.raises(ImportRefused) as refused:
        ons_pfa_tables.import_file(_workbook(tmp_path, **kwargs))
    for word in words:
        assert word in str(refused.value)


def test_a_missing_force_is_refused(tmp_path):
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Table P4 "].delete_rows(10)
    book.save(path)
    with pytest.raises(ImportRefused, match="42 police force areas, not 43"):
        ons_pfa_tables.import_file(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "pfa.xlsx"
    path.write_text("Area Code,Area Name\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="not an Excel"):
        ons_pfa_tables.import_file(path)
