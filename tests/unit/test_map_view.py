"""The map view's core: one figure per unit, 43 forces, missing as no data, headlines, patches."""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import plotly.io
import pytest
from dash import Patch, no_update
from plotly.utils import PlotlyJSONEncoder

from callbacks.map_view import map_figure_update, units_after_click
from dashboard.charts import CHARTS, build_chart
from dashboard.charts.headlines import headline_figures, headlines_for, published_totals_for
from dashboard.charts.map_view import (
    MAP_CHART,
    first_map_figure,
    map_data_for,
    map_texts_for,
    map_values,
    pick_figures,
    prepare_map_data,
    profile_targets,
    unit_rows,
    unit_rows_for,
    unit_values,
    value_patch,
    web_map_figure,
)
from dashboard.datastore import DataStore
from dashboard.figures.area_map import (
    TRACE_NO_DATA,
    TRACE_NOT_VRU,
    TRACE_SELECTED,
    TRACE_VALUES,
    VALUE_TRACES,
)
from dashboard.geography import (
    BOUNDARY_ATTRIBUTION,
    BOUNDARY_PATH,
    BOUNDARY_URL,
    CITY_OF_LONDON,
    load_boundaries,
)
from dashboard.selection import Selection

FUNDING = "funding_home_office_vru"


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(BOUNDARY_PATH)


@pytest.fixture(scope="module")
def store(real_store: DataStore, boundaries: dict) -> DataStore:
    """The real data with the boundaries, as the app factory makes it."""
    return dataclasses.replace(real_store, boundaries=boundaries)


@pytest.fixture(scope="module")
def synthetic(synthetic_store: DataStore, boundaries: dict) -> DataStore:
    return dataclasses.replace(synthetic_store, boundaries=boundaries)


@pytest.fixture(scope="module")
def data(store: DataStore):
    return prepare_map_data(store)


@pytest.fixture(scope="module")
def synthetic_data(synthetic: DataStore):
    return prepare_map_data(synthetic)


def _row(frame: pd.DataFrame, unit_id: str) -> pd.Series:
    return frame.set_index("unit_id").loc[unit_id]


def test_map_values_has_one_row_per_force(store: DataStore) -> None:
    frame = map_values(store, Selection())
    assert len(frame) == 43
    assert frame["pfa_code"].is_unique
    assert {"pfa_code", "pfa_name", "unit_id", "unit_name", "value", "hover_text"} <= set(
        frame.columns
    )
    # 17 units cover one force each and Wales covers four.
    assert frame["unit_id"].notna().sum() == 23
    assert set(frame.loc[frame["unit_id"].eq("wales"), "pfa_code"]) == {
        "W15000001",
        "W15000002",
        "W15000003",
        "W15000004",
    }


def test_city_of_london_is_its_own_force_and_not_a_vru_area(store: DataStore) -> None:
    frame = map_values(store, Selection())
    city = frame.set_index("pfa_code").loc[CITY_OF_LONDON]
    assert city["pfa_name"] == "City of London"
    assert pd.isna(city["unit_id"])
    figure = build_chart(MAP_CHART, store, Selection()).figure
    assert CITY_OF_LONDON in figure.data[TRACE_NOT_VRU].locations


def test_missing_values_stay_nan_with_a_reason_never_zero(store: DataStore) -> None:
    frame = map_values(store, Selection(measure="reach_total"))
    vru = frame[frame["unit_id"].notna()]
    missing = vru[vru["value"].isna()]
    assert len(missing) >= 10
    assert not (vru["value"] == 0).any()
    assert (missing["reason"].str.len() > 0).all()
    assert (missing["value_text"] == "no figure").all()
    assert missing["hover_text"].str.contains("no figure|began|chart|part of", regex=True).all()
    figure = build_chart(MAP_CHART, store, Selection(measure="reach_total")).figure
    assert set(figure.data[TRACE_NO_DATA].locations) == set(missing["pfa_code"])
    assert 0 not in list(figure.data[TRACE_VALUES].z)


def test_a_year_keeps_only_figures_stated_for_that_year(store: DataStore) -> None:
    frame = unit_values(store, FUNDING, "2019-20")
    london = _row(frame, "london")
    assert math.isnan(london["value"])
    assert london["reason"].startswith("no figure for 2019/20; it has")
    assert "2025/26" in london["reason"], "the reason says what the unit does have"
    assert _row(frame, "west_midlands")["value"] == 3_370_000


