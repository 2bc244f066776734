"""Integrity of the bundled data: every figure traceable, the report's key figures intact."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import SHARED_DIR

EXPECTED_UNITS = {
    "london", "west_midlands", "greater_manchester", "merseyside", "west_yorkshire",
    "south_yorkshire", "northumbria", "thames_valley", "lancashire", "essex",
    "avon_and_somerset", "kent", "sussex", "bedfordshire", "leicestershire",
    "nottinghamshire", "hampshire", "wales",
}  # fmt: skip


def _figure(store, unit_id: str, metric_id: str) -> pd.Series:
    obs = store.observations
    rows = obs[(obs["unit_id"] == unit_id) & (obs["metric_id"] == metric_id)]
    assert len(rows) >= 1, f"no {metric_id} figure for {unit_id}"
    return rows.iloc[0]


def test_all_18_units_are_present(real_store):
    assert set(real_store.unit_ids) == EXPECTED_UNITS


def test_every_observation_has_a_source_and_a_page_or_url(real_store):
    obs = real_store.observations
    assert obs["source_id"].ne("").all()
    assert (obs["page"].notna() | obs["url"].notna()).all()
    assert obs["source_title"].notna().all()


def test_report_figures_cite_a_page_of_the_report(real_store):
    report = real_store.observations[real_store.observations["source_id"] == "apcc_2020"]
    assert len(report) > 100
    assert report["page"].between(1, 40).all()


def test_wales_covers_four_forces_and_london_excludes_the_city(real_store):
    units = real_store.units.set_index("unit_id")
    assert units.loc["wales", "pfa_code_list"] == [
        "W15000001", "W15000002", "W15000003", "W15000004",
    ]  # fmt: skip
    assert "South Wales" in units.loc["wales", "grant_recipient"]
    assert units.loc["london", "pfa_code_list"] == ["E23000001"]
    all_codes = {code for codes in units["pfa_code_list"] for code in codes}
    assert "E23000034" not in all_codes  # City of London Police: not a VRU area


@pytest.mark.parametrize(
    ("unit_id", "metric_id", "value", "baseline"),
    [
        ("northumbria", "knife_offences_count", 794, 964),
        ("northumbria", "knife_victims_under25_count", 195, 254),
        ("nottinghamshire", "knife_crime_change_pct", -13.5, None),
        ("greater_manchester", "hospital_admissions_knife_change_pct", -16, None),
    ],
)
def test_key_report_figures_are_recorded_as_published(
    real_store, unit_id, metric_id, value, baseline
):
    row = _figure(real_store, unit_id, metric_id)
    assert row["value"] == value
    if baseline is None:
        assert pd.isna(row["baseline_value"])
    else:
        assert row["baseline_value"] == baseline


def test_chart_only_figures_are_unavailable_not_zero(real_store):
    obs = real_store.observations
    chart_only = obs[obs["value_status"] == "chart_only"]
    assert {"sussex", "west_midlands"} <= set(chart_only["unit_id"])
    assert chart_only["value"].isna().all()
    assert chart_only["value_text"].str.contains("chart").all()


def test_national_headline_figures_keep_their_qualifiers(real_store):
    obs = real_store.observations
    national = obs[(obs["unit_id"] == "national") & (obs["source_id"] == "apcc_2020")]
    targeted = national[national["value"] == 51000]
    assert not targeted.empty and set(targeted["qualifier"]) == {"over"}
    assert (national["value"] == 46265).any()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", text.lower())


@pytest.mark.skipif(not (SHARED_DIR / "seed").exists(), reason="the source report is not here")
def test_notes_are_in_our_own_words(real_store):
    """No note repeats ten or more consecutive words of the report."""
    report = " ".join(
        " ".join(_words(path.read_text(encoding="utf-8")))
        for path in (SHARED_DIR / "seed").glob("*.txt")
    )
    texts = list(real_store.observations["note"].dropna()) + list(
        real_store.units["model_notes"].dropna()
    )
    copied = []
    for text in texts:
        words = _words(text)
        for start in range(len(words) - 9):
            window = " ".join(words[start : start + 10])
            if f" {window} " in f" {report} ":
                copied.append(text)
                break
    assert not copied, f"notes copied from the report: {copied[:3]}"


def test_one_series_never_has_two_figures_for_one_period(real_store):
    obs = real_store.observations
    key = ["unit_id", "metric_id", "series", "geography", "period_label"]
    clashes = obs[obs.duplicated(key, keep=False)]
    assert clashes.empty, clashes[["obs_id", *key]].to_string()


def test_the_three_published_totals_for_march_2020_stay_separate_series(real_store):
    obs = real_store.observations
    totals = obs[obs["value"].isin([46265, 54293, 55170]) & (obs["unit_id"] == "national")]
    official = totals[totals["source_id"] != "apcc_2020"]
    assert official["series"].nunique() == len(official) >= 2


def test_official_funding_keeps_lower_bounds_and_exact_figures(real_store):
    obs = real_store.observations
    grants = obs[(obs["metric_id"] == "funding_home_office_vru") & obs["url"].notna()]
    london = grants[(grants["unit_id"] == "london") & (grants["financial_year"] == "2023-24")]
    assert list(london["value"]) == [9497400] and list(london["qualifier"]) == ["exact"]
    assert (grants["qualifier"] == "over").sum() >= 5
    assert grants["url"].str.startswith("http").all()
