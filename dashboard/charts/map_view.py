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

import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import rules, transforms
from dashboard.charts.base import ChartResult, ChartSpec, subtitle_for
from dashboard.datastore import DataStore
from dashboard.figures.area_map import (
    TRACE_SELECTED,
    build_area_map,
    map_scale,
    value_trace_updates,
)
from dashboard.figures.map_labels import AreaLabel, area_labels
from dashboard.figures.theme import empty_figure
from dashboard.formatting import format_figure
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
PEOPLE_REACHED = "people_reached"
NO_FIGURE_TEXT = "no figure"
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
    "group",
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
        return "unit money ÷ people reached, where both are stated for the year"
    if measure_id == PEOPLE_REACHED:
        return "each unit's largest reach figure for the year; groups differ"
    if measure(measure_id).signed_change:
        return "change over the unit's own life, each over its own period; whole areas only"
    return "figures stated for that year"


def period_phrase(year: str | None) -> str:
    return f"financial year {financial_year_words(year)}" if year else "periods as stated per unit"


def _candidates(
    observations: pd.DataFrame, metric_ids: Sequence[str], starts: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The unit figures a map may colour: preferred, whole-area, within the unit's life.

    `starts` (unit -> first financial year) is given for signed changes only: a change that
    began before the unit existed is context (`rules.change_in_unit_life`), not its record.
    """
    rows = observations[
        observations["metric_id"].isin(list(metric_ids))
        & observations["unit_id"].ne(NATIONAL)
        & rules.preferred_mask(observations)
        & ~rules.part_area_mask(observations)
    ]
    if starts is not None and not rows.empty:
        in_life = [
            rules.change_in_unit_life(row, starts.get(row["unit_id"])) for _, row in rows.iterrows()
        ]
        rows = rows[pd.Series(in_life, index=rows.index, dtype=bool)]
    return rows


def _ranked(rows: pd.DataFrame) -> pd.DataFrame:
    """Candidate figures best first within each unit: single year, dated, recent, exact."""
    keys = rows.assign(
        _multi_year=rows["financial_year"].isna(),
        _undated=rows["period_end"].isna(),
        _provisional=rows["value_status"].ne("reported"),
        _precision=rows["qualifier"].map(_PRECISION).fillna(2),
    ).sort_values(
        [
            "unit_id",
            "_multi_year",
            "_undated",
            "period_end",
            "_provisional",
            "_precision",
            "obs_id",
        ],
        ascending=[True, True, True, False, True, True, True],
        na_position="last",
    )
    return keys.drop(columns=[c for c in keys.columns if c.startswith("_")])


def _choose(ranked: pd.DataFrame, year: str | None) -> pd.DataFrame:
    """From ranked rows, the first per unit among those stated for `year` (None: any period)."""
    rows = ranked[ranked["financial_year"].eq(year).fillna(False)] if year else ranked
    alternatives = rows["unit_id"].value_counts()
    chosen = rows.drop_duplicates("unit_id", keep="first")
    return chosen.assign(alternatives=chosen["unit_id"].map(alternatives).astype(int))


def pick_figures(observations: pd.DataFrame, metric_id: str, year: str | None) -> pd.DataFrame:
    """One row per unit: the figure the map shows for `metric_id` in `year` (others absent).

    Only figures stated for that financial year qualify (a multi-year total or an undated
    figure is never split or guessed into a year); rivals marked `alternative` and part-area
    figures never do. The last tie-breaker is the row's id, so the choice is stable.
    `alternatives` counts the figures that qualified, the chosen one included.
    """
    return _choose(_ranked(_candidates(observations, (metric_id,))), year)


def _what_it_has(mine: pd.DataFrame, people: bool) -> str:
    """'over 32,600 people (universal), 2019/20': a unit's other figures, briefly."""
    columns = ["value_text", "reach_type", "geography", "period_label", "period_end"]
    shown = mine.loc[mine["value"].notna(), [c for c in columns if c in mine.columns]]
    shown = shown.sort_values("period_end", ascending=False)
    parts = []
    for row in shown.head(2).itertuples(index=False):
        text = str(row.value_text)
        if people:
            text += " " + rules.reach_type_words(row.reach_type)
        where = f", {row.geography}" if rules.is_part_area(row.geography) else ""
        parts.append(f"{text} ({row.period_label}{where})")
    more = len(shown) - len(parts)
    return "; ".join(parts) + (f" and {more} more" if more > 0 else "")


def _unit_holdings(
    observations: pd.DataFrame, metric_ids: Sequence[str], people: bool = False
) -> dict[str, tuple[str, str]]:
    """Per unit with rows of these metrics, what it holds whatever the year: ("chart", ""),
    ("part", why) or ("has", what). Computed once per measure: only the wording of a reason
    depends on the year (see `_reasons_for_year`)."""
    rows = observations[observations["metric_id"].isin(list(metric_ids))]
    holdings = {}
    for unit_id, mine in rows.groupby("unit_id"):
        usable = mine[rules.preferred_mask(mine)]
        if usable.empty:
            holdings[str(unit_id)] = ("chart", "")
            continue
        part = rules.part_area_mask(usable)
        if part.all():
            geo = "; ".join(dict.fromkeys(str(g) for g in usable["geography"]))
            holdings[str(unit_id)] = (
                "part",
                f"its figures cover only part of its area ({geo}), so they never colour the "
                f"whole area: {_what_it_has(usable, people)}",
            )
            continue
        holdings[str(unit_id)] = ("has", _what_it_has(usable, people))
    return holdings


def _reasons_for_year(
    holdings: Mapping[str, tuple[str, str]], year: str | None, starts: Mapping[str, str]
) -> dict[str, str]:
    reasons = {}
    when = f"for {financial_year_words(year)}" if year else ""
    for unit_id, (kind, words) in holdings.items():
        start = starts.get(unit_id)
        if kind == "chart":
            reasons[unit_id] = "the source shows it only as a chart, without a number"
        elif year and start and year < start:
            reasons[unit_id] = f"the unit began in {financial_year_words(start)}"
        elif kind == "part":
            reasons[unit_id] = words
        else:
            reasons[unit_id] = f"no figure {when}; it has {words}".replace(
                "no figure ;", "no figure;"
            )
    return reasons


def _missing_reasons(
    observations: pd.DataFrame,
    metric_ids: Sequence[str],
    year: str | None,
    starts: Mapping[str, str],
    people: bool = False,
) -> dict[str, str]:
    """Per unit, why nothing is drawn, saying what the unit does have (never just 'no data')."""
    return _reasons_for_year(_unit_holdings(observations, metric_ids, people), year, starts)


def _context_reasons(
    observations: pd.DataFrame, metric_id: str, starts: Mapping[str, str]
) -> dict[str, str]:
    """Units whose only change figures began before the unit existed: context, not record."""
    rows = observations[
        observations["metric_id"].eq(metric_id)
        & observations["unit_id"].ne(NATIONAL)
        & rules.preferred_mask(observations)
        & ~rules.part_area_mask(observations)
    ]
    reasons = {}
    for unit_id, mine in rows.groupby("unit_id"):
        earlier = [
            f"{row['value_text']} ({row['period_label']})"
            for _, row in mine.iterrows()
            if not rules.change_in_unit_life(row, starts.get(str(unit_id)))
        ]
        if earlier:
            reasons[str(unit_id)] = (
                "the change stated began before the unit existed, so it is context, not the "
                f"unit's record: {'; '.join(earlier)}"
            )
    return reasons


def _hover_source(citation: str, source_short: str, page: object) -> str:
    """The citation when it has a page; a web address is too long for a hover, so name only."""
    return citation if pd.notna(page) else source_short


def _missing_columns(reason: str) -> dict[str, Any]:
    return {
        "value": np.nan,
        "qualifier": pd.NA,
        "value_text": NO_FIGURE_TEXT,
        "period": pd.NA,
        "citation": pd.NA,
        "hover_source": pd.NA,
        "source_short": pd.NA,
        "is_provisional": False,
        "reason": reason,
        "note": "",
        "group": pd.NA,
    }


def _simple_frame(
    units: pd.DataFrame,
    chosen: pd.DataFrame,
    reasons: Mapping[str, str],
    year: str | None,
    people: bool = False,
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
            reason = reasons.get(unit.unit_id) or "no figure for this unit in the sources used"
            start = getattr(unit, "start_year", None)
            if year and isinstance(start, str) and year < start:
                reason = f"the unit began in {financial_year_words(start)}"
            row |= _missing_columns(reason)
        else:
            count = int(fig["alternatives"])
            group = rules.reach_type_words(fig.get("reach_type")) if people else pd.NA
            row |= {
                "value": float(fig["value"]),
                "qualifier": fig["qualifier"],
                "value_text": fig["value_text"] + (f" {group}" if people else ""),
                "period": fig["period_label"],
                "citation": fig["citation"],
                "hover_source": _hover_source(fig["citation"], fig["source_short"], fig["page"]),
                "source_short": fig["source_short"],
                "is_provisional": fig["value_status"] == "provisional",
                "reason": "",
                "note": (
                    "largest of the unit's reach figures for this period; the profile lists "
                    "them all"
                    if people and count > 1
                    else f"one of {count} figures that qualify; the unit's profile lists them all"
                    if count > 1
                    else ""
                ),
                "group": group,
            }
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(UNIT_COLUMNS)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["value"] = frame["value"].astype(float)
    frame["is_provisional"] = frame["is_provisional"].astype(bool)
    return frame


def _starts(store: DataStore) -> dict[str, str]:
    if "start_year" not in store.units.columns:
        return {}
    return {
        str(u): str(s)
        for u, s in zip(store.units["unit_id"], store.units["start_year"], strict=True)
        if isinstance(s, str) and s
    }


def _simple_unit_frames(
    store: DataStore, measure_id: str, years: Sequence[str | None]
) -> dict[str | None, pd.DataFrame]:
    """`unit_values` of one measure for several years, ranking the figures only once."""
    spec = measure(measure_id)
    starts = _starts(store)
    if measure_id == PEOPLE_REACHED:
        metric_ids = rules.reach_metric_ids(store.metrics)
        candidates = _candidates(store.observations, metric_ids)
        holdings = _unit_holdings(store.observations, metric_ids, people=True)
        frames = {}
        for year in years:
            in_year = candidates[candidates["financial_year"].eq(year).fillna(False)]
            chosen = rules.largest_reach(in_year, metric_ids)
            counts = in_year["unit_id"].value_counts()
            chosen = chosen.assign(alternatives=chosen["unit_id"].map(counts).astype(int))
            reasons = _reasons_for_year(holdings, year, starts)
            frames[year] = _simple_frame(store.units, chosen, reasons, year, people=True)
        return frames
    metric_id = spec.metric_ids[0]
    ranked = _ranked(
        _candidates(store.observations, (metric_id,), starts if spec.signed_change else None)
    )
    holdings = _unit_holdings(store.observations, (metric_id,))
    context = _context_reasons(store.observations, metric_id, starts) if spec.signed_change else {}
    frames = {}
    for year in years:
        reasons = _reasons_for_year(holdings, year, starts) | context
        frames[year] = _simple_frame(store.units, _choose(ranked, year), reasons, year)
    return frames


def _per_person_unit_values(store: DataStore, year: str | None) -> pd.DataFrame:
    """Money per person reached, paired exactly as /investment pairs them, for one year."""
    ratios = transforms.funding_per_person_reached(
        store.observations,
        store.units,
        reach_type=transforms.ANY_REACH,
        funding_metrics=transforms.SPENDING_METRICS,
        year=year,
        year_match="exact",
    )
    areas = store.units.set_index("unit_id")["area_name"]
    starts = _starts(store)
    rows = []
    for ratio in ratios.itertuples(index=False):
        row: dict[str, Any] = {
            "unit_id": ratio.unit_id,
            "unit_name": ratio.unit_name,
            "area_name": areas[ratio.unit_id],
        }
        start = starts.get(ratio.unit_id)
        if pd.isna(ratio.value):
            reason = str(ratio.reason)
            if year and start and year < start:
                reason = f"the unit began in {financial_year_words(start)}"
            row |= _missing_columns(reason)
        else:
            citations = [str(c) for c in (ratio.funding_citation, ratio.reach_citation)]
            names = [c.split(",")[0].split(" (")[0] for c in citations]
            group = rules.reach_type_words(ratio.reach_type)
            row |= {
                "value": float(ratio.value),
                "qualifier": ratio.qualifier,
                "value_text": format_figure(round(float(ratio.value)), "gbp", str(ratio.qualifier)),
                "period": ratio.period,
                "citation": "; ".join(dict.fromkeys(citations)),
                "hover_source": "; ".join(dict.fromkeys(names)),
                "source_short": "; ".join(dict.fromkeys(names)),
                "is_provisional": False,
                "reason": "",
                "note": (
                    f"{ratio.funding_label} {ratio.funding_text} ÷ {ratio.reach_text} {group}"
                ),
                "group": group,
            }
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=list(UNIT_COLUMNS)))


