"""Unit profile: figures by category with their qualifiers, the profile charts, map and layout."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from callbacks.profile import unit_from_path
from dashboard import transforms
from dashboard.charts import CHARTS, build_chart, charts_for_view
from dashboard.datastore import DataStore
from dashboard.figures.area_map import TRACE_NO_DATA, TRACE_SELECTED, TRACE_VALUES
from dashboard.figures.unit_figures import build_figure_panels, build_unit_area_map
from dashboard.geography import BOUNDARY_URL
from dashboard.selection import Selection
from layouts.profile import figure_tables, profile_page, sources_list

PROFILE_CHARTS = ("unit-funding-history", "unit-reach", "unit-outcomes")


def _headings(component) -> list[tuple[str, str]]:
    """(tag, text) of every heading in a layout, in document order."""
    found = []
    data = json.loads(json.dumps(component, cls=PlotlyJSONEncoder))

    def walk(node):
        if isinstance(node, dict):
            if (
                node.get("type", "").startswith("H")
                and node.get("namespace") == "dash_html_components"
            ):
                found.append((node["type"], node["props"].get("children")))
            for value in node.get("props", {}).values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def test_display_text_writes_changes_and_chart_only_figures_plainly() -> None:
    assert transforms.display_text(794.0, "794", 964.0, "offences", "reported") == "from 964 to 794"
    assert transforms.display_text(80.0, "about 80%", 90.0, "percent", "reported") == (
        "from 90% to about 80%"
    )
    assert transforms.display_text(None, "x", None, "count", "chart_only") == (
        "not available (chart only)"
    )
    assert transforms.display_text(5.0, "over 5", None, "count", "reported") == "over 5"


def test_unit_figures_are_ordered_by_category_and_keep_chart_only_rows(
    synthetic_store: DataStore,
) -> None:
    before = synthetic_store.observations.copy()
    figures = transforms.unit_figures(synthetic_store.observations, "alpha")
    assert list(figures["category"]) == ["funding", "reach", "outcome"]
    assert figures.loc[figures["category"] == "outcome", "display_text"].iloc[0] == (
        "from 100 to 80"
    )
    gamma = transforms.unit_figures(synthetic_store.observations, "gamma")
    assert list(gamma["display_text"]) == ["not available (chart only)"]
    pd.testing.assert_frame_equal(synthetic_store.observations, before)


def test_profile_charts_are_in_the_catalogue_for_exports_and_embeds() -> None:
    assert [spec.name for spec in charts_for_view("profile")] == list(PROFILE_CHARTS)
    assert all(name in CHARTS for name in PROFILE_CHARTS)


@pytest.mark.parametrize("chart", PROFILE_CHARTS)
def test_profile_charts_need_a_unit(chart: str, synthetic_store: DataStore) -> None:
    result = build_chart(chart, synthetic_store, Selection())
    assert "Choose one unit" in result.figure.layout.annotations[0].text
    assert result.table.empty
    assert "No unit" in result.summary


def test_funding_history_of_a_unit_cites_each_figure(synthetic_store: DataStore) -> None:
    result = build_chart("unit-funding-history", synthetic_store, Selection(("alpha",)))
    assert result.title == "Funding history: Alpha Violence Reduction Unit"
    assert "Alpha" in result.subtitle and result.subtitle.endswith("all periods")
    assert result.table["value_text"].tolist() == ["over £1m"]
    assert result.table["citation"].tolist() == ["TST 2020, p. 4"]
    dots = result.figure.data[0]
    assert dots.type == "scatter" and list(dots.x) == [1_000_000.0]
    assert "TST 2020, p. 4" in dots.hovertext[0] and "over £1m" in dots.hovertext[0]
    assert "over £1m for 2019/20" in result.summary


def test_outcomes_draw_a_change_from_the_earlier_to_the_later_figure(
    synthetic_store: DataStore,
) -> None:
    result = build_chart("unit-outcomes", synthetic_store, Selection(("alpha",)))
    line = next(t for t in result.figure.data if t.mode == "lines")
    assert list(line.x)[:2] == [100.0, 80.0]
    earlier = next(t for t in result.figure.data if t.name == "Earlier figure (from)")
    assert list(earlier.x) == [100.0]
    assert result.table["value_text"].tolist() == ["from 100 to 80"]
    assert "from 100 to 80" in result.summary


def test_chart_only_figures_are_listed_not_drawn(synthetic_store: DataStore) -> None:
    result = build_chart("unit-outcomes", synthetic_store, Selection(("gamma",)))
    assert result.table["value_text"].tolist() == ["not available (chart only)"]
    assert "No figures with a number" in result.figure.layout.annotations[0].text
    assert "shown only as a chart" in result.summary


def test_profile_charts_follow_the_year_filter(synthetic_store: DataStore) -> None:
    every = build_chart("unit-funding-history", synthetic_store, Selection(("alpha",)))
    later = build_chart("unit-funding-history", synthetic_store, Selection(("alpha",), "2020-21"))
    assert every.summary != later.summary
    assert later.table.empty
    assert "financial year 2020/21" in later.subtitle


def test_northumbria_outcomes_show_knife_offences_from_964_to_794(real_store) -> None:
    result = build_chart("unit-outcomes", real_store, Selection(("northumbria",)))
    knife = result.table[result.table["metric_label"] == "Knife-enabled serious violence offences"]
    assert knife["value_text"].tolist() == ["from 964 to 794"]
    assert knife["citation"].tolist() == ["APCC 2020, p. 13"]


def test_figure_panels_keep_units_of_measure_apart_and_inputs_unchanged() -> None:
    frame = pd.DataFrame(
        {
            "panel": ["Money (£)", "People", "People"],
            "label": ["Grant", "Reached", "Reached"],
            "value": [10.0, 5.0, float("nan")],
            "baseline_value": [float("nan")] * 3,
            "display_text": ["£10", "5", "not available (chart only)"],
            "hover_text": ["a", "b", "c"],
        }
    )
    before = frame.copy()
    figure = go.Figure(build_figure_panels(frame))
    pd.testing.assert_frame_equal(frame, before)
    titles = [a.text for a in figure.layout.annotations]
    assert titles == ["<b>Money (£)</b>", "<b>People</b>"]
    hovers = [h for t in figure.data if t.hovertext is not None for h in t.hovertext]
    assert hovers == ["a", "b"]  # the chart-only row is not drawn


def test_area_map_outlines_and_fills_only_the_units_forces(real_store) -> None:
    from dashboard.geography import BOUNDARY_PATH, force_table, load_boundaries, unit_coverage

    coverage = unit_coverage(real_store.units, force_table(load_boundaries(BOUNDARY_PATH)))
    frame = transforms.unit_area_frame(coverage, real_store.units, "wales")
    assert frame["value"].notna().sum() == 4
    figure = build_unit_area_map(frame, BOUNDARY_URL, unit_id="wales", unit_name="Wales VPU")
    assert len(figure.data[TRACE_SELECTED].locations) == 4
    assert figure.data[TRACE_VALUES].name == "Wales VPU"
    assert figure.data[TRACE_NO_DATA].name == "Other VRU areas"
    assert figure.layout.coloraxis.showscale is False
    assert figure.data[0].geojson == BOUNDARY_URL


def test_unit_sources_count_figures_and_name_the_details_source(
    synthetic_store: DataStore,
) -> None:
    figures = transforms.unit_figures(synthetic_store.observations, "alpha")
    table = transforms.unit_sources(
        figures, synthetic_store.sources, details_source="synthetic", details_page=4
    )
    assert table["figures"].tolist() == [3]
    assert table["used_for"].iloc[0] == "Gives the unit's leadership and model, p. 4 and 3 figures."


def test_unit_from_path_accepts_only_known_units() -> None:
    assert unit_from_path("/unit/alpha", ("alpha",)) == "alpha"
    assert unit_from_path("/unit/alpha/", ("alpha",)) == "alpha"
    assert unit_from_path("/unit/atlantis", ("alpha",)) is None
    assert unit_from_path("/compare", ("alpha",)) is None
    assert unit_from_path(None, ("alpha",)) is None


def test_profile_page_headings_are_in_order(synthetic_store: DataStore) -> None:
    unit = synthetic_store.units.set_index("unit_id").loc["beta"].to_dict() | {"unit_id": "beta"}
    page = profile_page(unit)
    headings = _headings(page)
    assert headings[0] == ("H1", "Beta Violence Reduction Network")
    assert {tag for tag, _ in headings[1:]} == {"H2"}
    texts = [text for _, text in headings]
    for title in ("Area and leadership", "Model", "Funding history", "Outcomes", "Sources"):
        assert title in texts
    serialised = json.dumps(page, cls=PlotlyJSONEncoder)
    assert "not named in the source" in serialised  # beta has no PCC or lead in the data
    assert "/compare?unit=beta" in serialised


def test_figure_tables_have_a_heading_per_category(synthetic_store: DataStore) -> None:
    figures = transforms.unit_figures(synthetic_store.observations, "beta")
    groups = [
        (key, transforms.CATEGORY_HEADINGS[key], part.to_dict("records"))
        for key, part in figures.groupby("category", sort=False)
    ]
    blocks = figure_tables(groups)
    assert _headings(blocks) == [("H3", "Funding"), ("H3", "Reach")]
    serialised = json.dumps(blocks, cls=PlotlyJSONEncoder)
    assert "https://example.org/b" in serialised  # a web source links to its address
    assert "since July 2019" in serialised
    assert "no figures" in json.dumps(figure_tables([]), cls=PlotlyJSONEncoder)
    assert "No sources" in json.dumps(sources_list([]), cls=PlotlyJSONEncoder)


def test_profile_lists_each_official_measure_once_at_its_latest_period(real_store):
    """Every DfE year and ONS edition would make the profile hundreds of rows long; the table
    keeps each official measure's latest period and every figure from other sources."""
    from dashboard import transforms

    figures = transforms.unit_figures(real_store.observations, "northumbria")
    listed, earlier = transforms.latest_official_figures(figures)
    official = figures["source_id"].str.startswith(transforms.OFFICIAL_SOURCE_PREFIXES)
    kept = listed[listed["source_id"].str.startswith(transforms.OFFICIAL_SOURCE_PREFIXES)]
    assert earlier == len(figures) - len(listed) > 100
    assert kept["metric_id"].is_unique
    assert set(kept["metric_id"]) == set(figures.loc[official, "metric_id"])
    for _, row in kept.iterrows():
        same = figures.loc[official & (figures["metric_id"] == row["metric_id"])]
        assert row["period_end"] == same["period_end"].max()
    others = figures.loc[~official, "obs_id"]
    assert set(others) <= set(listed["obs_id"])