def test_without_a_year_the_map_shows_one_year_never_a_mix(store: DataStore) -> None:
    frame = unit_values(store, FUNDING, None)
    drawn = frame[frame["value"].notna()]
    assert drawn["period"].nunique() == 1, "one period on one colour scale"
    assert set(drawn["period"]) == {"2020/21"}, "the latest year with the widest coverage"


def test_a_reported_figure_is_preferred_to_a_provisional_one(store: DataStore) -> None:
    chosen = pick_figures(store.observations, FUNDING, "2020-21").set_index("unit_id")
    assert chosen.loc["sussex", "value_status"] == "reported"
    assert chosen.loc["sussex", "alternatives"] >= 2
    assert chosen.index.is_unique


def test_hover_carries_unit_qualifier_period_and_source(store: DataStore) -> None:
    frame = map_values(store, Selection(year="2020-21"))
    hover = frame.set_index("pfa_code").loc["E23000005", "hover_text"]
    assert "Greater Manchester Violence Reduction Unit" in hover
    assert "over £3.3m" in hover
    assert "Period: 2020/21" in hover
    assert "Source: ITV News" in hover


def test_funding_per_person_keeps_the_ratio_qualifier(synthetic: DataStore) -> None:
    frame = unit_values(synthetic, "funding_per_person", "2019-20")
    alpha = _row(frame, "alpha")
    assert alpha["value"] == 500
    assert alpha["qualifier"] == "at_least"
    assert alpha["value_text"] == "at least £500"
    assert _row(frame, "beta")["reason"] == "no reach figure in 2019/20"


def test_headline_total_is_at_least_when_a_part_is_a_lower_bound(store, data) -> None:
    both = Selection(("greater_manchester", "merseyside"), "2020-21")
    units, funding, _reach = headline_figures(data, both)
    assert units.value_text == "2 of 18", "2020/21: the 18 units that existed then"
    assert funding.label == "Home Office VRU grant, 2020/21"
    assert funding.value_text == "at least £6.6m"
    assert "lower bound" in funding.detail


def test_headline_total_is_at_least_when_a_unit_has_no_figure(synthetic_data) -> None:
    _units, funding, _reach = headline_figures(synthetic_data, Selection(year="2019-20"))
    assert funding.value_text == "at least £1.5m"
    assert "1 unit without one" in funding.detail


def test_headline_without_a_year_totals_the_best_covered_year(data) -> None:
    _units, funding, _reach = headline_figures(data, Selection())
    assert funding.label.endswith("2020/21"), "every unit has a 2020/21 figure"
    assert "choose another above" in funding.detail
    assert funding.value_text.startswith("at least"), "9 of the 2020/21 figures are 'over'"


def test_headline_for_one_unit_names_it_and_links_its_profile(data) -> None:
    selection = Selection(("wales",))
    units, _funding, _reach = headline_figures(data, selection)
    assert units.value_text == "Wales Violence Prevention Unit"
    assert "4 of 43" in units.detail
    assert profile_targets(data, selection) == [("wales", "Wales Violence Prevention Unit")]


def test_summary_and_subtitle_change_with_the_filters(store: DataStore, data) -> None:
    every = data.texts_for(Selection())
    year = Selection(year="2019-20")
    one_year = data.texts_for(year)
    assert every.summary != one_year.summary
    assert "2019/20" in one_year.subtitle and "2020/21 (the latest year" in every.subtitle
    assert every.title == "Home Office VRU funding by police force area"
    picked = Selection(("wales",), "2019-20")
    text = data.texts_for(picked).summary
    assert "Selected: Wales Violence Prevention Unit: no figure (no figure for 2019/20" in text


def test_prepared_frames_equal_the_direct_computation(store: DataStore, data) -> None:
    for selection in (Selection(), Selection(year="2020-21", measure="funding_per_person")):
        pd.testing.assert_frame_equal(data.frame_for(selection), map_values(store, selection))


def test_chart_spec_builds_a_self_contained_figure_and_a_full_table(store: DataStore) -> None:
    assert MAP_CHART in CHARTS
    before = store.observations.copy()
    result = build_chart(MAP_CHART, store, Selection(year="2019-20"))
    assert [trace.type for trace in result.figure.data] == ["choroplethmap"] * 4
    geojson = result.figure.data[0].geojson
    assert isinstance(geojson, dict) and len(geojson["features"]) == 43
    table = result.table
    assert len(table) == 20
    assert {"unit_name", "value_text", "qualifier", "period", "citation", "reason"} <= set(
        table.columns
    )
    missing = table[table["value"].isna()]
    assert (missing["value_text"] == "no figure").all() and (missing["reason"] != "").all()
    assert BOUNDARY_ATTRIBUTION.removeprefix("Source: ") in result.source_line
    assert "2019/20" in result.subtitle
    pd.testing.assert_frame_equal(store.observations, before)