def _per_person_unit_frames(
    store: DataStore, years: Sequence[str | None]
) -> dict[str | None, pd.DataFrame]:
    return {year: _per_person_unit_values(store, year) for year in years}


def unit_values(store: DataStore, measure_id: str, year: str | None) -> pd.DataFrame:
    """One row per unit (all of them, in the store's order): the figure shown, or why none.

    Without a year, a yearly measure shows its default year (`default_year`), so a map never
    colours figures of different years together; a signed change has no yearly figures and
    shows each unit's change over the unit's life, with its period.
    """
    if year is None and not measure(measure_id).signed_change:
        year = default_year(store, measure_id)
    if measure(measure_id).signed_change:
        year = None
    if measure_id == PER_PERSON:
        return _per_person_unit_values(store, year)
    return _simple_unit_frames(store, measure_id, [year])[year]


def _best_year(frames: Mapping[str | None, pd.DataFrame]) -> str | None:
    """The latest year with the widest coverage (most units with a figure)."""
    best, best_count = None, 0
    for year, frame in frames.items():
        if year is None:
            continue
        count = int(frame["value"].notna().sum())
        if count and count >= best_count:
            best, best_count = year, count
    return best


def default_year(store: DataStore, measure_id: str) -> str | None:
    """The year a map of `measure_id` shows when none is chosen (None for signed changes)."""
    if measure(measure_id).signed_change:
        return None
    years = store.programme_years
    if measure_id == PER_PERSON:
        frames = _per_person_unit_frames(store, years)
    else:
        frames = _simple_unit_frames(store, measure_id, years)
    return _best_year(frames) or (years[-1] if years else None)