def test_profile_outcomes_chart_draws_official_measures_at_their_latest_period(real_store):
    from dashboard import transforms
    from dashboard.charts.profile import outcomes_chart
    from dashboard.selection import Selection

    result = outcomes_chart(real_store, Selection(units=("northumbria",)))
    figures = transforms.unit_figures(
        real_store.observations, "northumbria", categories=("outcome",)
    )
    official = figures["source_id"].str.startswith(transforms.OFFICIAL_SOURCE_PREFIXES)
    assert len(result.table) == (~official).sum() + figures.loc[official, "metric_id"].nunique()
    assert "earlier figures are on the Trends page" in result.summary


def test_profile_charts_pick_the_same_figures_as_asking_for_their_categories_alone(
    real_store: DataStore,
) -> None:
    """The unit's figures are kept per data version and year (a year's picked from all
    years'); each chart's pick must be the table it would have got by asking for its
    categories and year (rows, order, columns, types)."""
    from dashboard.charts.profile import unit_figures_for

    # Every year of the programme: a year's table is picked from the unit's all-years one.
    years = (None, *real_store.programme_years, *real_store.financial_years[-2:])
    for unit_id in real_store.unit_ids:
        for year in years:
            for categories in (("funding",), ("reach",), ("outcome",), ()):
                expected = transforms.unit_figures(
                    real_store.observations, unit_id, categories=categories, year=year
                )
                picked = unit_figures_for(real_store, unit_id, categories, year)
                pd.testing.assert_frame_equal(picked, expected)


def test_profile_details_list_every_latest_figure_once_under_its_category(real_store):
    """The words beside a profile's charts: every figure the tables show, each once, under
    its category's heading, categories in the profile's order, and the unit's own source."""
    from dashboard.charts.profile import profile_details

    for unit_id in ("northumbria", "london", "cleveland"):
        found = profile_details(real_store, unit_id, None)
        figures = transforms.unit_figures(real_store.observations, unit_id)
        listed, earlier = transforms.latest_official_figures(figures)
        assert [r["obs_id"] for _, _, rows in found.groups for r in rows] == list(listed["obs_id"])
        assert found.earlier == earlier
        ranks = [rows[0]["category_rank"] for _, _, rows in found.groups]
        assert ranks == sorted(set(ranks))
        for category, heading, rows in found.groups:
            assert {r["category"] for r in rows} == {category}
            assert heading == transforms.CATEGORY_HEADINGS.get(category, "Other")
        assert found.details.startswith("Leadership, area and model: ")
        assert found.sources
