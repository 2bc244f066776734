"""Trend lines break where a series has a period with no figure; adjacent periods are joined."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.trend_lines import build_trend_panels


def _frame(starts_ends: list[tuple[str, str]]) -> pd.DataFrame:
    """Hand-made annual points of one series (labelled synthetic, values 1, 2, 3...)."""
    return pd.DataFrame(
        {
            "panel": "Synthetic unit",
            "series_key": "synthetic_series",
            "series_name": "Synthetic release",
            "x": [pd.Timestamp(end) for _, end in starts_ends],
            "value": [float(i + 1) for i in range(len(starts_ends))],
            "qualifier": "exact",
            "hover_text": [f"point {i}" for i in range(len(starts_ends))],
            "period_start": [pd.Timestamp(start) for start, _ in starts_ends],
            "period_end": [pd.Timestamp(end) for _, end in starts_ends],
        }
    )


def test_a_missing_academic_year_breaks_the_line():
    frame = _frame(
        [("2007-09-01", "2008-08-31"), ("2009-09-01", "2010-08-31"), ("2010-09-01", "2011-08-31")]
    )
    trace = build_trend_panels(frame).data[0]
    assert list(trace.y) == [1.0, None, 2.0, 3.0]
    assert trace.x[1] is None


def test_adjacent_financial_years_are_one_unbroken_line():
    frame = _frame([("2017-04-01", "2018-03-31"), ("2018-04-01", "2019-03-31")])
    trace = build_trend_panels(frame).data[0]
    assert None not in list(trace.y)
    assert trace.mode == "lines+markers"


def test_official_series_are_named_by_edition_and_table():
    from dashboard.charts.trends import series_words

    assert series_words("ons_pfa_ye_mar2019_p4") == (
        "ONS force area tables, year ending March 2019, Table P4"
    )
    assert series_words("ons_pfa_ye_sep2019_p5_ye_sep").endswith("(years ending September)")
    assert series_words("dfe_2022_23_dataset") == "DfE 2022/23 data set"