def coverage_for(store: DataStore) -> pd.DataFrame:
    """Which unit covers each of the 43 forces; needs the boundaries in the store."""
    if store.boundaries is None:
        raise ValueError("the store was loaded without boundaries (load_store(..., geo_path))")
    return unit_coverage(store.units, force_table(store.boundaries))


def hover_text(row: Mapping[str, Any], measure_label: str) -> str:
    """What a hover says after the force's name: unit, figure with qualifier, period, source.

    For a missing figure the map's hover template already begins with "No figure:", so the
    reason comes first.
    """
    if pd.isna(row["value"]):
        return f"{row['reason']}<br>{row['unit_name']} · {measure_label}"
    pairing = f"<br>{row['note']}" if "÷" in str(row.get("note") or "") else ""
    return (
        f"{row['unit_name']}<br>{measure_label}: <b>{row['value_text']}</b>{pairing}<br>"
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
    units: pd.DataFrame,
    selection: Selection,
    store_units: pd.DataFrame,
    forces: int,
    *,
    year: str | None = None,
) -> MapTexts:
    """Title, subtitle, one-sentence summary and source line for the map of a selection.

    `year` is the year drawn (the chosen one, or the measure's default); the highest and
    lowest are named only among figures of that one year (or, for changes, each with its own
    period).
    """
    texts = _texts_of_year(units, selection, store_units, forces, year=year)
    return dataclasses.replace(texts, summary=texts.summary + selected_words(units, selection))


