"""The map view's chart: VRU areas coloured by one figure per unit, with headline totals.

How it is put together, and why:

- One figure per unit. A unit often has several figures for a measure (other sources, other
  years, provisional and final). The map shows exactly one, chosen by `pick_figures`: with a
  financial year, only figures stated for that year; without one, the unit's most recent figure.
  Ties are broken towards a single financial year over a multi-year total, the whole area over
  part of it, reported over provisional, and exact over approximate over a bound. The subtitle
  says which rule applied and every hover gives the figure's own period and source.
- Missing stays missing. A unit without a usable figure gets NaN and a reason, which the map
  draws as "no data" (never as 0) and the table lists.
- Boundaries. The app factory loads the GeoJSON once into `DataStore.boundaries`, so the chart
  builder, which gets only (store, selection), can return a self-contained figure for exports.
  The web page passes `BOUNDARY_URL` instead: the 330 KB geometry reaches the browser once and
  is cached there, and later changes send only values (see `value_updates`).
- Prepare once, slice per request. `prepare_map_data` computes the per-unit figures of every
  (measure, financial year) pair at start-up and keeps them in a frozen `MapData`; a callback
  only looks a frame up and slices it for the chosen units. Nothing here holds per-user state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import transforms
from dashboard.charts.base import ChartResult, ChartSpec, subtitle_for
from dashboard.datastore import DataStore
from dashboard.figures.area_map import (
    INSET_OFFSET,
    TRACE_SELECTED,
    build_area_map,
    value_trace_updates,
)
from dashboard.figures.theme import empty_figure
from dashboard.formatting import MISSING_TEXT, format_figure
from dashboard.geography import (
    BOUNDARY_ATTRIBUTION,
    BOUNDARY_URL,
    FORCE_COUNT,
    force_table,
    unit_coverage,
)
from dashboard.measures import DEFAULT_MEASURE, MEASURE_IDS, measure
from dashboard.schema import NATIONAL
from dashboard.selection import Selection

MAP_CHART = "area-map"
MAP_VIEW = "map"
PER_PERSON = "funding_per_person"
BOUNDARY_SOURCE = f"Boundaries: {BOUNDARY_ATTRIBUTION.removeprefix('Source: ')}."

# How exact a stated figure is, for choosing between figures of the same period.
_PRECISION = {"exact": 0, "approximately": 1}
_COLORBAR_TITLES = {"gbp": "£", "people": "People", "percent": "% change", "count": "Count"}

UNIT_COLUMNS = (
    "unit_id",
    "unit_name",
    "area_name",
    "value",
    "qualifier",
    "value_text",
    "period",
    "citation",
    "hover_source",
    "source_short",
    "is_provisional",
    "reason",
    "note",
)
TABLE_COLUMNS = (
    "unit_name",
    "value_text",
    "qualifier",
    "period",
    "citation",
    "reason",
    "note",
    "value",
    "unit_id",
    "source_short",
)


def financial_year_words(year: str) -> str:
    """'2019-20' -> '2019/20', the way the sources write it."""
    return year.replace("-", "/")


def measure_for(selection: Selection) -> str:
    """The map's measure: the one chosen, or the default when the link names none."""
    return selection.measure if selection.measure in MEASURE_IDS else DEFAULT_MEASURE


def unit_of_measure_for(store: DataStore, measure_id: str) -> str:
    """What one unit of the map's values is (a ratio of money to people is money)."""
    if measure_id == PER_PERSON:
        return "gbp"
    metric = measure(measure_id).metric_ids[0]
    known = store.metrics.loc[store.metrics["metric_id"].eq(metric), "unit_of_measure"]
    return str(known.iloc[0]) if len(known) else ""


def colorbar_title_for(store: DataStore, measure_id: str) -> str:
    if measure_id == PER_PERSON:
        return "£ per person"
    unit = unit_of_measure_for(store, measure_id)
    return _COLORBAR_TITLES.get(unit, unit.replace("_", " ").capitalize())


