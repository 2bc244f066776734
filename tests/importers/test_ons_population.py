"""ONS mid-year estimates: each shipped file (sheet or CSV export) loads; bad ones are refused."""

from __future__ import annotations

import pytest

from dashboard.importers import ImportRefused, ons_population
from tests.importers.conftest import POPULATION_FILES

EXPECTED = {
    "mye22final.xlsx": (404, {"mid-2022"}),
    "mye24tablesew_MYE2_persons_sheet_export.csv": (357, {"mid-2024"}),
    "ukpopestimatesmid2020_MYE5_sheet_export.csv": (8400, {f"mid-{y}" for y in range(2001, 2021)}),
    "ukpopestimatesmid2021on2021geographyfinal.xls": (420, {"mid-2021"}),
}


@pytest.mark.parametrize("path", POPULATION_FILES, ids=lambda p: p.name)
def test_each_shipped_population_file_loads(path):
    mid_year = 2024 if "mye24" in path.name else None
    rows = ons_population.import_file(path, mid_year=mid_year)
    count, years = EXPECTED[path.name]
    assert len(rows) == count
    assert set(rows["period_label"]) == years
    assert rows["value"].notna().all()


def test_mid_2024_england_and_wales_total_is_as_published():
    path = next(p for p in POPULATION_FILES if "mye24" in p.name)
    rows = ons_population.import_file(path, mid_year=2024)
    assert rows.loc[rows["area_code"] == "K04000001", "value"].tolist() == [61806682]


def test_an_export_without_its_title_needs_the_mid_year(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("Code,Name,Geography,All ages\nE06000001,Hartlepool,Unitary Authority,98180\n")
    with pytest.raises(ImportRefused, match="row 1, column D: the table has no title"):
        ons_population.import_file(path)
    assert ons_population.import_file(path, mid_year=2024)["value"].tolist() == [98180]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("E06000001,Hartlepool,Unitary Authority,lots", ["row 3", "column D", "'lots'"]),
        ("E06000001,Hartlepool,Unitary Authority,", ["row 3", "column D", "empty"]),
        ("Hartlepool,Hartlepool,Unitary Authority,1", ["row 3", "column A", "not an ONS"]),
    ],
)
def test_a_bad_cell_is_refused(tmp_path, line, words):
    path = tmp_path / "mye.csv"
    path.write_text(
        "MYE2: Persons by single year of age, mid-2024\nCode,Name,Geography,All ages\n" + line
    )
    with pytest.raises(ImportRefused) as refused:
        ons_population.import_file(path)
    for word in words:
        assert word in str(refused.value)


def test_a_suppressed_cell_stays_missing(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("Title mid-2024\nCode,Name,Geography,All ages\nE06000001,Hartlepool,UA,[x]\n")
    rows = ons_population.import_file(path)
    assert rows["value"].isna().all() and rows["missing_reason"].tolist() == ["not available ([x])"]


def test_a_table_without_the_header_is_refused(tmp_path):
    path = tmp_path / "mye.csv"
    path.write_text("Area,People\nHartlepool,1\n")
    with pytest.raises(ImportRefused, match="no sheet has a header row"):
        ons_population.import_file(path)