def selected_words(units: pd.DataFrame, selection: Selection) -> str:
    """' Selected: Kent: £1.2m (2021/22)...': the chosen units' figures, said after the
    summary of every unit (empty when none is chosen)."""
    chosen = [u for u in selection.units if u in set(units["unit_id"])]
    if not chosen:
        return ""
    picked = units.set_index("unit_id").loc[chosen]
    described = [
        f"{row.unit_name}: {row.value_text}"
        + (f" ({row.period})" if pd.notna(row.period) else f" ({row.reason})")
        for row in picked.itertuples()
    ]
    words = " Selected: " + "; ".join(described[:3])
    return words + (f" and {len(described) - 3} more." if len(described) > 3 else ".")


def _texts_of_year(
    units: pd.DataFrame,
    selection: Selection,
    store_units: pd.DataFrame,
    forces: int,
    *,
    year: str | None,
) -> MapTexts:
    """`map_texts` before the chosen units are named: it reads the selection's measure and
    whether a year was chosen, nothing else."""
    measure_id = measure_for(selection)
    label = measure(measure_id).label
    existing = rules.units_in_year(store_units, year)
    shown = units[units["unit_id"].isin(existing["unit_id"])]
    total = len(shown)
    drawn = shown[shown["value"].notna()]
    period = period_phrase(year)
    when = f"for {financial_year_words(year)}" if year else "over the unit's own life"
    units_word = rules.plural(total, "VRU unit")
    if drawn.empty:
        summary = (
            f"None of the {units_word} has a {label} figure {when}; every VRU area says what "
            "it has instead."
        )
    else:
        ordered = drawn.sort_values("value", ascending=False)
        top, low = ordered.iloc[0], ordered.iloc[-1]
        has = "has" if len(drawn) == 1 else "have"
        summary = f"{len(drawn)} of {units_word} {has} a {label} figure {when}"
        if len(drawn) == 1:
            summary += f": {top['unit_name']}, {top['value_text']} ({top['period']})"
        else:
            summary += (
                f"; the highest is {top['unit_name']} at {top['value_text']} "
                f"({top['period']}) and the lowest {low['unit_name']} at {low['value_text']} "
                f"({low['period']})"
            )
        missing = total - len(drawn)
        summary += (
            f"; {missing} {'has' if missing == 1 else 'have'} no figure {when}." if missing else "."
        )
        if not year and len(drawn) > 1:
            summary += " Their periods differ, so compare them with care."
    sources = sorted(set(drawn["source_short"].dropna().str.split("; ").explode()))
    source_line = (
        "Source: " + "; ".join(sources) + ". Page or web address of each figure in the table."
        if sources
        else "Source: no figures for this selection."
    )
    chosen_year = f"financial year {financial_year_words(year)}" if year else period
    if year and not selection.year:
        chosen_year += " (the latest year with figures for the most units)"
    return MapTexts(
        title=f"{label} by police force area",
        subtitle=subtitle_for(
            f"{label} ({rule_words(measure_id, year)})",
            f"{total} VRU units in {forces} police force areas of England and Wales",
            chosen_year,
        ),
        summary=summary,
        source_line=source_line,
    )