def rule_words(measure_id: str, year: str | None) -> str:
    """Which figure each unit shows, in words for the subtitle."""
    if measure_id == PER_PERSON:
        return "where grant and people reached share a period"
    if year:
        return "figures stated for that year"
    return "each unit's most recent figure"


def period_phrase(year: str | None) -> str:
    return f"financial year {financial_year_words(year)}" if year else "latest figure per unit"


def _ranked(observations: pd.DataFrame, metric_id: str) -> pd.DataFrame:
    """A metric's unit figures with a value, best first within each unit (for every year)."""
    rows = observations[
        observations["metric_id"].eq(metric_id)
        & observations["value"].notna()
        & observations["unit_id"].ne(NATIONAL)
    ]
    keys = rows.assign(
        _multi_year=rows["financial_year"].isna(),
        _undated=rows["period_end"].isna(),
        _part_area=rows["geography"].notna(),
        _provisional=rows["value_status"].ne("reported"),
        _precision=rows["qualifier"].map(_PRECISION).fillna(2),
    ).sort_values(
        [
            "unit_id",
            "_multi_year",
            "_undated",
            "period_end",
            "_part_area",
            "_provisional",
            "_precision",
            "obs_id",
        ],
        ascending=[True, True, True, False, True, True, True, True],
        na_position="last",
    )
    return keys.drop(columns=[c for c in keys.columns if c.startswith("_")])


def _choose(ranked: pd.DataFrame, year: str | None) -> pd.DataFrame:
    """From ranked rows, the first per unit among those that qualify for `year`."""
    rows = ranked[ranked["financial_year"].eq(year).fillna(False)] if year else ranked
    alternatives = rows["unit_id"].value_counts()
    chosen = rows.drop_duplicates("unit_id", keep="first")
    return chosen.assign(alternatives=chosen["unit_id"].map(alternatives).astype(int))


def pick_figures(observations: pd.DataFrame, metric_id: str, year: str | None) -> pd.DataFrame:
    """One row per unit: the figure the map shows for `metric_id` (units without one are absent).

    With a year only figures stated for that financial year qualify (a multi-year total or an
    undated figure is never split or guessed into a year). The order of preference is given in
    the module docstring; the last tie-breaker is the row's id, so the choice is stable.
    `alternatives` counts the figures that qualified, the chosen one included.
    """
    return _choose(_ranked(observations, metric_id), year)


@dataclass(frozen=True)
class _UnitFacts:
    """What a unit has for a metric at all: enough to say why nothing can be drawn."""

    rows: int
    years: tuple[str, ...]
    periods: tuple[str, ...]


def _unit_facts(observations: pd.DataFrame, metric_id: str) -> dict[str, _UnitFacts]:
    rows = observations[observations["metric_id"].eq(metric_id)]
    facts = {}
    for unit_id, mine in rows.groupby("unit_id"):
        stated = mine[mine["value"].notna()]
        facts[str(unit_id)] = _UnitFacts(
            rows=len(mine),
            years=tuple(sorted(str(y) for y in stated["financial_year"].dropna().unique())),
            periods=tuple(dict.fromkeys(str(p) for p in stated["period_label"])),
        )
    return facts


def _missing_reason(facts: _UnitFacts | None, year: str | None) -> str:
    """Why a unit has no figure to draw, in words a reader can check against the sources."""
    if facts is None or facts.rows == 0:
        return "no figure for this unit in the sources used"
    if not facts.periods:
        return "the source shows it only as a chart, without a number"
    if not year:
        return "no figure with a value for this unit"
    if facts.years:
        shown = ", ".join(financial_year_words(y) for y in facts.years[-3:])
        return f"no figure stated for {financial_year_words(year)} (figures exist for {shown})"
    periods = "; ".join(f"'{p}'" for p in facts.periods[:2])
    return f"no figure stated for {financial_year_words(year)}; its figures cover {periods}"


def _hover_source(citation: str, source_short: str, page: object) -> str:
    """The citation when it has a page; a web address is too long for a hover, so name only."""
    return citation if pd.notna(page) else source_short


