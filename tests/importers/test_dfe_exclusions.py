"""DfE exclusions importer: the real file loads; hand-made files with bad cells are refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.importers import ImportRefused, dfe_exclusions
from tests.importers.conftest import DFE_FILE

HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,school_type,num_schools,headcount,perm_excl,"
    "perm_excl_rate,suspension,susp_rate,one_plus_susp,one_plus_susp_rate"
)
GOOD_ROWS = [
    "Academic year,201819,National,E92000001,England,,,,,,Total,100,1000,10,1.0,50,5.0,40,4.0",
    "Academic year,201819,Local authority,E92000001,England,E12000001,North East,390,E08000037,"
    "Gateshead,Total,10,200,2,1.0,8,4.0,6,3.0",
    "Academic year,201819,Local authority,E92000001,England,E12000001,North East,391,E08000021,"
    "Newcastle upon Tyne,Total,10,300,3,z,9,z,7,z",
]


def _write(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "exc_nat_region_la.csv"
    path.write_text("\ufeff" + "\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    return path


def test_the_shipped_dfe_file_loads_whole():
    rows = dfe_exclusions.import_file(DFE_FILE)
    assert len(rows) == 13835
    assert set(rows["series"]) == {"dfe_2022_23_dataset"}
    # DfE's 'z' rates stay missing, never 0; its counts are all given.
    missing = rows[rows["value"].isna()]
    assert len(missing) == 8
    assert set(missing["missing_reason"]) == {"not applicable (z)"}
    assert set(missing["metric_id"]) <= {"permanent_exclusion_rate_pct", "suspension_rate_pct"}


def test_a_hand_made_file_in_dfe_layout_loads_and_keeps_z_missing(tmp_path):
    rows = dfe_exclusions.import_file(_write(tmp_path, GOOD_ROWS))
    newcastle = rows[rows["area_name"] == "Newcastle upon Tyne"].set_index("metric_id")
    assert newcastle.at["permanent_exclusions_count", "value"] == 3
    assert newcastle["value"].isna()["permanent_exclusion_rate_pct"]
    assert newcastle.at["permanent_exclusion_rate_pct", "value_status"] == "missing"
    assert set(rows["unit_id"]) == {"national", "northumbria"}
    assert rows["period_start"].iloc[0] == "2018-09-01"
    assert rows["period_end"].iloc[0] == "2019-08-31"
    assert (rows["financial_year"] == "").all()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r.replace(",2,1.0,8,", ",two,1.0,8,"), ["row 3", "column perm_excl", "'two'"]),
        (lambda r: r.replace(",200,2,", ",,2,"), ["row 3", "column headcount", "empty"]),
        (lambda r: r.replace(",2,1.0,8,", ",-2,1.0,8,"), ["row 3", "perm_excl", "negative"]),
        (lambda r: r.replace("390,", "999,"), ["row 3", "old_la_code", "999"]),
        (lambda r: r.replace("201819", "201820"), ["row 3", "time_period"]),
        (lambda r: r.replace("Local authority", "Ward"), ["row 3", "geographic_level"]),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_and_column(tmp_path, change, words):
    rows = [GOOD_ROWS[0], change(GOOD_ROWS[1]), GOOD_ROWS[2]]
    with pytest.raises(ImportRefused) as refused:
        dfe_exclusions.import_file(_write(tmp_path, rows))
    message = str(refused.value)
    for word in words:
        assert word in message


def test_a_file_without_the_dfe_columns_is_refused(tmp_path):
    path = _write(tmp_path, ["1,2"], header="la,count")
    with pytest.raises(ImportRefused, match="row 1: not the DfE exclusions file"):
        dfe_exclusions.import_file(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"time_period\n\xff\xfe\n")
    with pytest.raises(ImportRefused, match="UTF-8"):
        dfe_exclusions.import_file(path)


def test_northumbria_rate_is_recomputed_from_the_raw_counts_of_its_authorities(real_store):
    """The rate the app holds equals 100 x summed perm_excl / summed headcount, read here
    straight from DfE's file with the csv module for Northumbria's six authorities."""
    authorities = {
        "Gateshead",
        "Newcastle upon Tyne",
        "North Tyneside",
        "South Tyneside",
        "Sunderland",
        "Northumberland",
    }
    excluded = pupils = suspended = 0.0
    with DFE_FILE.open(newline="", encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            if (
                row["time_period"] == "201819"
                and row["geographic_level"] == "Local authority"
                and row["school_type"] == "Total"
                and row["la_name"] in authorities
            ):
                excluded += float(row["perm_excl"])
                pupils += float(row["headcount"])
                suspended += float(row["suspension"])
    obs = real_store.observations
    mine = obs[
        (obs["unit_id"] == "northumbria")
        & (obs["series"] == "dfe_2022_23_dataset")
        & (obs["period_label"] == "2018/19 academic year")
    ].set_index("metric_id")["value"]
    assert mine["permanent_exclusions_count"] == excluded
    assert mine["pupil_headcount"] == pupils
    assert mine["permanent_exclusion_rate_pct"] == pytest.approx(100 * excluded / pupils, abs=5e-6)
    assert mine["suspension_rate_pct"] == pytest.approx(100 * suspended / pupils, abs=5e-6)