@dataclass(frozen=True)
class MapData:
    """Everything the map's callbacks need, for one data version (frames on first use).

    `unit_frames[(measure_id, year)]` is `unit_values` for every measure and every programme
    year (and None for signed changes, which have no yearly figures). `default_years` gives the
    year shown when none is chosen. Spreading a unit frame over the 43 forces (`frame_for`) is
    a lookup-join of 20 rows, cheap enough to do per request.
    """

    geojson: Mapping[str, Any]
    forces: pd.DataFrame
    coverage: pd.DataFrame
    units: pd.DataFrame
    years: tuple[str, ...]
    colorbar_titles: Mapping[str, str]
    money: Mapping[str, bool]
    unit_frames: Mapping[tuple[str, str | None], pd.DataFrame]
    default_years: Mapping[str, str | None]
    labels: tuple[AreaLabel, ...] = ()

    def key(self, selection: Selection) -> tuple[str, str | None]:
        measure_id = measure_for(selection)
        if measure(measure_id).signed_change:
            return measure_id, None
        year = selection.year if selection.year in self.years else None
        return measure_id, year or self.default_years.get(measure_id)

    def units_for(self, selection: Selection) -> pd.DataFrame:
        return self.unit_frames[self.key(selection)]

    def frame_for(self, selection: Selection) -> pd.DataFrame:
        measure_id, _ = key = self.key(selection)
        return map_frame(self.unit_frames[key], self.coverage, measure(measure_id).label)

    def work_out_all(self) -> None:
        """Every measure's frames now (preparing a release off the request path)."""
        if isinstance(self.unit_frames, _UnitFrames):
            self.unit_frames.measures.work_out_all()

    def texts_for(self, selection: Selection) -> MapTexts:
        _measure, year = self.key(selection)
        return map_texts(
            self.units_for(selection), selection, self.units, len(self.forces), year=year
        )