def _missing_columns(reason: str) -> dict[str, Any]:
    return {
        "value": np.nan,
        "qualifier": pd.NA,
        "value_text": MISSING_TEXT,
        "period": pd.NA,
        "citation": pd.NA,
        "hover_source": pd.NA,
        "source_short": pd.NA,
        "is_provisional": False,
        "reason": reason,
        "note": "",
    }


def _simple_frame(
    units: pd.DataFrame, chosen: pd.DataFrame, facts: Mapping[str, _UnitFacts], year: str | None
) -> pd.DataFrame:
    by_unit = {row["unit_id"]: row for row in chosen.to_dict("records")}
    rows = []
    for unit in units.itertuples(index=False):
        row: dict[str, Any] = {
            "unit_id": unit.unit_id,
            "unit_name": unit.name,
            "area_name": unit.area_name,
        }
        fig = by_unit.get(unit.unit_id)
        if fig is None:
            row |= _missing_columns(_missing_reason(facts.get(unit.unit_id), year))
        else:
            count = int(fig["alternatives"])
            row |= {
                "value": float(fig["value"]),
                "qualifier": fig["qualifier"],
                "value_text": fig["value_text"],
                "period": fig["period_label"],
                "citation": fig["citation"],
                "hover_source": _hover_source(fig["citation"], fig["source_short"], fig["page"]),
                "source_short": fig["source_short"],
                "is_provisional": fig["value_status"] == "provisional",
                "reason": "",
                "note": (
                    f"one of {count} figures that qualify; the unit's profile lists them all"
                    if count > 1
                    else ""
                ),
            }
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(UNIT_COLUMNS)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["value"] = frame["value"].astype(float)
    frame["is_provisional"] = frame["is_provisional"].astype(bool)
    return frame


def _simple_unit_frames(
    store: DataStore, metric_id: str, years: Sequence[str | None]
) -> dict[str | None, pd.DataFrame]:
    """`unit_values` of one metric for several years, ranking the figures only once."""
    ranked = _ranked(store.observations, metric_id)
    facts = _unit_facts(store.observations, metric_id)
    return {year: _simple_frame(store.units, _choose(ranked, year), facts, year) for year in years}


