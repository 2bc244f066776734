"""Investment against reach: pairs only for matching periods, measure named, gaps explained."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import transforms
from dashboard.charts import CHARTS
from dashboard.charts.investment import gaps_table, pairs_table, reach_type_for
from dashboard.figures.scatter_reach import build_reach_scatter, label_positions
from dashboard.selection import Selection


def _figure(obs_id: str, metric: str, value: float, **extra: object) -> dict[str, object]:
    """One observation row with the columns the pairing code reads (SYNTHETIC values)."""
    row: dict[str, object] = {
        "obs_id": obs_id,
        "unit_id": "alpha",
        "metric_id": metric,
        "metric_label": metric,
        "value": value,
        "qualifier": "exact",
        "value_status": "reported",
        "period_label": "2019/20",
        "period_start": pd.NaT,
        "period_end": pd.NaT,
        "financial_year": pd.NA,
        "source_id": "doc",
        "source_short": "Doc 2020",
        "citation": "Doc 2020, p. 1",
        "value_text": str(value),
        "category": "funding" if metric.startswith("funding") else "reach",
        "geography": pd.NA,
    }
    return row | extra


UNITS = pd.DataFrame({"unit_id": ["alpha"], "name": ["Alpha unit"]})


def _ratio(rows: list[dict[str, object]], **options: object) -> pd.Series:
    frame = pd.DataFrame(rows)
    before = frame.copy()
    result = transforms.funding_per_person_reached(frame, UNITS, **options).iloc[0]
    pd.testing.assert_frame_equal(frame, before)
    return result


def test_same_wording_in_one_source_pairs_money_spent_with_people_reached():
    result = _ratio(
        [
            _figure("f1", "funding_invested_interventions", 1000.0, period_label="Phase One"),
            _figure("r1", "reach_young_people", 10.0, period_label="phase 1"),
        ],
        reach_type="young_people",
    )
    assert result["value"] == pytest.approx(100.0)
    assert result["funding_metric"] == "funding_invested_interventions"
    assert result["reach_type"] == "young_people"


def test_same_wording_in_different_sources_is_not_the_same_period():
    result = _ratio(
        [
            _figure("f1", "funding_home_office_vru", 1000.0, period_label="last year"),
            _figure("r1", "reach_total", 10.0, period_label="last year", source_id="other"),
        ]
    )
    assert pd.isna(result["value"])
    assert result["reason"].startswith("periods differ")


def test_a_period_the_source_calls_not_stated_never_matches():
    label = "not stated (report published 2020)"
    result = _ratio(
        [
            _figure("f1", "funding_home_office_vru", 1000.0, period_label=label),
            _figure("r1", "reach_total", 10.0, period_label=label),
        ]
    )
    assert pd.isna(result["value"])


def test_the_exact_reported_funding_figure_is_preferred_over_a_rounded_one():
    result = _ratio(
        [
            _figure("f1", "funding_invested_interventions", 1_000_000.0, qualifier="nearly"),
            _figure("f2", "funding_invested_interventions", 926_726.0),
            _figure("r1", "reach_total", 1000.0),
        ]
    )
    assert result["value"] == pytest.approx(926.726)
    assert result["qualifier"] == "exact"


def test_only_money_the_unit_received_or_spent_is_paired():
    result = _ratio(
        [
            _figure("f1", "funding_devolved_local", 500.0),
            _figure("r1", "reach_total", 10.0),
        ]
    )
    assert pd.isna(result["value"])
    assert result["reason"] == "no funding figure"


def test_northumbria_phase_one_investment_is_paired_with_young_people_reached(real_store):
    result = transforms.funding_per_person_reached(
        real_store.observations, real_store.units, reach_type="young_people"
    ).set_index("unit_id")
    northumbria = result.loc["northumbria"]
    assert northumbria["value"] == pytest.approx(926_726 / 3_687)
    assert northumbria["funding_label"] == "Invested in interventions"
    assert northumbria["period"] == "phase 1"


def test_every_reach_type_gives_one_row_per_pair(real_store):
    pairs = transforms.funding_reach_pairs(real_store.observations, real_store.units)
    merseyside = pairs[pairs["unit_id"] == "merseyside"]
    assert set(merseyside["reach_type"]) == {"universal", "targeted", "pupils"}
    assert pairs.groupby(["unit_id", "reach_metric"]).size().eq(1).all()


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("reach_total", "all"),
        ("reach_universal", "universal"),
        ("reach_targeted", "targeted"),
        ("reach_young_people", "young_people"),
        ("funding_home_office_vru", "any"),
        (None, "any"),
    ],
)
def test_reach_type_follows_the_global_measure(measure, expected):
    assert reach_type_for(Selection(measure=measure)) == expected


def test_chosen_reach_type_limits_the_pairs(real_store):
    table = pairs_table(real_store, Selection(measure="reach_targeted"))
    assert set(table["reach_type"]) == {"targeted"}
    assert "National" in " ".join(table["unit_name"])  # the national programme as a reference
    chosen = pairs_table(real_store, Selection(units=("merseyside",), measure="reach_targeted"))
    assert list(chosen["unit_id"]) == ["merseyside"]


def test_units_without_a_pair_are_listed_with_a_reason(real_store):
    selection = Selection()
    drawn = pairs_table(real_store, selection)
    gaps = gaps_table(real_store, selection)
    drawn_units = set(drawn["unit_id"]) - {"national"}
    assert drawn_units.isdisjoint(gaps["unit_id"])
    assert len(drawn_units) + len(gaps) == len(real_store.units)
    assert (gaps["reason"].str.len() > 0).all()
    lancashire = gaps.set_index("unit_id").loc["lancashire", "reason"]
    assert lancashire.startswith("periods differ")
    assert "kent" in drawn_units  # the PCC's 2019/20 grant and reach pair up


def test_cost_per_person_chart_names_the_funding_measure_and_keeps_bounds(real_store):
    result = CHARTS["funding-per-person"].build(real_store, Selection())
    drawn = result.table[result.table["value"].notna()]
    assert drawn["funding_label"].notna().all()
    london = drawn[drawn["unit_id"] == "london"].iloc[0]
    assert london["value_text"] == "up to £2,545"
    assert "no figure:" in " ".join(result.table["value_text"])
    bars = [t for t in result.figure.data if t.type == "bar"]
    assert {t.name for t in bars} >= {"Young people reached", "Universal reach"}


def test_scatter_draws_funding_against_reach_on_log_axes(real_store):
    result = CHARTS["funding-reach-scatter"].build(
        real_store, Selection(measure="reach_young_people")
    )
    figure = result.figure
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    points = [t for t in figure.data if t.mode == "markers+text"]
    xs = sorted(x for t in points for x in t.x)
    assert 3687 in xs and 2750 in xs
    assert "young people" in result.subtitle


def test_summary_changes_with_unit_and_year(real_store):
    everyone = CHARTS["funding-per-person"].build(real_store, Selection()).summary
    one = CHARTS["funding-per-person"].build(real_store, Selection(units=("northumbria",))).summary
    year = CHARTS["funding-per-person"].build(real_store, Selection(year="2019-20")).summary
    assert len({everyone, one, year}) == 3
    assert "Northumbria" in one and "£251" in one
    assert "2019/20" in year


def test_empty_selection_gives_a_message_not_an_error(real_store):
    result = CHARTS["funding-reach-scatter"].build(real_store, Selection(units=("essex",)))
    assert result.figure.layout.annotations[0].text.startswith("No unit has funding")
    assert "Essex" not in result.table.get("unit_name", pd.Series(dtype=str)).tolist()


def test_scatter_builder_leaves_its_input_alone_and_separates_close_labels():
    frame = pd.DataFrame(
        {
            "reach_value": [100.0, 110.0, 5000.0],
            "funding_value": [1000.0, 1000.0, 2000.0],
            "point_label": ["A", "B", "C"],
            "hover_text": ["a", "b", "c"],
            "group": ["g", "g", "h"],
            "qualifier": ["exact", "at_least", "up_to"],
        }
    )
    before = frame.copy()
    figure = go.Figure(build_reach_scatter(frame))
    pd.testing.assert_frame_equal(frame, before)
    symbols = [s for t in figure.data if t.mode == "markers+text" for s in t.marker.symbol]
    assert symbols == ["circle", "triangle-up", "triangle-down"]
    positions = label_positions([100, 110, 5000], [1000, 1000, 2000], [1.5, 4.5])
    assert positions[0] != positions[1]


def test_pairs_picked_for_chosen_units_equal_working_them_out_for_them(real_store):
    """Funding-and-reach pairs, with their words and hover text, are kept for every unit per
    data version and the chosen units' picked: the picked rows must be the rows worked out
    from those units' figures alone, in the same order (largest £ per person first)."""
    from dashboard.charts import investment

    picked_any = 0
    cases = [
        (year, measure, chosen)
        for year in (None, *real_store.programme_years[:2])
        for measure in (None, *transforms.REACH_METRICS.values())
        for chosen in (("london",), ("west_midlands", "kent", "wales"), ("cleveland",))
    ]
    for year, measure, chosen in cases:
        selection = Selection(chosen, year, measure)
        reach_type = reach_type_for(selection)
        units = real_store.units[real_store.units["unit_id"].isin(chosen)]
        pairs = transforms.funding_reach_pairs(
            real_store.observations, units, reach_type=reach_type, year=year
        )
        alone = investment._with_words(pairs.reset_index(drop=True), real_store, reach_type)
        picked = pairs_table(real_store, selection)
        # Column types may differ (a frame of a few units is read as plain objects).
        pd.testing.assert_frame_equal(picked, alone, check_dtype=False)
        picked_any += len(picked)
    assert picked_any >= 5