class _MeasureFrames:
    """Each measure's unit frames (every programme year) and default year, worked out the
    first time the measure is asked for and then kept with this data version.

    Why lazily: all measures together took seconds after every release, paid by the first map
    request; a map shows one measure, and a click on the map needs none.
    """

    def __init__(self, store: DataStore, years: tuple[str, ...]) -> None:
        self._store = store
        self._years = years
        self._done: dict[str, tuple[dict[str | None, pd.DataFrame], str | None]] = {}
        self._lock = threading.RLock()  # a measure's default may need the first measure's

    def of(self, measure_id: str) -> tuple[dict[str | None, pd.DataFrame], str | None]:
        found = self._done.get(measure_id)
        if found is None:
            if measure_id not in MEASURE_IDS:
                raise KeyError(measure_id)
            with self._lock:
                found = self._done.get(measure_id) or self._work_out(measure_id)
                self._done[measure_id] = found
        return found

    def _work_out(self, measure_id: str) -> tuple[dict[str | None, pd.DataFrame], str | None]:
        store, years = self._store, self._years
        if measure(measure_id).signed_change:
            frames = _simple_unit_frames(store, measure_id, [None])
        elif measure_id == PER_PERSON:
            frames = _per_person_unit_frames(store, years)
        else:
            frames = _simple_unit_frames(store, measure_id, years)
        # A measure with no yearly figure at all shows the grant's year (the first measure).
        first = MEASURE_IDS[0]
        fallback = (self.of(first)[1] if measure_id != first else None) or (
            years[-1] if years else None
        )
        default = None if measure(measure_id).signed_change else _best_year(frames) or fallback
        return frames, default

    def keys(self) -> list[tuple[str, str | None]]:
        return [(m, y) for m in MEASURE_IDS for y in self.of(m)[0]]

    def work_out_all(self) -> None:
        for measure_id in MEASURE_IDS:
            self.of(measure_id)


class _UnitFrames(Mapping):
    """`MapData.unit_frames`: (measure, year) -> frame, each measure worked out on first use."""

    def __init__(self, measures: _MeasureFrames) -> None:
        self._measures = measures

    @property
    def measures(self) -> _MeasureFrames:
        return self._measures

    def __getitem__(self, key: tuple[str, str | None]) -> pd.DataFrame:
        measure_id, year = key
        return self._measures.of(measure_id)[0][year]

    def __iter__(self) -> Iterator[tuple[str, str | None]]:
        return iter(self._measures.keys())

    def __len__(self) -> int:
        return len(self._measures.keys())


class _DefaultYears(Mapping):
    """`MapData.default_years`: measure -> the year shown when none is chosen."""

    def __init__(self, measures: _MeasureFrames) -> None:
        self._measures = measures

    def __getitem__(self, measure_id: str) -> str | None:
        return self._measures.of(measure_id)[1]

    def __iter__(self) -> Iterator[str]:
        return iter(MEASURE_IDS)

    def __len__(self) -> int:
        return len(MEASURE_IDS)


def prepare_map_data(store: DataStore) -> MapData:
    """What the map needs for this store; each measure's frames are worked out the first time
    the measure is shown (then kept as long as this data version is served)."""
    if store.boundaries is None:
        raise ValueError("the store was loaded without boundaries (load_store(..., geo_path))")
    forces = force_table(store.boundaries)
    coverage = unit_coverage(store.units, forces)
    years = store.programme_years
    measures = _MeasureFrames(store, years)
    return MapData(
        geojson=store.boundaries,
        forces=forces,
        coverage=coverage,
        units=store.units,
        years=years,
        colorbar_titles=MappingProxyType({m: colorbar_title_for(store, m) for m in MEASURE_IDS}),
        money=MappingProxyType({m: unit_of_measure_for(store, m) == "gbp" for m in MEASURE_IDS}),
        unit_frames=_UnitFrames(measures),
        default_years=_DefaultYears(measures),
        labels=labels_for(store, coverage),
    )


def map_data_for(store: DataStore) -> MapData:
    """`prepare_map_data`, once per data version (kept with the store)."""
    return store.derived(("map-data",), lambda: prepare_map_data(store))


def scale_options(measure_id: str, money: bool) -> dict[str, bool]:
    """Keyword options of the map's colour scale: £ on money, diverging for signed changes."""
    return {"money": money, "signed": bool(measure(measure_id).signed_change)}


def coloraxis_for(data: MapData, selection: Selection) -> dict[str, Any]:
    """The whole colour axis of the map for a selection (for replacing it with `dash.Patch`).

    A signed change gets a diverging scale centred on 0 (a small fall never looks like a rise);
    other measures a linear scale, or a log scale when one figure dwarfs the rest (see
    `dashboard.figures.area_map.value_scale`); tick labels are written out, with £ for money.
    """
    measure_id = measure_for(selection)
    return map_scale(
        data.frame_for(selection),
        title=data.colorbar_titles[measure_id],
        **scale_options(measure_id, data.money[measure_id]),
    ).coloraxis