def test_chart_spec_without_boundaries_says_so_instead_of_failing(real_store) -> None:
    result = build_chart(MAP_CHART, real_store, Selection())
    assert result.figure.layout.annotations[0].text == "Map boundaries were not loaded"
    assert len(result.table) == 20


def test_first_call_sends_the_whole_figure_with_boundaries_by_url(data) -> None:
    figure, drawn = map_figure_update(data, Selection(), None)
    assert all(trace.geojson == BOUNDARY_URL for trace in figure.data)
    assert drawn == {"measure": FUNDING, "year": "2020-21", "units": []}


def _operations(patch: Patch) -> list[dict]:
    return json.loads(json.dumps(patch.to_plotly_json(), cls=PlotlyJSONEncoder))["operations"]


def test_a_measure_change_patches_values_and_sends_no_geometry(data) -> None:
    _figure, drawn = map_figure_update(data, Selection(), None)
    patch, new_drawn = map_figure_update(data, Selection(measure="reach_young_people"), drawn)
    assert isinstance(patch, Patch)
    assert new_drawn["measure"] == "reach_young_people"
    operations = _operations(patch)
    body = json.dumps(operations)
    assert "coordinates" not in body and "geojson" not in body and "Polygon" not in body
    touched = {tuple(op["location"][:3]) for op in operations if op["location"][0] == "data"}
    traces = {location[1] for location in touched}
    assert traces == {TRACE_NO_DATA, *VALUE_TRACES}
    assert {location[2] for location in touched} == {"locations", "z", "customdata"}
    colorbar = [op for op in operations if op["location"][0] == "layout"]
    (axis,) = colorbar
    assert axis["location"] == ["layout", "coloraxis"]
    scale = axis["params"]["value"]
    assert scale["colorbar"]["title"]["text"].startswith("People")
    assert scale["colorscale"] == "Viridis" and scale["cmid"] is None
    assert scale["colorbar"]["ticktext"], "written-out tick labels follow the new values"
    full = len(data.frame_for(Selection()).to_json())
    assert len(body) < full, "a patch is smaller than the frame it replaces"
    assert len(body) < 12_000


def test_the_patch_kept_with_the_data_version_is_the_one_worked_out_anew(store) -> None:
    """A year or measure change answers with the values and colour axis kept per data version
    (`value_patch`): for every measure and year the filters offer (and a year with no
    figures), the patch sent is the one worked out from the figures at the time."""
    data = map_data_for(store)
    keys = list(data.unit_frames)
    assert len(keys) > 10
    _figure, drawn = map_figure_update(data, Selection(), None)
    for measure_id, year in [*keys, (FUNDING, "1850-51")]:
        selection = Selection(("wales",), year, measure_id)
        kept, _ = map_figure_update(
            data, selection, drawn, values=lambda s=selection: value_patch(store, s)
        )
        anew, _ = map_figure_update(data, selection, drawn)
        assert _operations(kept) == _operations(anew), (measure_id, year)
    # Kept: a second ask is the same objects, not a new working out.
    assert value_patch(store, Selection()) is value_patch(store, Selection())


def test_the_words_kept_with_the_data_version_are_the_ones_worked_out_anew(store) -> None:
    """The words beside the map (title, summary, source, headlines, the list of units) are
    kept per data version, measure and year and the chosen units' sentence added per answer:
    for every measure and year, with no unit, one unit and several, they are what working
    them out at the time gives; and no set of several units is kept."""
    data = map_data_for(store)
    published = published_totals_for(store)
    checked = 0
    for measure_id, year in [*data.unit_frames, (FUNDING, None), (FUNDING, "1850-51")]:
        for units in ((), ("wales",), ("kent", "essex", "london", "wales")):
            selection = Selection(units, year, measure_id)
            assert map_texts_for(store, selection) == data.texts_for(selection)
            assert headlines_for(store, selection) == headline_figures(data, selection, published)
            assert unit_rows_for(store, selection) == unit_rows(data, selection)
            checked += 1
    assert checked > 30
    kept = store.__dict__["_derived"]
    assert not [key for key in kept if key[0] == "map-headlines" and len(key[3]) > 1]


