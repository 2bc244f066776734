"""The URL query round-trips the filters and unknown values fall back with a notice."""

from __future__ import annotations

from dashboard.selection import Selection, parse_query, to_query

UNITS = {"northumbria", "merseyside"}
YEARS = {"2019-20", "2020-21"}


def test_query_round_trip():
    selection = Selection(("northumbria", "merseyside"), "2019-20", None)
    query = to_query(selection)
    assert query == "?unit=northumbria&unit=merseyside&year=2019-20"
    assert parse_query(query, units=UNITS, years=YEARS) == (selection, [])


def test_unknown_unit_and_year_fall_back_with_notices():
    selection, notices = parse_query(
        "?unit=atlantis&unit=merseyside&year=1999-00", units=UNITS, years=YEARS
    )
    assert selection == Selection(("merseyside",), None, None)
    assert len(notices) == 2
    assert "atlantis" in notices[0] and "No figures for 1999/00" in notices[1]


def test_empty_query_is_the_default_view():
    assert parse_query("", units=UNITS, years=YEARS) == (Selection(), [])
    assert to_query(Selection()) == ""


def test_default_measure_is_left_out_of_the_link():
    selection = Selection((), None, "funding")
    assert to_query(selection, default_measure="funding") == ""
    parsed, notices = parse_query(
        "?measure=bogus", units=UNITS, years=YEARS, measures={"funding"}, default_measure="funding"
    )
    assert parsed.measure == "funding" and notices
