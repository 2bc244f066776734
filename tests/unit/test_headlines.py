"""Every headline, map and table follows the rules in dashboard/rules.py, on the real data.

Each test names the defect it guards against (issue "Honest figures everywhere"): sums across
periods, "about" where "at least" is true, "no data" where the data has a figure, one scale for
several years, changes from before a unit existed, part-area figures colouring a whole force.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from dashboard import rules, transforms
from dashboard.charts import build_chart
from dashboard.charts.headlines import headline_figures, published_totals
from dashboard.charts.investment import pairs_table
from dashboard.charts.map_view import (
    MAP_CHART,
    PEOPLE_REACHED,
    PER_PERSON,
    coloraxis_for,
    prepare_map_data,
    unit_values,
)
from dashboard.datastore import DataStore
from dashboard.geography import BOUNDARY_PATH, load_boundaries
from dashboard.measures import MEASURE_IDS, measure
from dashboard.selection import Selection

FUNDING = "funding_home_office_vru"
KNIFE_CHANGE = "knife_crime_change_pct"


@pytest.fixture(scope="module")
def store(real_store: DataStore) -> DataStore:
    return dataclasses.replace(real_store, boundaries=load_boundaries(BOUNDARY_PATH))


@pytest.fixture(scope="module")
def data(store: DataStore):
    return prepare_map_data(store)


@pytest.fixture(scope="module")
def published(store: DataStore) -> dict[str, str]:
    return published_totals(store)


def _row(frame: pd.DataFrame, unit_id: str) -> pd.Series:
    return frame.set_index("unit_id").loc[unit_id]


def test_map_funding_per_person_pairs_figures_as_investment_does(store: DataStore, data) -> None:
    """Defect: the map divided by 'people reached (all)' only, so every unit was 'no data'."""
    drawn_somewhere = 0
    for year in store.programme_years:
        frame = data.unit_frames[(PER_PERSON, year)]
        pairs = pairs_table(store, Selection(year=year))
        for row in frame[frame["value"].notna()].itertuples():
            drawn_somewhere += 1
            theirs = pairs[(pairs["unit_id"] == row.unit_id) & (pairs["period"] == row.period)]
            assert row.value_text in set(theirs["value_text"]), (row.unit_id, year)
    assert drawn_somewhere >= 1
    london = _row(data.unit_frames[(PER_PERSON, "2020-21")], "london")
    assert london["value_text"].endswith("£2,545") and "young people" in london["note"]


def test_people_reached_says_what_a_unit_has_instead_of_no_data(data) -> None:
    """Defect: Northumbria (3,687 young people, p. 13) and others read 'no data'."""
    frame = data.units_for(Selection(measure=PEOPLE_REACHED))
    northumbria = _row(frame, "northumbria")
    assert "3,687 young people" in northumbria["reason"]
    manchester = _row(frame, "greater_manchester")
    assert "over 3,000 pupils" in manchester["reason"]
    assert not frame["value_text"].eq("no data").any()


def test_units_page_lists_every_kind_of_reach(store: DataStore) -> None:
    """Defect: /units said 'no data' for reach for 11 of 18 units (pupils, professionals...)."""
    overview = transforms.unit_overview(store.observations, store.units).set_index("unit_id")
    for unit_id, expected in (
        ("northumbria", "3,687"),
        ("greater_manchester", "over 3,000"),
        ("london", "over 2,750"),
    ):
        assert expected in overview.loc[unit_id, "reach"], unit_id
    assert "surge" not in " ".join(overview["reach"]), "police operations are not reach"


def test_no_headline_adds_figures_of_different_periods(store: DataStore, data, published) -> None:
    """Defect: 'about 207,753' young people added six figures from six periods."""
    for year in store.programme_years:
        selection = Selection(year=year, measure=PEOPLE_REACHED)
        _units, _funding, reach = headline_figures(data, selection, published)
        frame = data.unit_frames[(PEOPLE_REACHED, year)]
        obs = store.observations
        for row in frame[frame["value"].notna()].itertuples():
            stated = obs[(obs["unit_id"] == row.unit_id) & (obs["value"] == row.value)]
            assert year in set(stated["financial_year"].dropna()), (row.unit_id, year, row.period)
        assert not reach.value_text.startswith("about")
        if frame["value"].notna().any():
            assert reach.value_text.startswith("at least"), reach


def test_funding_total_with_missing_units_is_at_least_and_rounded(data, published) -> None:
    """Defect: 'about £34,055,827' for 2023/24 from 9 of 18 units, against a published £55m."""
    _units, funding, _reach = headline_figures(data, Selection(year="2023-24"), published)
    assert re.fullmatch(r"at least £\d+\.\dm", funding.value_text), funding.value_text
    assert "units without one" in funding.detail
    assert "Published national total for 2023/24: about £55m" in funding.detail


def test_default_map_colours_one_financial_year(data) -> None:
    """Defect: the default map coloured five different years on one scale."""
    for measure_id in MEASURE_IDS:
        if measure(measure_id).signed_change:
            continue
        frame = data.units_for(Selection(measure=measure_id))
        drawn = frame[frame["value"].notna()]
        assert drawn["period"].nunique() <= 1, (measure_id, set(drawn["period"]))
    texts = data.texts_for(Selection())
    assert "financial year 2020/21" in texts.subtitle


def test_knife_change_map_leaves_out_context_and_part_areas(store: DataStore, data) -> None:
    """Defect: 'doubled since 2012' and Sussex's 15 hot-spot areas coloured whole forces."""
    frame = data.units_for(Selection(measure=KNIFE_CHANGE))
    midlands = _row(frame, "west_midlands")
    assert pd.isna(midlands["value"]) and "before the unit existed" in midlands["reason"]
    sussex = _row(frame, "sussex")
    assert pd.isna(sussex["value"]) and "only part of its area" in sussex["reason"]
    scale = coloraxis_for(data, Selection(measure=KNIFE_CHANGE))
    assert scale["cmid"] == 0 and scale["cmin"] == -scale["cmax"]
    assert scale["cmax"] == frame["value"].abs().max(), "the axis fits the data"
    figure = build_chart(MAP_CHART, store, Selection(measure=KNIFE_CHANGE)).figure
    assert figure.layout.coloraxis.cmid == 0
    assert figure.layout.coloraxis.colorscale[0][1] != figure.layout.coloraxis.colorscale[-1][1]


