"""The headline figures beside the map: units, Home Office grant and people reached.

Each headline totals figures of one financial year only, the year the map shows, and words
its total by `rules`: a missing unit or a lower bound makes it "at least", and money is
rounded to £0.1m the safe way. People reached adds each unit's largest figure for the year,
so it is always a floor, and the groups added are named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard import rules
from dashboard.charts.map_view import (
    PEOPLE_REACHED,
    MapData,
    financial_year_words,
    map_data_for,
)
from dashboard.datastore import DataStore
from dashboard.geography import FORCE_COUNT
from dashboard.schema import NATIONAL
from dashboard.selection import Selection

FUNDING = "funding_home_office_vru"


@dataclass(frozen=True)
class Headline:
    """One headline figure beside the map: what it is, the figure, and how it was made."""

    label: str
    value_text: str
    detail: str


def published_totals_for(store: DataStore) -> dict[str, str]:
    """`published_totals` of the grant, once per data version (kept with the store)."""
    return store.derived(("published-totals",), lambda: published_totals(store))


def published_totals(store: DataStore, metric_id: str = FUNDING) -> dict[str, str]:
    """Per financial year, the national total a publisher states ('about £35m (Home Office)').

    Shown beside a sum of unit figures so that a reader sees both, never one for the other.
    """
    rows = store.observations[
        store.observations["unit_id"].eq(NATIONAL)
        & store.observations["metric_id"].eq(metric_id)
        & store.observations["financial_year"].notna()
        & rules.preferred_mask(store.observations)
    ].sort_values(["financial_year", "obs_id"])
    totals: dict[str, str] = {}
    for row in rows.itertuples(index=False):
        year = str(row.financial_year)
        if year not in totals:
            totals[year] = f"{row.value_text} ({row.source_short})"
    return totals


def _in_scope(data: MapData, selection: Selection, year: str) -> tuple[list[str], list[str]]:
    """(units counted, chosen units that did not exist yet in `year`)."""
    existing = list(rules.units_in_year(data.units, year)["unit_id"])
    every = set(data.units["unit_id"])
    chosen = [u for u in selection.units if u in every]
    if not chosen:
        return existing, []
    return [u for u in chosen if u in existing], [u for u in chosen if u not in existing]


def _names(data: MapData, unit_ids: Sequence[str]) -> str:
    names = data.units.set_index("unit_id")["name"]
    return ", ".join(str(names[u]) for u in unit_ids)


def _units_headline(data: MapData, counted: list[str], later: list[str], year: str) -> Headline:
    forces = int(data.coverage["unit_id"].isin(counted).fillna(False).sum())
    areas = f"{forces} of {FORCE_COUNT} police force areas"
    note = (
        f" Not yet a unit in {financial_year_words(year)}: {_names(data, later)}." if later else ""
    )
    if len(counted) == 1 and not later:
        name = str(data.units.set_index("unit_id").loc[counted[0], "name"])
        return Headline("Unit", name, f"Covers {areas}.")
    existing = len(rules.units_in_year(data.units, year))
    return Headline(
        f"Units in {financial_year_words(year)}",
        f"{len(counted)} of {existing}",
        f"Units that existed in {financial_year_words(year)}, covering {areas}.{note}",
    )


def _funding_headline(
    data: MapData, selection: Selection, counted: list[str], year: str, published: Mapping[str, str]
) -> Headline:
    fy = financial_year_words(year)
    label = f"Home Office VRU grant, {fy}"
    frame = data.unit_frames[(FUNDING, year)]
    frame = frame[frame["unit_id"].isin(counted)]
    total = rules.total_of(frame["value"], frame["qualifier"].fillna("exact"))
    if total.is_missing:
        return Headline(
            label,
            f"no figure for {fy}",
            f"None of these units has a grant figure stated for {fy}; choose another year above.",
        )
    detail = rules.total_detail(total, len(counted), f"for {fy}")
    if frame["is_provisional"].any():
        detail += " Includes provisional figures."
    if not selection.units and year in published:
        detail += f" Published national total for {fy}: {published[year]}."
    if not selection.year:
        detail += " The year is the latest with figures for the most units; choose another above."
    if total.parts == 1 and not total.missing:
        # One unit's figure is quoted as stated, exactly as the map and its profile give it.
        return Headline(label, str(frame["value_text"].dropna().iloc[0]), detail)
    return Headline(label, rules.total_text(total, "gbp"), detail)


def _reach_headline(data: MapData, counted: list[str], year: str) -> Headline:
    fy = financial_year_words(year)
    label = f"People reached, {fy}"
    frame = data.unit_frames[(PEOPLE_REACHED, year)]
    frame = frame[frame["unit_id"].isin(counted)]
    drawn = frame[frame["value"].notna()]
    if drawn.empty:
        elsewhere = int(frame["reason"].str.contains("it has", regex=False).sum())
        detail = f"No unit here has a reach figure stated for {fy}"
        if elsewhere:
            detail += (
                f"; {rules.plural(elsewhere, 'unit')} {'has' if elsewhere == 1 else 'have'} "
                "reach figures for other periods (see the table or each unit's profile)"
            )
        return Headline(label, f"no figure for {fy}", detail + ".")
    # Each unit's largest figure is a floor on the people it reached: always 'at least'.
    total = rules.total_of(drawn["value"], ["at_least"] * len(drawn))
    groups = ", ".join(sorted(set(drawn["group"].dropna().astype(str))))
    missing = len(frame) - len(drawn)
    detail = (
        f"Sum of each unit's largest reach figure for {fy}, from {len(drawn)} of {len(frame)} "
        f"units (groups: {groups}). A floor, not a count: groups are never added within a unit"
    )
    if missing:
        detail += f", and {rules.plural(missing, 'unit')} {'has' if missing == 1 else 'have'} none"
    return Headline(label, rules.total_text(total, "people"), detail + ".")


def headline_year(data: MapData, selection: Selection) -> str | None:
    """The one year every headline totals: the map's year, or the grant's default year."""
    _measure, year = data.key(selection)
    return year or data.default_years.get(FUNDING)


def headline_figures(
    data: MapData, selection: Selection, published: Mapping[str, str] | None = None
) -> tuple[Headline, ...]:
    """Units, Home Office grant and people reached for the chosen units, in one year.

    `published` maps a year to the national total its publisher states (`published_totals`).
    """
    year = headline_year(data, selection)
    if year is None:
        return (Headline("Units", "no figure", "The data has no financial years."),)
    counted, later = _in_scope(data, selection, year)
    return (
        _units_headline(data, counted, later, year),
        _funding_headline(data, selection, counted, year, published or {}),
        _reach_headline(data, counted, year),
    )


def headlines_for(store: DataStore, selection: Selection) -> tuple[Headline, ...]:
    """`headline_figures` of the store, kept per data version, year, whether a year was chosen
    and chosen unit (every unit's are prepared with the release); those of any larger set of
    units are worked out per answer, so that no visitor can grow the memory."""
    data = map_data_for(store)
    key = ("map-headlines", headline_year(data, selection), bool(selection.year), selection.units)
    return store.derived(
        key,
        lambda: headline_figures(data, selection, published_totals_for(store)),
        keep=len(selection.units) <= 1,
    )


def headline_table(headlines: Sequence[Headline]) -> pd.DataFrame:
    """The headlines as rows, for tests and downloads."""
    return pd.DataFrame([h.__dict__ for h in headlines], columns=["label", "value_text", "detail"])
