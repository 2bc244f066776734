"""Derived measures on the synthetic store: ratios only for matching periods, gaps explained."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import catalogue, transforms
from dashboard.transforms import Total, ratio_qualifier, total_with_bounds


def test_funding_per_person_reached_pairs_figures_of_the_same_period(synthetic_store):
    before = synthetic_store.observations.copy()
    result = transforms.funding_per_person_reached(
        synthetic_store.observations, synthetic_store.units
    ).set_index("unit_id")
    alpha = result.loc["alpha"]
    assert alpha["value"] == pytest.approx(1_000_000 / 2000)
    assert alpha["qualifier"] == "at_least"  # funding was "over £1m"
    assert alpha["period"] == "2019/20"
    pd.testing.assert_frame_equal(synthetic_store.observations, before)


def test_funding_per_person_reached_is_missing_with_reason_when_periods_differ(synthetic_store):
    result = transforms.funding_per_person_reached(
        synthetic_store.observations, synthetic_store.units
    ).set_index("unit_id")
    beta = result.loc["beta"]
    assert math.isnan(beta["value"])
    assert beta["reason"].startswith("periods differ")
    assert "since July 2019" in beta["reason"]
    gamma = result.loc["gamma"]
    assert math.isnan(gamma["value"])
    assert gamma["reason"] == "no funding figure and no reach figure"


def test_every_unit_gets_a_row_even_without_figures(synthetic_store):
    result = transforms.funding_per_person_reached(
        synthetic_store.observations, synthetic_store.units, reach_type="universal"
    )
    assert list(result["unit_id"]) == ["alpha", "beta", "gamma"]
    assert result["value"].isna().all()
    assert (result["reason"] != "").all()


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("exact", "exact", "exact"),
        ("over", "exact", "at_least"),
        ("exact", "over", "up_to"),
        ("up_to", "exact", "up_to"),
        ("exact", "nearly", "at_least"),
        ("over", "over", "approximately"),
        ("approximately", "exact", "approximately"),
    ],
)
def test_ratio_qualifier_follows_the_bounds(numerator, denominator, expected):
    assert ratio_qualifier(numerator, denominator) == expected


def test_change_from_baseline_absolute_and_percent(synthetic_store):
    changed = transforms.change_from_baseline(synthetic_store.observations).set_index("obs_id")
    assert changed.loc["s-003", "change_abs"] == -20
    assert changed.loc["s-003", "change_pct"] == pytest.approx(-20.0)
    assert math.isnan(changed.loc["s-001", "change_pct"])
    assert changed.loc["s-001", "change_reason"] == "no baseline stated"
    assert "change_abs" not in synthetic_store.observations.columns


def test_change_from_zero_baseline_is_missing_not_infinite():
    frame = pd.DataFrame({"value": [5.0], "baseline_value": [0.0]})
    changed = transforms.change_from_baseline(frame)
    assert math.isnan(changed.loc[0, "change_pct"])
    assert changed.loc[0, "change_reason"] == "baseline is zero"


def test_totals_carry_at_least_when_a_part_is_a_lower_bound():
    assert total_with_bounds([1.0, 2.0], ["exact", "over"]) == Total(3.0, "at_least", 2, 0)
    assert total_with_bounds([1.0, 2.0], ["exact", "exact"]) == Total(3.0, "exact", 2, 0)
    assert total_with_bounds([1.0, 2.0], ["up_to", "exact"]).qualifier == "up_to"
    assert total_with_bounds([1.0, 2.0], ["up_to", "over"]).qualifier == "approximately"


def test_totals_with_a_missing_part_are_at_least_and_count_the_gap():
    total = total_with_bounds([1.0, float("nan")], ["exact", "exact"])
    assert total == Total(1.0, "at_least", 1, 1)


def test_total_of_nothing_is_missing_not_zero():
    total = total_with_bounds([float("nan")], ["exact"])
    assert total.is_missing and math.isnan(total.value)


def test_year_filter_exact_and_overlap(synthetic_store):
    obs = synthetic_store.observations
    exact = transforms.observations_for(obs, year="2019-20", year_match="exact")
    overlap = transforms.observations_for(obs, year="2019-20")
    assert "s-005" not in set(exact["obs_id"])
    assert "s-005" in set(overlap["obs_id"])
    assert "s-007" not in set(overlap["obs_id"])


def test_unit_overview_says_no_data_instead_of_zero(synthetic_store):
    overview = transforms.unit_overview(
        synthetic_store.observations, synthetic_store.units, unit_ids=("gamma",)
    )
    assert overview.loc[0, "funding"] == "no figure"
    assert overview.loc[0, "reach"] == "no figure"


def test_unit_overview_keeps_qualifier_period_and_source(synthetic_store):
    overview = transforms.unit_overview(
        synthetic_store.observations, synthetic_store.units, unit_ids=("alpha",)
    )
    assert overview.loc[0, "funding"] == "over £1m (2019/20; TST 2020, p. 4)"


@pytest.mark.parametrize("year", [None, "2019-20", "2023-24"])
def test_the_units_page_picks_rows_equal_to_working_them_out_for_the_chosen_units(real_store, year):
    """/units keeps every unit's row per data version and year and picks the chosen ones: the
    rows must be the ones worked out for those units alone, in the same order."""
    for chosen in ((), ("wales",), ("sussex", "kent", "london"), ("cleveland", "essex")):
        picked = catalogue.units_overview(real_store, units=chosen, year=year)
        alone = transforms.unit_overview(
            real_store.observations, real_store.units, unit_ids=chosen, year=year
        )
        pd.testing.assert_frame_equal(picked, alone)