def test_a_unit_change_patches_only_the_outlines(data) -> None:
    _figure, drawn = map_figure_update(data, Selection(), None)
    patch, new_drawn = map_figure_update(data, Selection(("wales",)), drawn)
    operations = _operations(patch)
    assert {op["location"][1] for op in operations} == {TRACE_SELECTED}
    locations = [op for op in operations if op["location"][2] == "locations"]
    assert locations[0]["params"]["value"] == ["W15000001", "W15000002", "W15000003", "W15000004"]
    assert new_drawn["units"] == ["wales"]
    assert len(json.dumps(operations)) < 1_000


def test_nothing_changed_sends_nothing(data) -> None:
    _figure, drawn = map_figure_update(data, Selection(), None)
    assert map_figure_update(data, Selection(), drawn) == (no_update, no_update)


def test_an_unknown_year_falls_back_to_the_default_year(data) -> None:
    assert data.key(Selection(year="1850-51")) == (FUNDING, "2020-21")


def test_clicking_an_area_selects_its_unit_and_a_second_click_clears_it(data) -> None:
    click = {"points": [{"location": "E23000014", "customdata": ["west_midlands", "", ""]}]}
    assert units_after_click(data, click, []) == ["west_midlands"]
    assert units_after_click(data, click, ["london", "kent"]) == ["west_midlands"]
    assert units_after_click(data, click, ["west_midlands"]) == []
    gwent = {"points": [{"location": "W15000002"}]}
    assert units_after_click(data, gwent, None) == ["wales"]


def test_clicking_a_force_without_a_unit_changes_nothing(data) -> None:
    city = {"points": [{"location": CITY_OF_LONDON, "customdata": ["", "City of London", ""]}]}
    assert units_after_click(data, city, ["kent"]) is None
    assert units_after_click(data, None, ["kent"]) is None


def _walk(component) -> list:
    """Every component below (and including) one, depth first."""
    found = [component]
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            found += _walk(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        found += _walk(children)
    return found


def test_map_page_has_one_h1_a_graph_a_switch_and_the_boundary_source() -> None:
    from dash import dcc, html

    from dashboard import ids
    from layouts.map_view import map_page

    parts = _walk(map_page())
    assert sum(isinstance(part, html.H1) for part in parts) == 1
    headings = [part for part in parts if isinstance(part, html.H2)]
    assert [h.id for h in headings] == [ids.MAP_TITLE_TEXT, ids.MAP_HEADLINE_TITLE_TEXT]
    graphs = [part for part in parts if isinstance(part, dcc.Graph)]
    assert [g.id for g in graphs] == [ids.MAP_AREA_GRAPH]
    found = {part.id for part in parts if isinstance(getattr(part, "id", None), str)}
    assert {ids.MAP_VIEW_RADIO, ids.MAP_DRAWN_STORE, ids.MAP_SOURCE_TEXT} <= found
    texts = [part.children for part in parts if isinstance(part, html.P)]
    assert any("Office for National Statistics" in str(text) for text in texts)


def test_headline_list_and_profile_links_render_plain_data() -> None:
    from dash import dcc

    from layouts.map_view import headline_list, profile_links

    listing = headline_list([("Units", "2 of 18", "Covering 5 of 43 police force areas.")])
    assert listing.children[0].children == "Units"
    (links,) = profile_links([("kent", "Kent and Medway Violence Reduction Unit")])
    link = links.children[0].children
    assert isinstance(link, dcc.Link)
    assert (link.href, link.children) == (
        "/unit/kent",
        "Open Kent and Medway Violence Reduction Unit profile",
    )
    assert "Click" in profile_links([])[0].children


def test_the_kept_first_drawing_is_the_map_drawn_for_the_selection(store) -> None:
    """The page's first map answer comes from a drawing kept per data version with only the
    units' outline added: it must be exactly the figure drawn for that selection."""
    data = map_data_for(store)
    for selection in (
        Selection(),
        Selection(("wales", "london")),
        Selection((), "2023-24"),
        Selection(("kent",), None, "reach_young_people"),
        Selection((), "2019-20", "knife_crime_change_pct"),
        Selection(("northumbria",), "2019-20", "funding_per_person"),
    ):
        kept = json.loads(plotly.io.to_json(first_map_figure(store, selection)))
        drawn = json.loads(plotly.io.to_json(web_map_figure(data, selection)))
        assert kept == drawn, selection
