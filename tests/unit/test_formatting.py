"""Figures are written with their qualifier and without losing precision."""

from __future__ import annotations

import pytest

from dashboard.formatting import format_figure


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (1_600_000, "gbp", "exact", "£1.6m"),
        (9_497_400, "gbp", "exact", "£9,497,400"),
        (1_100_000, "gbp", "over", "over £1.1m"),
        (35_000_000, "gbp", "up_to", "up to £35m"),
        (51_000, "people", "over", "over 51,000"),
        (-13.5, "percent", "exact", "-13.5%"),
        # DfE's Northumbria 2018/19 rate (342 of 207,372 pupils): 0.16 would be 3% off.
        (0.16492, "percent", "exact", "0.165%"),
        (5.5398, "percent", "exact", "5.54%"),
        (50_800, "people", "nearly", "nearly 50,800"),
        (178, "rate_per_100k", "exact", "178 per 100,000"),
    ],
)
def test_figure_text_keeps_the_qualifier(value, unit, qualifier, expected):
    assert format_figure(value, unit, qualifier) == expected


def test_missing_figure_reads_no_data():
    assert format_figure(None, "gbp") == "no figure"
    assert format_figure(float("nan"), "people") == "no figure"


def test_chart_only_figure_says_why_it_is_missing():
    assert "only as a chart" in format_figure(None, "count", value_status="chart_only")


def test_provisional_figure_is_marked():
    assert format_figure(1_000_000, "gbp", "exact", "provisional") == "£1m (provisional)"
