"""Trends charts: series kept apart, gaps listed, bounds marked, filters honoured."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import transforms
from dashboard.charts import CHARTS, charts_for_view, official_trends
from dashboard.charts.official_trends import TREND_NOTES as NOTES
from dashboard.charts.trends import series_words
from dashboard.figures.before_after import build_before_after
from dashboard.figures.change_bars import build_change_bars
from dashboard.figures.funding_bars import build_funding_bars
from dashboard.figures.qualifier_marks import BOUND_NAMES
from dashboard.figures.trend_lines import build_trend_panels, series_styles
from dashboard.selection import Selection

TREND_CHARTS = [spec.name for spec in charts_for_view("trends")]


def _build(store, name: str, **selection) -> object:
    return CHARTS[name].build(store, Selection(**selection))


@pytest.mark.parametrize("name", TREND_CHARTS)
def test_every_trend_chart_has_words_table_and_leaves_the_store_alone(real_store, name):
    before = real_store.observations.copy()
    result = _build(real_store, name)
    assert result.title and result.summary
    assert " · " in result.subtitle  # measure · geography · period
    assert result.source_line.startswith(("Source", "Sources"))
    assert {"value_text", "qualifier", "citation"} <= set(result.table.columns)
    assert len(result.figure.data) > 0
    pd.testing.assert_frame_equal(real_store.observations, before)


@pytest.mark.parametrize("name", TREND_CHARTS)
def test_notes_under_each_chart_match_the_chart_caveats(real_store, name):
    selection = Selection(("sussex",), "2020-21")
    assert NOTES[name](real_store, selection) == CHARTS[name].build(real_store, selection).caveats


@pytest.mark.parametrize(
    ("series", "words"),
    [
        ("ons_jul2019_excl_gmp", "ONS July 2019 release, excluding Greater Manchester Police"),
        ("ons_2025", "ONS 2025 releases"),
        ("dfe_autumn_2023_24_release", "DfE autumn term 2023/24 release"),
        ("dfe_2017_18_release_brighton_hove", "DfE 2017/18 release, Brighton and Hove"),
        ("essex_police_force_data", "Essex Police's own figures"),
        ("some_new_series", "some new series"),
    ],
)
def test_series_are_named_in_words(series, words):
    assert series_words(series) == words


def test_official_knife_lines_each_hold_one_release(real_store):
    result = _build(real_store, "knife-offences-series", units=("northumbria",))
    lines = [t for t in result.figure.data if t.mode and "lines" in t.mode]
    assert lines
    for trace in lines:
        # every point of a line names the one release it comes from
        releases = {text.split("<br>")[-2] for text in trace.hovertext if text}
        assert len(releases) == 1, releases


def test_trend_lines_are_labelled_directly_not_by_a_legend(real_store):
    figure = _build(real_store, "knife-rate-series", units=("northumbria",)).figure
    assert figure.layout.showlegend is False
    labels = {a.text for a in figure.layout.annotations}
    assert {"Northumbria", "England and Wales", "Unit starts"} <= labels


def test_undated_and_chart_only_knife_figures_are_listed_not_drawn(real_store):
    result = _build(real_store, "knife-offences-series")
    notes = " ".join(result.caveats)
    # The West Midlands chart in APCC 2020 p. 34 is the force's own data: it belongs to
    # knife_offences_force_count, not to this ONS series.
    assert "APCC 2020 p. 34" not in notes
    assert "Kent" in notes and "no dates" in notes
    assert not (result.table["value_text"].str.startswith("not available")).any()


def test_chart_only_sussex_exclusions_figure_is_listed_never_drawn_as_zero(real_store):
    result = _build(real_store, "school-exclusions")
    assert any(
        "shown only as a chart in APCC 2020 p. 7, values not published" in note
        for note in result.caveats
    )
    assert "School exclusions against 4-year average" not in set(result.table["metric_label"])
    drawn = [y for trace in result.figure.data for y in (trace.y or ()) if y is not None]
    assert 0 not in drawn


def test_exclusion_rates_are_drawn_against_england_one_measure_per_chart(real_store):
    for chart, label in (
        ("school-exclusions", "Permanent exclusion rate"),
        ("suspension-rates", "Suspension rate"),
    ):
        table = _build(real_store, chart, units=("kent",)).table
        assert set(table["panel"]) == {"Kent", "England"}
        assert table["metric_label"].str.startswith(label).all()


def test_chosen_year_is_shaded_on_time_charts_and_named_beside_it(real_store):
    figure = _build(real_store, "knife-offences-series", year="2019-20").figure
    shapes = [s for s in figure.layout.shapes if s.type == "rect"]
    assert shapes and str(shapes[0].x0).startswith("2019-04-01")
    assert "Shaded: financial year 2019/20" in {a.text for a in figure.layout.annotations}
    assert not [s for s in _build(real_store, "knife-offences-series").figure.layout.shapes
                if s.type == "rect"]  # fmt: skip


def test_funding_bars_show_only_the_chosen_year(real_store):
    result = _build(real_store, "funding-by-year", year="2020-21")
    assert set(result.table["period"]) == {"2020/21"}
    assert "2020/21" in result.summary
    everything = _build(real_store, "funding-by-year")
    assert everything.table["period"].nunique() > 3
    assert everything.summary != result.summary


def test_funding_bounds_get_a_marker_legend_entry_and_words(real_store):
    result = _build(real_store, "funding-by-year", year="2020-21")
    lower = [t for t in result.figure.data if t.name == BOUND_NAMES["lower"]]
    assert len(lower) == 1
    assert lower[0].marker.symbol == "triangle-right"
    over = result.table[result.table["qualifier"] == "over"]
    assert sorted(lower[0].x) == sorted(over["value"])
    assert all(text.startswith("over ") for text in over["value_text"])
    bars = [t for t in result.figure.data if t.type == "bar"]
    assert any("over £1.1m" in text for bar in bars for text in bar.text)


def test_multi_year_funding_totals_are_listed_not_drawn(real_store):
    result = _build(real_store, "funding-by-year", units=("london",))
    assert not result.table["period"].str.contains(" to ").any()
    assert any("about £33.7m" in note and "multi-year total" in note for note in result.caveats)
    bars = [t for t in result.figure.data if t.type == "bar"]
    assert 33_700_000 not in [x for bar in bars for x in bar.x]


def test_rival_funding_figures_for_one_year_are_kept_in_words(real_store):
    table = _build(real_store, "funding-by-year", units=("avon_and_somerset",)).table
    row = table[table["period"] == "2020/21"].iloc[0]
    # The police page's £1.6m is kept as an alternative to the preferred national lower bound.
    assert row["value_text"] == "over £1.1m"
    assert "about £1.6m" in row["also_reported"]


def test_reported_changes_cover_the_named_units_and_fade_outside_the_year(real_store):
    result = _build(real_store, "knife-change")
    units = set(result.table["unit_id"])
    assert {"northumbria", "nottinghamshire", "greater_manchester", "bedfordshire"} <= units
    assert "largest fall" in result.summary
    faded = _build(real_store, "knife-change", year="2019-20")
    opacities = [o for t in faded.figure.data if t.type == "bar" for o in t.marker.opacity]
    assert min(opacities) < 1 and max(opacities) == 1  # GM's 2018-20 figure stays solid
    assert "2019/20" in faded.summary


def test_before_after_uses_the_stated_numbers(real_store):
    result = _build(real_store, "knife-before-after")
    label = "Knife-enabled serious violence offences"
    row = result.table[result.table["metric_label"] == label].iloc[0]
    assert (row["before_text"], row["value_text"]) == ("964", "794")
    assert "-17.6%" in row["change_text"]
    assert any("Bedfordshire" in note for note in result.caveats)


def test_summary_follows_the_unit_filter(real_store):
    everyone = _build(real_store, "knife-offences-series").summary
    london = _build(real_store, "knife-offences-series", units=("london",)).summary
    assert everyone != london and "London" in london
    nothing = _build(real_store, "knife-change", units=("leicestershire",))
    assert "Leicestershire" in nothing.summary
    assert nothing.figure.layout.annotations[0].text.startswith("No reported changes")


def test_time_points_explain_each_figure_left_out():
    rows = pd.DataFrame(
        {
            "value": [1.0, None, 2.0, 3.0],
            "value_status": ["reported", "chart_only", "reported", "reported"],
            "period_start": pd.to_datetime(["2019-04-01", None, None, "2016-09-01"]),
            "period_end": pd.to_datetime(["2020-03-31", None, None, "2023-08-31"]),
            "period_label": ["2019/20", "not stated", "so far", "2016/17 to 2022/23"],
            "source_short": ["S", "APCC 2020", "S", "S"],
            "page": pd.array([pd.NA, 7, pd.NA, pd.NA], dtype="Int64"),
            "series": ["a", pd.NA, "b", "c"],
            "source_id": ["s", "apcc", "s", "s"],
            "unit_id": ["u"] * 4,
            "metric_id": ["m"] * 4,
        }
    )
    before = rows.copy()
    drawn, rest = transforms.time_points(rows)
    assert list(drawn["value"]) == [1.0]
    reasons = list(rest["reason"])
    assert reasons[0] == "shown only as a chart in APCC 2020 p. 7, values not published"
    assert "no dates" in reasons[1]
    assert "several years" in reasons[2]
    pd.testing.assert_frame_equal(rows, before)


def test_preferred_figures_keep_one_per_group_and_name_the_rest():
    frame = pd.DataFrame(
        {
            "unit_id": ["a", "a", "b"],
            "financial_year": ["2020-21"] * 3,
            "value_status": ["provisional", "reported", "reported"],
            "qualifier": ["exact", "over", "exact"],
            "value_text": ["£2m (provisional)", "over £1m", "£3m"],
            "source_short": ["P", "Q", "R"],
        }
    )
    kept = transforms.preferred_figures(frame, ["unit_id", "financial_year"])
    assert list(kept["value_text"]) == ["over £1m", "£3m"]
    assert list(kept["also_reported"]) == ["£2m (provisional) (P)", ""]


# --- figure builders on small hand-made frames (SYNTHETIC values) ---------------------------


def _changes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["A: knife crime", "B: knife crime"],
            "value": [-20.0, 10.0],
            "value_text": ["-20%", "over 10%"],
            "qualifier": ["exact", "over"],
            "hover_text": ["a", "b"],
            "faded": [False, True],
        }
    )


def test_change_bars_colour_falls_and_rises_and_fade_without_hiding():
    frame = _changes()
    before = frame.copy()
    figure = build_change_bars(frame, faded_column="faded")
    pd.testing.assert_frame_equal(frame, before)
    bars = {t.name: t for t in figure.data if t.type == "bar"}
    assert list(bars["Fall"].x) == [-20.0] and list(bars["Rise"].x) == [10.0]
    assert list(bars["Rise"].marker.opacity) == [0.35]
    assert any(t.name == BOUND_NAMES["lower"] for t in figure.data)
    labels = [a.text for a in figure.layout.annotations]
    assert labels == ["A: knife crime", "B: knife crime"]


def test_before_after_joins_only_the_two_values_of_one_figure():
    frame = pd.DataFrame(
        {
            "label": ["A: offences"],
            "baseline_value": [100.0],
            "value": [80.0],
            "before_text": ["100"],
            "value_text": ["80"],
            "hover_text": ["a"],
        }
    )
    figure = build_before_after(frame)
    lines = [t for t in figure.data if t.mode == "lines"]
    assert len(lines) == 1 and list(lines[0].x) == [100.0, 80.0]


def test_funding_bars_group_rows_under_a_heading_per_unit():
    frame = pd.DataFrame(
        {
            "group": ["A", "A", "B"],
            "row_label": ["2019/20", "2020/21", "2020/21"],
            "value": [1.0e6, 1.1e6, 2.0e6],
            "value_text": ["£1m", "over £1.1m", "£2m"],
            "qualifier": ["exact", "over", "exact"],
            "hover_text": ["a", "b", "c"],
            "metric_label": ["VRU grant"] * 3,
        }
    )
    figure = build_funding_bars(frame)
    assert list(figure.layout.yaxis.ticktext) == [
        "<b>A</b>",
        "2019/20",
        "2020/21",
        "<b>B</b>",
        "2020/21",
    ]
    one_year = build_funding_bars(frame.iloc[1:])
    assert list(one_year.layout.yaxis.ticktext) == ["A", "B"]


def test_trend_panels_say_so_when_empty_and_give_series_distinct_looks():
    empty = go.Figure(build_trend_panels(pd.DataFrame(columns=["panel", "x", "value"])))
    assert (
        empty.layout.annotations[0].text.replace("<br>", " ")
        == "No dated figures for this selection"
    )
    styles = series_styles([f"s{i}" for i in range(20)])
    looks = {(s["color"], s["symbol"]) for s in styles.values()}
    assert len(looks) == 20


OFFICIAL_METRICS = (
    official_trends.KNIFE_COUNT,
    official_trends.KNIFE_RATE,
    official_trends.PERMANENT,
    official_trends.SUSPENSION,
)


@pytest.mark.parametrize("metric", OFFICIAL_METRICS)
def test_official_points_picked_for_chosen_areas_equal_working_them_out_for_them(
    real_store, metric
):
    """The trends charts keep every area's points per data version and pick the chosen ones:
    the picked rows must be exactly the rows worked out for those areas alone."""
    for chosen in (("northumbria",), ("london", "kent", "wales"), ("cleveland", "humberside")):
        picked = official_trends.official_points(real_store, Selection(chosen), metric)
        alone = official_trends._points_of(
            real_store, chosen, metric, official_trends.NATIONAL, "England and Wales"
        )
        for one, two in zip(picked, alone, strict=True):
            pd.testing.assert_frame_equal(one, two)
        assert set(picked[0]["unit_id"]) <= set(chosen)


@pytest.mark.parametrize("metric", OFFICIAL_METRICS)
def test_notes_and_gap_words_picked_for_chosen_areas_equal_working_them_out_for_them(
    real_store, metric
):
    """A trend chart's list of figures it cannot draw, and its words on the publisher's gaps,
    are kept for every area per data version and the chosen areas' picked: they must be the
    lines and words worked out for those areas alone, in the same order."""
    listed = 0
    for chosen in (("northumbria",), ("london", "kent", "wales"), ("greater_manchester",)):
        picked = official_trends.not_drawn_notes(real_store, Selection(chosen), metric)
        alone = official_trends._not_drawn_by_unit(real_store, chosen, metric)
        assert picked == tuple(line for _, line in alone)
        listed += len(picked)
        words = official_trends._gap_words_for(real_store, chosen, metric)
        assert words == official_trends._gap_words_worked_out(real_store, chosen, metric)
    everyone = official_trends.not_drawn_notes(real_store, Selection(), metric)
    assert everyone == tuple(
        line
        for _, line in official_trends._not_drawn_by_unit(
            real_store, tuple(real_store.units["unit_id"]), metric
        )
    )
    # The real data have news-quoted knife figures for these areas that cannot be drawn.
    assert listed or metric in (official_trends.PERMANENT, official_trends.SUSPENSION)
