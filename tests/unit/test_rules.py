"""The rules in dashboard/rules.py on small hand-made frames (SYNTHETIC figures, no real unit)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import rules


def _rows(*rows: dict[str, object]) -> pd.DataFrame:
    base = {
        "obs_id": "x",
        "unit_id": "alpha",
        "metric_id": "reach_young_people",
        "value": 1.0,
        "qualifier": "exact",
        "value_status": "reported",
        "financial_year": "2020-21",
        "geography": pd.NA,
        "money_kind": pd.NA,
        "reach_type": "young_people",
    }
    return pd.DataFrame([base | row for row in rows])


@pytest.mark.parametrize(
    ("qualifiers", "missing", "expected"),
    [
        (["exact", "exact"], 0, "exact"),
        (["exact", "over"], 0, "at_least"),
        (["exact", "exact"], 1, "at_least"),
        (["exact", "approximately"], 0, "approximately"),
        (["approximately", "exact"], 2, "at_least"),
        (["up_to", "exact"], 0, "up_to"),
    ],
)
def test_a_total_is_never_more_certain_than_its_parts(qualifiers, missing, expected) -> None:
    total = rules.total_of([1.0] * len(qualifiers), qualifiers, missing=missing)
    assert total.qualifier == expected


def test_up_to_parts_are_left_out_of_a_floor_and_counted() -> None:
    total = rules.total_of([5.0, 2.0, float("nan")], ["exact", "up_to", "exact"])
    assert (total.value, total.qualifier, total.missing) == (5.0, "at_least", 1)
    assert (total.ceilings_left_out, total.ceilings_value) == (1, 2.0)
    assert "1 up-to figure" in rules.total_detail(total, 3, "for 2020/21")


def test_nothing_to_add_is_missing_not_zero() -> None:
    total = rules.total_of([float("nan")], ["exact"])
    assert total.is_missing and math.isnan(total.value)
    assert rules.total_text(total, "gbp") == "no figure"


@pytest.mark.parametrize(
    ("value", "qualifier", "text"),
    [
        (33_680_000, "at_least", "£33.6m"),
        (33_680_000, "exact", "£33.7m"),
        (33_610_000, "up_to", "£33.7m"),
        (880_000, "exact", "£880,000"),
    ],
)
def test_headline_money_is_rounded_the_safe_way(value, qualifier, text) -> None:
    assert rules.headline_number(value, "gbp", qualifier) == text


def test_only_preferred_whole_area_single_year_unit_money_is_summable() -> None:
    frame = _rows(
        {"obs_id": "keep"},
        {"obs_id": "rival", "value_status": "alternative"},
        {"obs_id": "part", "geography": "Brighton and Hove"},
        {"obs_id": "whole", "geography": "Metropolitan Police area"},
        {"obs_id": "multi", "financial_year": pd.NA},
        {"obs_id": "police", "money_kind": "police_grant"},
        {"obs_id": "grant", "money_kind": "unit_grant"},
        {"obs_id": "chart", "value": float("nan"), "value_status": "chart_only"},
    )
    assert list(rules.summable(frame)["obs_id"]) == ["keep", "whole", "grant"]


def test_largest_reach_names_one_figure_per_unit_and_never_adds_groups() -> None:
    frame = _rows(
        {"obs_id": "a", "value": 300.0, "reach_type": "pupils", "metric_id": "reach_pupils"},
        {"obs_id": "b", "value": 500.0},
        {"obs_id": "c", "unit_id": "beta", "value": 70.0},
        {"obs_id": "d", "unit_id": "beta", "value": 900.0, "geography": "One borough"},
    )
    chosen = rules.largest_reach(frame, ["reach_pupils", "reach_young_people"])
    assert dict(zip(chosen["unit_id"], chosen["value"], strict=True)) == {
        "alpha": 500.0,
        "beta": 70.0,
    }


@pytest.mark.parametrize(
    ("row", "in_life"),
    [
        ({"period_label": "since 2012", "baseline_period_label": "2012"}, False),
        ({"period_start": pd.Timestamp("2018-04-01")}, True),
        ({"period_start": pd.Timestamp("2016-04-01")}, False),
        ({"period_label": "impact of the unit to date (periods not stated)"}, True),
    ],
)
def test_changes_from_before_a_unit_are_context(row, in_life) -> None:
    assert rules.change_in_unit_life(pd.Series(row), "2019-20") is in_life


def test_all_units_in_a_year_are_those_that_existed() -> None:
    units = pd.DataFrame({"unit_id": ["a", "b"], "start_year": ["2019-20", "2022-23"]})
    assert list(rules.units_in_year(units, "2020-21")["unit_id"]) == ["a"]
    assert list(rules.units_in_year(units, "2023-24")["unit_id"]) == ["a", "b"]
    assert rules.programme_years(["2012-13", "2020-21", "2019-20"]) == ("2019-20", "2020-21")


def test_plural_words() -> None:
    assert rules.plural(1, "unit") == "1 unit"
    assert rules.plural(3, "figure") == "3 figures"
