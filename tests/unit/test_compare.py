"""Compare view: like-for-like matching, national figures, reasons for no comparison, the plot."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import transforms
from dashboard.charts import build_chart
from dashboard.charts.compare import (
    compare_chart,
    compare_table,
    focus_and_peers,
    unmatched_figures,
)
from dashboard.datastore import DataStore, load_store
from dashboard.figures.dot_compare import build_dot_compare
from dashboard.selection import Selection
from tests import synthetic

RATE_METRIC = {
    "metric_id": "knife_offences_rate_per_100k",
    "label": "Knife offences per 100,000 people",
    "category": "outcome",
    "unit_of_measure": "rate_per_100k",
    "reach_type": "",
    "description": "Rate.",
    "higher_is_better": "false",
}
# SYNTHETIC figures added to tests/synthetic.py's, each set up for one matching rule.
EXTRA_OBSERVATIONS = [
    # a national total for the year alpha and beta both have funding: listed, not drawn
    synthetic._obs("c-001", "national", "funding_home_office_vru", "35000000"),
    # a rate for alpha, gamma and the nation: the national rate is drawn as a line
    synthetic._obs("c-002", "alpha", "knife_offences_rate_per_100k", "50"),
    synthetic._obs("c-003", "gamma", "knife_offences_rate_per_100k", "40", qualifier="nearly"),
    synthetic._obs("c-004", "national", "knife_offences_rate_per_100k", "45"),
    # an undated alpha figure: cannot be lined up with anything
    synthetic._obs(
        "c-005",
        "alpha",
        "reach_total",
        "700",
        period_label="phase 1",
        period_start="",
        period_end="",
        financial_year="",
    ),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> DataStore:
    tables = dict(synthetic.TABLES)
    tables["metrics"] = [*synthetic.METRICS, RATE_METRIC]
    tables["observations"] = [*synthetic.OBSERVATIONS, *EXTRA_OBSERVATIONS]
    return load_store(synthetic.write_tables(tmp_path_factory.mktemp("compare"), tables))


def test_period_basis_uses_dates_then_financial_year_and_never_wording() -> None:
    frame = pd.DataFrame(
        {
            "period_start": [pd.Timestamp("2022-07-01"), pd.NaT, pd.NaT],
            "period_end": [pd.Timestamp("2023-06-30"), pd.NaT, pd.NaT],
            "financial_year": ["", "2019-20", pd.NA],
        }
    ).replace("", pd.NA)
    keys = transforms.period_basis(frame)
    assert keys.iloc[0] == "2022-07-01/2023-06-30"
    assert keys.iloc[1] == "2019-04-01/2020-03-31"
    assert pd.isna(keys.iloc[2])


def test_period_basis_label_reads_like_the_sources() -> None:
    assert transforms.period_basis_label("2019-04-01/2020-03-31") == "2019/20"
    assert transforms.period_basis_label("2023-01-01/2023-12-31") == "calendar year 2023"
    assert transforms.period_basis_label("2022-07-01/2023-06-30") == "1 Jul 2022 to 30 Jun 2023"


def test_only_same_measure_and_same_period_are_compared(store: DataStore) -> None:
    compared, _ = transforms.compare_figures(store.observations, "alpha")
    groups = set(compared["group_key"])
    assert groups == {
        "funding_home_office_vru|2019-04-01/2020-03-31",
        "knife_offences_rate_per_100k|2019-04-01/2020-03-31",
    }
    funding = compared[compared["metric_id"] == "funding_home_office_vru"]
    # the national 2020/21 figure (s-007) is another period and stays out
    assert set(funding["unit_id"]) == {"alpha", "beta", "national"}
    assert funding["group_label"].iloc[0] == "Home Office VRU grant · 2019/20"


def test_national_totals_are_listed_but_national_rates_are_drawn(store: DataStore) -> None:
    compared, _ = transforms.compare_figures(store.observations, "alpha")
    national = compared[compared["role"] == "national"].set_index("metric_id")
    assert not national.loc["funding_home_office_vru", "is_drawn"]
    assert "not drawn" in national.loc["funding_home_office_vru", "note"]
    assert national.loc["knife_offences_rate_per_100k", "is_drawn"]


def test_qualifiers_travel_with_compared_figures(store: DataStore) -> None:
    compared, _ = transforms.compare_figures(store.observations, "alpha")
    alpha = compared[compared["unit_id"] == "alpha"].set_index("metric_id")
    assert alpha.loc["funding_home_office_vru", "value_text"] == "over £1m"
    gamma = compared[compared["unit_id"] == "gamma"]
    assert gamma["value_text"].iloc[0] == "nearly 40 per 100,000"


def test_every_figure_without_a_partner_is_listed_with_its_reason(store: DataStore) -> None:
    _, unmatched = transforms.compare_figures(store.observations, "alpha")
    keys = unmatched["period_label"] + ":" + unmatched["metric_id"]
    reasons = dict(zip(keys, unmatched["reason"], strict=True))
    assert "no dates" in reasons["phase 1:reach_total"]
    assert "other periods (1 Jul 2019 to 30 Jun 2020)" in reasons["2019/20:reach_total"]
    assert reasons["2019/20:knife_offences_count"].startswith("no other unit")
    # the change figure reads as the source states it
    knife = unmatched[unmatched["metric_id"] == "knife_offences_count"]
    assert knife["display_text"].iloc[0] == "from 100 to 80"


def test_a_chart_only_figure_cannot_be_compared(store: DataStore) -> None:
    _, unmatched = transforms.compare_figures(store.observations, "gamma")
    chart_only = unmatched[unmatched["metric_id"] == "knife_offences_count"]
    assert chart_only["display_text"].iloc[0] == "not available (chart only)"
    assert "only as a chart" in chart_only["reason"].iloc[0]


def test_further_chosen_units_limit_the_comparison(store: DataStore) -> None:
    compared, _ = transforms.compare_figures(store.observations, "alpha", peers=("gamma",))
    assert set(compared["unit_id"]) == {"alpha", "gamma", "national"}
    focus, peers = focus_and_peers(store, Selection(("alpha", "gamma", "atlantis")))
    assert (focus, peers) == ("alpha", ("gamma",))


def test_compare_figures_leaves_the_observations_unchanged(store: DataStore) -> None:
    before = store.observations.copy()
    transforms.compare_figures(store.observations, "alpha", year="2019-20")
    pd.testing.assert_frame_equal(store.observations, before)


def test_compare_chart_highlights_the_focus_and_draws_the_national_rate(store: DataStore) -> None:
    result = build_chart("compare-units", store, Selection(("alpha",)))
    names = {trace.name for trace in result.figure.data}
    assert {"Other units", "Alpha Violence Reduction Unit"} <= names
    focus = next(t for t in result.figure.data if t.name == "Alpha Violence Reduction Unit")
    assert focus.marker.symbol == "diamond"
    lines = [shape for shape in result.figure.layout.shapes if shape.line.dash == "dash"]
    assert [line.x0 for line in lines] == [45.0]
    # The national line runs under the figures written beside the dots, which keep a halo, so
    # a figure next to it is not cut through.
    assert all(line.layer == "below" for line in lines)
    assert all("#ffffff" in (t.textfont.shadow or "") for t in result.figure.data if t.text)
    titles = " ".join(a.text for a in result.figure.layout.annotations)
    assert "National total, not drawn" in titles and "£35m" in titles
    assert "2019/20" in titles
    for column in ("value_text", "qualifier", "citation", "period_label"):
        assert column in result.table.columns
    assert "Alpha Violence Reduction Unit can be compared on 2" in result.summary
    assert result.subtitle.endswith("all periods")
    assert result.source_line.startswith("Source: TST 2020")


def test_compare_summary_follows_the_year_filter(store: DataStore) -> None:
    all_years = build_chart("compare-units", store, Selection(("alpha",)))
    later = build_chart("compare-units", store, Selection(("alpha",), "2020-21"))
    assert all_years.summary != later.summary
    assert "None of" in later.summary
    assert "financial year 2020/21" in later.subtitle


def test_no_unit_chosen_asks_for_one(store: DataStore) -> None:
    result = build_chart("compare-units", store, Selection())
    assert "Choose a unit" in result.figure.layout.annotations[0].text
    assert result.table.empty
    assert unmatched_figures(store, Selection()).empty
    assert compare_table(store, Selection()).empty


def test_real_northumbria_comparison_shows_the_grant_years_and_lists_the_rest(real_store):
    result = build_chart("compare-units", real_store, Selection(("northumbria",)))
    labels = set(result.table["group_label"])
    assert any(label.startswith("Home Office VRU grant · 2023/24") for label in labels)
    # Police money is compared as what it is, never under the unit's grant.
    grip = "Home Office Grip grant (money to the police force, not the unit) · 2023/24"
    assert any(label.startswith(grip) for label in labels)
    assert not any(label.startswith("Home Office Grip grant ·") for label in labels)
    unmatched = unmatched_figures(real_store, Selection(("northumbria",)))
    knife = unmatched[unmatched["metric_id"] == "knife_enabled_serious_violence_count"]
    assert knife["display_text"].iloc[0] == "from 964 to 794"


def test_a_comparison_kept_for_the_data_version_is_not_changed_by_its_users(real_store):
    """The comparison is worked out once per data version and selection and shared by the
    chart, its table and the unmatched list; changing what one of them got must not change
    what the next request gets."""
    selection = Selection(("london",))
    first = build_chart("compare-units", real_store, selection)
    table = compare_table(real_store, selection)
    unmatched = unmatched_figures(real_store, selection)
    expected_table, expected_unmatched = table.copy(), unmatched.copy()
    table.loc[:, "value"] = -1.0
    table["row_label"] = "changed"
    unmatched.loc[:, "reason"] = "changed"
    pd.testing.assert_frame_equal(compare_table(real_store, selection), expected_table)
    pd.testing.assert_frame_equal(unmatched_figures(real_store, selection), expected_unmatched)
    again = build_chart("compare-units", real_store, selection)
    pd.testing.assert_frame_equal(again.table, first.table)
    assert again.figure_json() == first.figure_json()
    assert len(expected_table) > 3


def _dot_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_key": ["g1"] * 4,
            "group_label": ["Measure · 2019/20"] * 4,
            "row_label": ["A", "A", "B", "National: E&W"],
            "is_focus": [True, True, False, False],
            "is_drawn": [True, True, True, True],
            "value": [1.0, 2.0, 3.0, 2.5],
            "value_text": ["1", "2", "3", "2.5"],
            "hover_text": ["h1", "h2", "h3", "h4"],
        }
    )


def test_dot_compare_labels_each_row_once_and_leaves_input_unchanged() -> None:
    frame = _dot_frame()
    before = frame.copy()
    figure = go.Figure(build_dot_compare(frame, focus_name="A unit"))
    pd.testing.assert_frame_equal(frame, before)
    focus = next(t for t in figure.data if t.name == "A unit")
    assert sorted(focus.text) == ["", "1; 2"]
    assert list(focus.hovertext) == ["h1", "h2"]
    assert all(isinstance(t, go.Scatter) for t in figure.data)
    assert figure.layout.shapes[0].x0 == 2.5


def test_dot_compare_with_nothing_to_draw_says_so() -> None:
    figure = go.Figure(build_dot_compare(_dot_frame().iloc[0:0]))
    assert "No figures to compare" in figure.layout.annotations[0].text
    with pytest.raises(ValueError, match="hover_text"):
        build_dot_compare(_dot_frame().drop(columns="hover_text"))


def test_rows_are_named_by_place_so_the_dots_keep_their_width(real_store: DataStore) -> None:
    """A unit's full name ("Mayor of London's Violence Reduction Unit") left a phone or a
    slide a sliver for the dots: a row's tick is its place; the full name stays in the
    hover, the legend and the table."""
    result = build_chart("compare-units", real_store, Selection(("london",)))
    layout = result.figure.layout.to_plotly_json()
    ticks = [t for name, axis in layout.items() if name.startswith("yaxis")
             for t in axis.get("ticktext") or ()]  # fmt: skip
    assert "London" in ticks and "West Midlands" in ticks
    assert not [t for t in ticks if "Violence" in t], ticks
    hovers = " ".join(str(h) for trace in result.figure.data for h in (trace.hovertext or ()))
    assert "Mayor of London's Violence Reduction Unit" in hovers
    assert "Mayor of London's Violence Reduction Unit" in set(result.table["unit_name"])


def test_a_comparison_with_chosen_peers_is_not_kept_with_the_data() -> None:
    """A unit against all the others is kept per data version (and prepared); against a set
    of peers a visitor chose it is worked out per answer, so no one can grow the memory."""
    from dashboard.config import PROJECT_ROOT

    store = load_store(PROJECT_ROOT / "data")
    kept = store.__dict__.setdefault("_derived", {})
    alone = compare_chart(store, Selection(("kent",), "2021-22"))
    assert ("comparison", "kent", (), "2021-22") in kept
    peers = compare_chart(store, Selection(("kent", "essex", "sussex"), "2021-22"))
    assert not [key for key in kept if key[0] == "comparison" and key[2]]
    assert len(peers.table) < len(alone.table)