def _per_person_unit_values(
    store: DataStore, year: str | None, observations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Home Office grant per person reached (all), where both figures share a period."""
    funding_metric = measure(PER_PERSON).metric_ids[0]
    if observations is None:
        observations = _per_person_rows(store)
    # With no figures at all, one unit is enough to learn the reason (see the caller).
    units = store.units if len(observations) else store.units.iloc[:1]
    ratios = transforms.funding_per_person_reached(
        observations, units, reach_type="all", funding_metric=funding_metric, year=year
    )
    areas = store.units.set_index("unit_id")["area_name"]
    rows = []
    for ratio in ratios.itertuples(index=False):
        row: dict[str, Any] = {
            "unit_id": ratio.unit_id,
            "unit_name": ratio.unit_name,
            "area_name": areas[ratio.unit_id],
        }
        if pd.isna(ratio.value):
            row |= _missing_columns(str(ratio.reason))
        else:
            citations = [str(c) for c in (ratio.funding_citation, ratio.reach_citation)]
            names = [c.split(",")[0].split(" (")[0] for c in citations]
            row |= {
                "value": float(ratio.value),
                "qualifier": ratio.qualifier,
                "value_text": format_figure(float(ratio.value), "gbp", str(ratio.qualifier)),
                "period": ratio.period,
                "citation": "; ".join(dict.fromkeys(citations)),
                "hover_source": "; ".join(dict.fromkeys(names)),
                "source_short": "; ".join(dict.fromkeys(names)),
                "is_provisional": False,
                "reason": "",
                "note": f"grant {ratio.funding_text} ÷ {ratio.reach_text} people reached",
            }
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(UNIT_COLUMNS)))


def _per_person_rows(store: DataStore) -> pd.DataFrame:
    """Only the two metrics the ratio uses, so that each year's pairing scans a short frame."""
    observations = store.observations
    return observations[observations["metric_id"].isin(measure(PER_PERSON).metric_ids)]


def _per_person_unit_frames(
    store: DataStore, years: Sequence[str | None]
) -> dict[str | None, pd.DataFrame]:
    """`unit_values` of the ratio for several years, pairing figures only where there are some.

    In a year with neither a grant nor a reach figure every unit is missing for the same reason,
    so the pairing is asked for one unit and its reason given to all.
    """
    rows = _per_person_rows(store)
    unit_rows = rows[rows["unit_id"].ne(NATIONAL)]
    frames = {}
    for year in years:
        if transforms.observations_for(unit_rows, year=year).empty:
            reason = str(_per_person_unit_values(store, year, rows.iloc[:0]).loc[0, "reason"])
            records = [
                {"unit_id": unit.unit_id, "unit_name": unit.name, "area_name": unit.area_name}
                | _missing_columns(reason)
                for unit in store.units.itertuples(index=False)
            ]
            frames[year] = _typed(pd.DataFrame(records, columns=list(UNIT_COLUMNS)))
        else:
            frames[year] = _per_person_unit_values(store, year, rows)
    return frames


def unit_values(store: DataStore, measure_id: str, year: str | None) -> pd.DataFrame:
    """One row per unit (all of them, in the store's order): the figure shown, or why none."""
    if measure_id == PER_PERSON:
        return _per_person_unit_values(store, year)
    return _simple_unit_frames(store, measure(measure_id).metric_ids[0], [year])[year]


def coverage_for(store: DataStore) -> pd.DataFrame:
    """Which unit covers each of the 43 forces; needs the boundaries in the store."""
    if store.boundaries is None:
        raise ValueError("the store was loaded without boundaries (load_store(..., geo_path))")
    return unit_coverage(store.units, force_table(store.boundaries))


def hover_text(row: Mapping[str, Any], measure_label: str) -> str:
    """What a hover says after the force's name: unit, figure with qualifier, period, source.

    For a missing figure the map's hover template already begins with "No data:", so the
    reason comes first.
    """
    if pd.isna(row["value"]):
        return f"{row['reason']}<br>{row['unit_name']} · {measure_label}"
    return (
        f"{row['unit_name']}<br>{measure_label}: <b>{row['value_text']}</b><br>"
        f"Period: {row['period']}<br>Source: {row['hover_source']}"
    )


def map_frame(units: pd.DataFrame, coverage: pd.DataFrame, measure_label: str) -> pd.DataFrame:
    """One row per force (43), as `build_area_map` wants it, from the per-unit figures."""
    hover = {row["unit_id"]: hover_text(row, measure_label) for row in units.to_dict("records")}
    by_unit = units.set_index("unit_id")
    frame = coverage.join(by_unit.drop(columns=["unit_name"]), on="unit_id")
    frame["unit_name"] = coverage["unit_id"].map(by_unit["unit_name"]).astype("string")
    frame["hover_text"] = coverage["unit_id"].map(hover).fillna("").astype(str)
    return frame


def map_values(store: DataStore, selection: Selection) -> pd.DataFrame:
    """The 43-row frame the map draws for a selection (values NaN with a reason where missing)."""
    measure_id = measure_for(selection)
    units = unit_values(store, measure_id, selection.year)
    return map_frame(units, coverage_for(store), measure(measure_id).label)


def map_table(units: pd.DataFrame) -> pd.DataFrame:
    """The table alternative: every VRU unit, its figure and source, or 'no data' and why."""
    return units.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class MapTexts:
    """The words around the map; they change with the filters."""

    title: str
    subtitle: str
    summary: str
    source_line: str


def _names(units: pd.DataFrame, chosen: Sequence[str]) -> list[str]:
    names = units.set_index("unit_id")["unit_name"]
    return [str(names[u]) for u in chosen if u in names.index]


def map_texts(
    units: pd.DataFrame, selection: Selection, store_units: pd.DataFrame, forces: int
) -> MapTexts:
    """Title, subtitle, one-sentence summary and source line for the map of a selection."""
    measure_id = measure_for(selection)
    label = measure(measure_id).label
    total = len(units)
    drawn = units[units["value"].notna()]
    period = period_phrase(selection.year)
    when = (
        f"for {financial_year_words(selection.year)}"
        if selection.year
        else "(each unit's most recent)"
    )
    if drawn.empty:
        summary = (
            f"None of the {total} VRU units has a {label} figure {when}; every VRU area "
            "is drawn as 'no data'."
        )
    else:
        ordered = drawn.sort_values("value", ascending=False)
        top, low = ordered.iloc[0], ordered.iloc[-1]
        summary = f"{len(drawn)} of {total} VRU units have a {label} figure {when}"
        if len(drawn) == 1:
            summary += f": {top['unit_name']}, {top['value_text']} ({top['period']})"
        else:
            summary += (
                f"; the highest stated is {top['unit_name']} at {top['value_text']} "
                f"({top['period']}) and the lowest {low['unit_name']} at {low['value_text']} "
                f"({low['period']})"
            )
        missing = total - len(drawn)
        summary += f"; {missing} show no data." if missing else "."
    chosen = [u for u in selection.units if u in set(units["unit_id"])]
    if chosen:
        picked = units.set_index("unit_id").loc[chosen]
        described = [
            f"{row.unit_name}: {row.value_text}"
            + (f" ({row.period})" if pd.notna(row.period) else f" ({row.reason})")
            for row in picked.itertuples()
        ]
        summary += " Selected: " + "; ".join(described[:3])
        summary += f" and {len(described) - 3} more." if len(described) > 3 else "."
    sources = sorted(set(drawn["source_short"].dropna().str.split("; ").explode()))
    source_line = (
        "Source: " + "; ".join(sources) + ". Page or web address of each figure in the table."
        if sources
        else "Source: no figures for this selection."
    )
    return MapTexts(
        title=f"{label} by police force area",
        subtitle=subtitle_for(
            f"{label} ({rule_words(measure_id, selection.year)})",
            f"{len(store_units)} VRU units in {forces} police force areas of England and Wales",
            period,
        ),
        summary=summary,
        source_line=source_line,
    )


@dataclass(frozen=True)
class Headline:
    """One headline figure beside the map: what it is, the figure, and how it was made."""

    label: str
    value_text: str
    detail: str


@dataclass(frozen=True)
class MapData:
    """Everything the map's callbacks need, computed once per store at start-up.

    `unit_frames[(measure_id, year)]` is `unit_values` for every measure and every financial
    year of the store (and None, "latest figure"). Spreading a unit frame over the 43 forces
    (`frame_for`) is a lookup-join of 18 rows, cheap enough to do per request.
    """

    geojson: Mapping[str, Any]
    forces: pd.DataFrame
    coverage: pd.DataFrame
    units: pd.DataFrame
    years: tuple[str, ...]
    colorbar_titles: Mapping[str, str]
    unit_frames: Mapping[tuple[str, str | None], pd.DataFrame]

    def key(self, selection: Selection) -> tuple[str, str | None]:
        year = selection.year if selection.year in self.years else None
        return measure_for(selection), year

    def units_for(self, selection: Selection) -> pd.DataFrame:
        return self.unit_frames[self.key(selection)]

    def frame_for(self, selection: Selection) -> pd.DataFrame:
        measure_id, _ = key = self.key(selection)
        return map_frame(self.unit_frames[key], self.coverage, measure(measure_id).label)


def prepare_map_data(store: DataStore) -> MapData:
    """Compute every frame the map can show for this store (once, at start-up)."""
    if store.boundaries is None:
        raise ValueError("the store was loaded without boundaries (load_store(..., geo_path))")
    forces = force_table(store.boundaries)
    coverage = unit_coverage(store.units, forces)
    years = store.financial_years
    unit_frames: dict[tuple[str, str | None], pd.DataFrame] = {}
    for measure_id in MEASURE_IDS:
        if measure_id == PER_PERSON:
            frames = _per_person_unit_frames(store, (None, *years))
        else:
            metric = measure(measure_id).metric_ids[0]
            frames = _simple_unit_frames(store, metric, (None, *years))
        for year, units in frames.items():
            unit_frames[(measure_id, year)] = units
    return MapData(
        geojson=store.boundaries,
        forces=forces,
        coverage=coverage,
        units=store.units,
        years=years,
        colorbar_titles=MappingProxyType({m: colorbar_title_for(store, m) for m in MEASURE_IDS}),
        unit_frames=MappingProxyType(unit_frames),
    )


def web_map_figure(data: MapData, selection: Selection) -> go.Figure:
    """The page's map: boundaries by URL (fetched once by the browser), values for the selection."""
    return build_area_map(
        data.frame_for(selection),
        BOUNDARY_URL,
        colorbar_title=data.colorbar_titles[measure_for(selection)],
        selected=selection.units,
    )


def value_updates(data: MapData, selection: Selection) -> dict[int, dict[str, list[Any]]]:
    """Per trace index, the new values when the measure or year changes (no geometry)."""
    return value_trace_updates(data.frame_for(selection))


def selected_updates(coverage: pd.DataFrame, units: Sequence[str]) -> dict[int, dict[str, Any]]:
    """Per trace index, the outline of the chosen units' forces, as `build_area_map` draws it."""
    chosen = set(units)
    rows = coverage[coverage["unit_id"].isin(chosen).fillna(False)].sort_values("pfa_code")
    codes = rows["pfa_code"].tolist()
    updates: dict[int, dict[str, Any]] = {}
    for offset in (0, INSET_OFFSET):
        updates[TRACE_SELECTED + offset] = {
            "locations": codes,
            "z": [1.0] * len(codes),
            "showlegend": bool(codes) and offset == 0,
        }
    return updates


def unit_for_location(coverage: pd.DataFrame, pfa_code: str) -> str | None:
    """The unit covering a force (None for a force with no VRU, or an unknown code)."""
    match = coverage.loc[coverage["pfa_code"].eq(pfa_code), "unit_id"]
    if match.empty or pd.isna(match.iloc[0]):
        return None
    return str(match.iloc[0])


def _funding_year(data: MapData, chosen: Sequence[str], year: str | None) -> str | None:
    """The year to total funding over: the chosen one, else the one with most units' figures.

    Why not add each unit's latest figure: those are from different years, and a sum across
    years is not anyone's funding. Ties go to the most recent year.
    """
    if year:
        return year
    best, best_count = None, 0
    for candidate in data.years:
        frame = data.unit_frames[(transforms.FUNDING_METRIC, candidate)]
        count = int(frame.loc[frame["unit_id"].isin(chosen), "value"].notna().sum())
        if count and count >= best_count:
            best, best_count = candidate, count
    return best


def _total_text(frame: pd.DataFrame, unit_of_measure: str) -> tuple[str, transforms.Total]:
    total = transforms.total_with_bounds(frame["value"], frame["qualifier"].fillna("exact"))
    if total.is_missing:
        return MISSING_TEXT, total
    return format_figure(total.value, unit_of_measure, total.qualifier), total


_BOUND_WORDS = {
    "at_least": "so the total is a lower bound",
    "up_to": "so the total is an upper bound",
    "approximately": "so the total is approximate",
}


def _figures(count: int) -> str:
    return f"{count} unit figure" + ("" if count == 1 else "s")


def _total_detail(total: transforms.Total, count: int, what: str) -> str:
    """'Sum of 17 unit figures stated for 2020/21; 1 of 18 units has none, so ...'."""
    detail = f"Sum of {_figures(total.parts)} {what}".rstrip()
    if total.missing:
        verb = "has" if total.missing == 1 else "have"
        detail += f"; {total.missing} of {count} units {verb} none"
    if total.qualifier in _BOUND_WORDS:
        detail += f", {_BOUND_WORDS[total.qualifier]}"
    return detail + "."


def headline_figures(data: MapData, selection: Selection) -> tuple[Headline, ...]:
    """Units, total Home Office funding and people reached for the chosen units.

    Totals keep their qualifiers (`transforms.total_with_bounds`): a missing part or an 'over'
    makes the total 'at least', never a more certain figure than its parts.
    """
    known = set(data.units["unit_id"])
    chosen = [u for u in selection.units if u in known] or list(data.units["unit_id"])
    count = len(chosen)
    forces = int(data.coverage["unit_id"].isin(chosen).fillna(False).sum())
    areas = f"{forces} of {FORCE_COUNT} police force areas"
    if count == 1:
        name = str(data.units.set_index("unit_id").loc[chosen[0], "name"])
        units_headline = Headline("Unit", name, f"Covers {areas}.")
    else:
        units_headline = Headline("Units", f"{count} of {len(known)}", f"Covering {areas}.")

    year = _funding_year(data, chosen, selection.year)
    if year is None:
        funding = Headline(
            "Home Office VRU funding", MISSING_TEXT, "No unit chosen has a funding figure."
        )
    else:
        frame = data.unit_frames[(transforms.FUNDING_METRIC, year)]
        frame = frame[frame["unit_id"].isin(chosen)]
        text, total = _total_text(frame, "gbp")
        detail = _total_detail(total, count, f"stated for {financial_year_words(year)}")
        if frame["is_provisional"].any():
            detail += " Includes provisional figures."
        if not selection.year:
            detail += (
                " The year is the one with figures for the most of these units; choose a "
                "financial year above to see another."
            )
        funding = Headline(f"Home Office VRU funding, {financial_year_words(year)}", text, detail)

    reach_measure = measure_for(selection)
    if not reach_measure.startswith("reach_"):
        reach_measure = "reach_total"
    frame = data.unit_frames[(reach_measure, selection.year)]
    frame = frame[frame["unit_id"].isin(chosen)]
    text, total = _total_text(frame, "people")
    if total.is_missing:
        who = "This unit has no figure" if count == 1 else "None of these units has a figure"
        when = f" for {financial_year_words(selection.year)}" if selection.year else ""
        detail = f"{who}{when}."
    else:
        periods = list(frame["period"].dropna().unique())
        if selection.year:
            what = f"stated for {financial_year_words(selection.year)}"
        elif len(periods) == 1:
            what = f"({periods[0]})"
        else:
            what = "from different periods (each unit's latest)"
        detail = _total_detail(total, count, what)
    reach = Headline(measure(reach_measure).label, text, detail)
    return units_headline, funding, reach


def profile_targets(data: MapData, selection: Selection, limit: int = 3) -> list[tuple[str, str]]:
    """(unit_id, name) of the chosen units whose profiles the page links to (a few at most)."""
    names = data.units.set_index("unit_id")["name"]
    return [(u, str(names[u])) for u in selection.units if u in names.index][:limit]


def area_map_chart(store: DataStore, selection: Selection) -> ChartResult:
    """The map as a chart result: a self-contained figure (GeoJSON inside) for exports."""
    measure_id = measure_for(selection)
    units = unit_values(store, measure_id, selection.year)
    forces = FORCE_COUNT
    if store.boundaries is None:
        figure = empty_figure("Map boundaries were not loaded")
    else:
        coverage = coverage_for(store)
        forces = len(coverage)
        figure = build_area_map(
            map_frame(units, coverage, measure(measure_id).label),
            store.boundaries,
            colorbar_title=colorbar_title_for(store, measure_id),
            selected=selection.units,
        )
    texts = map_texts(units, selection, store.units, forces)
    return ChartResult(
        chart=MAP_CHART,
        title=texts.title,
        subtitle=texts.subtitle,
        source_line=f"{texts.source_line} {BOUNDARY_SOURCE}",
        summary=texts.summary,
        figure=figure,
        table=map_table(units),
        caveats=(
            "Each unit shows one figure: "
            + (
                "the one stated for the chosen financial year."
                if selection.year
                else "its most recent, preferring a single year to a multi-year total."
            ),
            "Dark grey areas are VRU areas with no figure for this selection, not zero.",
            "The City of London is a police force of its own and is not covered by a VRU; "
            "the London inset shows it.",
        ),
    )


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name=MAP_CHART,
        title="VRU areas by the chosen measure",
        view=MAP_VIEW,
        build=area_map_chart,
    ),
)