def test_year_filter_starts_with_the_programme(store: DataStore) -> None:
    """Defect: the year picker offered 8 years before any unit existed."""
    assert store.programme_years[0] == rules.PROGRAMME_START
    assert min(store.financial_years) < rules.PROGRAMME_START, "older years stay for trends"


def _headline_breaks_a_rule(value_text: str, detail: str) -> str:
    if "no data" in value_text:
        return "'no data' in a headline"
    incomplete = "without one" in detail or "lower bound" in detail
    if incomplete and not value_text.startswith(("at least", "over", "no figure")):
        return "an incomplete total not worded 'at least'"
    to_the_pound = re.search(r"£\d{1,3}(,\d{3}){2,}", value_text)
    if to_the_pound and "Sum of" in detail:
        return "a money total to the pound"
    return ""


def test_every_headline_for_every_unit_year_and_measure_keeps_the_rules(
    store: DataStore, data, published
) -> None:
    """One loop over every view's headline: no rule broken, one figure per unit/year/measure."""
    choices = [(), *[(u,) for u in store.unit_ids]]
    for year in (None, *store.programme_years):
        for measure_id in MEASURE_IDS:
            for units in choices:
                selection = Selection(units, year, measure_id)
                for headline in headline_figures(data, selection, published):
                    broken = _headline_breaks_a_rule(headline.value_text, headline.detail)
                    assert not broken, (selection, headline, broken)
            if year is None:
                continue
            frame = data.unit_frames[(FUNDING, year)]
            for unit_id in store.unit_ids:
                mine = _row(frame, unit_id)
                _u, funding, _r = headline_figures(data, Selection((unit_id,), year), published)
                if pd.notna(mine["value"]):
                    assert funding.value_text == mine["value_text"], (unit_id, year)


def test_map_export_and_page_give_the_same_figures(store: DataStore, data) -> None:
    for measure_id in MEASURE_IDS:
        for year in (None, "2019-20", "2023-24"):
            selection = Selection(year=year, measure=measure_id)
            page = data.units_for(selection)[["unit_id", "value_text"]]
            export = build_chart(MAP_CHART, store, selection).table[["unit_id", "value_text"]]
            pd.testing.assert_frame_equal(
                page.reset_index(drop=True), export.reset_index(drop=True)
            )


def test_a_map_figure_is_one_of_the_units_own_figures(store: DataStore) -> None:
    """The figure on the map for a unit and year is, word for word, one of its profile's."""
    for year in ("2019-20", "2020-21", "2023-24"):
        frame = unit_values(store, FUNDING, year)
        for row in frame[frame["value"].notna()].itertuples():
            own = transforms.unit_figures(store.observations, row.unit_id, year=year)
            assert row.value_text in set(own["value_text"]), (row.unit_id, year)


def test_police_money_is_labelled_as_such_in_profiles_and_compare(store: DataStore) -> None:
    """Defect: Grip and surge money appeared under unit names on /compare and in profiles."""
    police = store.observations[store.observations["money_kind"].eq("police_grant")]
    assert not police.empty
    assert police["metric_label"].str.contains("police force, not the unit").all()
    profile = build_chart("unit-funding-history", store, Selection(("london",)))
    grip = profile.table[profile.table["metric_label"].str.contains("Grip")]
    assert not grip.empty and grip["metric_label"].str.contains("not the unit").all()
    assert "never counted as the unit's" in profile.summary