def web_map_figure(data: MapData, selection: Selection) -> go.Figure:
    """The page's map: boundaries by URL (fetched once by the browser), values for the selection."""
    measure_id = measure_for(selection)
    return build_area_map(
        data.frame_for(selection),
        BOUNDARY_URL,
        colorbar_title=data.colorbar_titles[measure_id],
        selected=selection.units,
        labels=data.labels,
        **scale_options(measure_id, data.money[measure_id]),
    )


def first_map_figure(store: DataStore, selection: Selection) -> dict[str, Any]:
    """`web_map_figure(map_data_for(store), selection)` as a plain figure dict, with the drawing
    for the measure and year made once per data version and only the chosen units' outline
    added per request (a page's first map answer after a release is then a lookup)."""
    data = map_data_for(store)
    measure_id, year = data.key(selection)
    drawn = store.derived(
        ("web-map", measure_id, year),
        lambda: web_map_figure(data, Selection((), year, measure_id)).to_plotly_json(),
    )
    traces = list(drawn["data"])
    for index, properties in selected_updates(data.coverage, selection.units).items():
        traces[index] = {**traces[index], **properties}
    return {"data": traces, "layout": drawn["layout"]}


def value_updates(data: MapData, selection: Selection) -> dict[int, dict[str, list[Any]]]:
    """Per trace index, the new values when the measure or year changes (no geometry)."""
    measure_id = measure_for(selection)
    return value_trace_updates(
        data.frame_for(selection), **scale_options(measure_id, data.money[measure_id])
    )


def value_patch(
    store: DataStore, selection: Selection
) -> tuple[dict[int, dict[str, list[Any]]], dict[str, Any]]:
    """(`value_updates`, `coloraxis_for`) of the selection's measure and year, from one spread
    of its figures over the forces, worked out once per data version and (measure, year): a
    change of the year or measure filter then answers with a lookup. Shared: never change it."""
    data = map_data_for(store)
    measure_id, year = data.key(selection)
    return store.derived(
        ("map-value-patch", measure_id, year),
        lambda: _value_patch(data, Selection((), year, measure_id)),
    )


def _value_patch(
    data: MapData, selection: Selection
) -> tuple[dict[int, dict[str, list[Any]]], dict[str, Any]]:
    measure_id = measure_for(selection)
    frame = data.frame_for(selection)
    options = scale_options(measure_id, data.money[measure_id])
    scale = map_scale(frame, title=data.colorbar_titles[measure_id], **options)
    return value_trace_updates(frame, **options), scale.coloraxis


def prepare_value_patches(store: DataStore) -> None:
    """`value_patch` of every measure and year the filters offer (preparing a release)."""
    data = map_data_for(store)
    for measure_id, year in data.unit_frames:
        value_patch(store, Selection((), year, measure_id))


def selected_updates(coverage: pd.DataFrame, units: Sequence[str]) -> dict[int, dict[str, Any]]:
    """Per trace index, the outline of the chosen units' forces, as `build_area_map` draws it."""
    chosen = set(units)
    rows = coverage[coverage["unit_id"].isin(chosen).fillna(False)].sort_values("pfa_code")
    codes = rows["pfa_code"].tolist()
    return {
        TRACE_SELECTED: {"locations": codes, "z": [1.0] * len(codes), "showlegend": bool(codes)}
    }


def labels_for(store: DataStore, coverage: pd.DataFrame) -> tuple[AreaLabel, ...]:
    """The unit names the map draws, each placed inside its area (about 1 s of geometry: done
    once per data version and set of units, and shared by the page, exports and decks)."""
    if store.boundaries is None:
        return ()
    boundaries = store.boundaries
    areas = dict(zip(store.units["unit_id"], store.units["area_name"], strict=True))
    key = ("map-labels", tuple(coverage["unit_id"].astype(str)), tuple(coverage["pfa_code"]))
    return store.derived(key, lambda: area_labels(boundaries, coverage, areas))


def map_texts_for(store: DataStore, selection: Selection) -> MapTexts:
    """`MapData.texts_for` with what every unit's figures say kept per data version, measure,
    year and whether a year was chosen (prepared with the release); only the chosen units'
    sentence is added per answer."""
    data = map_data_for(store)
    measure_id, year = data.key(selection)
    units = data.unit_frames[(measure_id, year)]
    texts = store.derived(
        ("map-texts", measure_id, year, bool(selection.year)),
        lambda: _texts_of_year(units, selection, data.units, len(data.forces), year=year),
    )
    return dataclasses.replace(texts, summary=texts.summary + selected_words(units, selection))


