"""The official series the app loads: every unit covered, gaps explained, sums recomputed."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from dashboard.config import PROJECT_ROOT
from tests.importers.conftest import RAW

DATA = PROJECT_ROOT / "data"


@pytest.fixture(scope="module")
def official(real_store) -> pd.DataFrame:
    obs = real_store.observations
    return obs[obs["source_id"].str.match(r"(dfe_exclusions|ons_pfa)_")]


@pytest.fixture(scope="module")
def gaps() -> pd.DataFrame:
    return pd.read_csv(DATA / "official" / "gaps.csv", dtype=str, keep_default_na=False)


def test_every_unit_has_an_ons_knife_series_in_every_edition_unless_ons_gives_none(
    real_store, official, gaps
):
    knife = official[official["metric_id"] == "knife_offences_count"]
    editions = set(knife["series"])
    assert len(editions) == 12  # 8 editions' P4, and the P5 series of June and September 2019
    for unit_id in real_store.unit_ids:
        mine = set(knife.loc[knife["unit_id"] == unit_id, "series"])
        if unit_id == "greater_manchester":
            missing = gaps[gaps["unit_id"] == unit_id]
            assert set(missing["series"]) == editions - mine | {"ons_pfa_ye_sep2019_p5"}
            assert (
                missing["reason"].str.contains("ONS gives no figure for Greater Manchester").all()
            )
        else:
            assert mine == editions, unit_id
    assert "national" in set(knife["unit_id"])


def test_every_english_unit_has_exclusion_rates_per_academic_year_and_wales_says_why(
    real_store, official, gaps
):
    rates = official[
        official["metric_id"].isin(["permanent_exclusion_rate_pct", "suspension_rate_pct"])
    ]
    years = sorted(set(rates["period_label"]))
    assert years[0] == "2006/07 academic year" and years[-1] == "2022/23 academic year"
    for unit_id in [*real_store.unit_ids, "national"]:
        mine = rates[rates["unit_id"] == unit_id]
        if unit_id == "wales":
            assert mine.empty
            assert gaps.loc[gaps["unit_id"] == "wales", "reason"].str.contains("England only").all()
            continue
        for metric in ("permanent_exclusion_rate_pct", "suspension_rate_pct"):
            have = set(mine.loc[mine["metric_id"] == metric, "period_label"])
            explained = set(
                gaps.loc[
                    (gaps["unit_id"] == unit_id) & (gaps["metric_id"] == metric), "period_label"
                ]
            )
            assert have | explained == set(years), (unit_id, metric)
    assert (rates["value"] > 0).all()


def test_one_release_is_one_series_and_never_repeats_a_period(official):
    keys = ["unit_id", "metric_id", "series", "period_end"]
    assert not official.duplicated(keys).any()
    assert official["series"].notna().all()


def test_northumbria_knife_count_2018_19_equals_the_publisher_cell(official):
    path = RAW / "ons_crime" / "policeforceareatablesyeendingmarch2019.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cell = next(r[2] for r in book["Table P4"].iter_rows(values_only=True) if r[0] == "E23000007")
    mine = official[
        (official["unit_id"] == "northumbria")
        & (official["metric_id"] == "knife_offences_count")
        & (official["series"] == "ons_pfa_ye_mar2019_p4")
    ]
    assert mine["value"].tolist() == [cell]
    assert mine["financial_year"].tolist() == ["2018-19"]


def test_a_unit_of_several_forces_sums_their_counts(official):
    """Wales is four forces: its count is the sum of the four rows of ONS's table."""
    path = RAW / "ons_crime" / "policeforceareatablesyeendingmarch2019.xlsx"
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    welsh = [r[2] for r in book["Table P4"].iter_rows(values_only=True) if str(r[0])[:3] == "W15"]
    assert len(welsh) == 4
    mine = official[
        (official["unit_id"] == "wales")
        & (official["series"] == "ons_pfa_ye_mar2019_p4")
        & (official["metric_id"] == "knife_offences_count")
    ]
    assert mine["value"].tolist() == [sum(welsh)]


def test_the_official_rows_come_from_the_file_make_data_writes():
    with (DATA / "observations_official.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(row["url"].startswith("https://") for row in rows)
    assert all(row["value"] != "0" or row["metric_id"].endswith("count") for row in rows)