def unit_rows_for(store: DataStore, selection: Selection) -> list[tuple[str, str, str]]:
    """`unit_rows`, kept per data version, measure and year (they depend on nothing else).
    Shared: never change it."""
    data = map_data_for(store)
    return store.derived(
        ("map-unit-rows", *data.key(selection)), lambda: unit_rows(data, selection)
    )


def unit_rows(data: MapData, selection: Selection) -> list[tuple[str, str, str]]:
    """(unit_id, name, figure with its period, or 'no figure') per unit, by name, for the list
    beside the map: what the map colours, readable without finding a 17 px area."""
    frame = data.units_for(selection).sort_values("unit_name")
    rows = []
    for row in frame.itertuples(index=False):
        if pd.isna(row.value):
            words = NO_FIGURE_TEXT
        else:
            words = str(row.value_text) + (f" ({row.period})" if pd.notna(row.period) else "")
        rows.append((str(row.unit_id), str(row.unit_name), words))
    return rows


def unit_for_location(coverage: pd.DataFrame, pfa_code: str) -> str | None:
    """The unit covering a force (None for a force with no VRU, or an unknown code)."""
    match = coverage.loc[coverage["pfa_code"].eq(pfa_code), "unit_id"]
    if match.empty or pd.isna(match.iloc[0]):
        return None
    return str(match.iloc[0])


def profile_targets(data: MapData, selection: Selection, limit: int = 3) -> list[tuple[str, str]]:
    """(unit_id, name) of the chosen units whose profiles the page links to (a few at most)."""
    names = data.units.set_index("unit_id")["name"]
    return [(u, str(names[u])) for u in selection.units if u in names.index][:limit]


def area_map_chart(store: DataStore, selection: Selection) -> ChartResult:
    """The map as a chart result: a self-contained figure (GeoJSON inside) for exports."""
    measure_id = measure_for(selection)
    year = selection.year if selection.year in store.programme_years else None
    if measure(measure_id).signed_change:
        year = None
    elif year is None:
        year = default_year(store, measure_id)
    units = unit_values(store, measure_id, year)
    forces = FORCE_COUNT
    if store.boundaries is None:
        figure = empty_figure("Map boundaries were not loaded")
    else:
        coverage = coverage_for(store)
        forces = len(coverage)
        frame = map_frame(units, coverage, measure(measure_id).label)
        figure = build_area_map(
            frame,
            store.boundaries,
            colorbar_title=colorbar_title_for(store, measure_id),
            selected=selection.units,
            labels=labels_for(store, coverage),
            **scale_options(measure_id, unit_of_measure_for(store, measure_id) == "gbp"),
        )
    texts = map_texts(units, selection, store.units, forces, year=year)
    return ChartResult(
        chart=MAP_CHART,
        title=texts.title,
        subtitle=texts.subtitle,
        source_line=f"{texts.source_line} {BOUNDARY_SOURCE}",
        summary=texts.summary,
        plot=figure,
        table=map_table(units),
        caveats=map_caveats(measure_id, year),
    )


def map_caveats(measure_id: str, year: str | None) -> tuple[str, ...]:
    """What a reader must know to read the map right, for the page, exports and slides."""
    caveats = [
        "Each unit shows one figure: "
        + (
            f"the one stated for {financial_year_words(year)}; the map never mixes years."
            if year
            else "its change over its own life, each over the period its source states."
        ),
        "White areas with a grey outline are VRU areas with no figure for this selection, not "
        "zero; the table says what each of them has instead. Pale grey areas have no VRU.",
        "Figures for part of a unit's area (a borough, hot-spot areas) never colour the whole "
        "area; they are listed in the unit's profile.",
        "The City of London is a police force of its own and is not covered by a VRU; "
        "zoom in on London to see it.",
    ]
    if measure_id == PEOPLE_REACHED:
        caveats.insert(
            1,
            "People reached: each unit's largest single figure for the year, whatever group it "
            "counts (young people, pupils, everyone); groups differ between units.",
        )
    if measure(measure_id).signed_change:
        caveats.insert(
            1,
            "Changes that began before a unit existed (e.g. 'since 2012') are context and "
            "are not coloured.",
        )
    return tuple(caveats)


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name=MAP_CHART,
        title="VRU areas by the chosen measure",
        view=MAP_VIEW,
        build=area_map_chart,
    ),
)
