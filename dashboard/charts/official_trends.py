"""Trends on the publishers' own tables: ONS knife offences (count and rate) and DfE exclusion
rates, for one unit area against England and Wales (or England), or every area side by side.

One question per chart. Each period is drawn from the latest release that gives it; a release's
own series is one line and never joined to another release's; figures quoted in the news are
drawn only for periods no official table covers, as separate marks naming their source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard import transforms
from dashboard.charts.base import ChartResult, ChartSpec, subtitle_for
from dashboard.charts.trends import (
    EXCLUSION_METRICS,
    MONTHS,
    _highlight,
    _not_drawn_lines,
    count,
    possessive,
    series_words,
    short_names,
    short_source_line,
)
from dashboard.charts.trends import NOTES as NOTES_OF_REPORTED_CHARTS
from dashboard.datastore import DataStore
from dashboard.figures.area_trend import build_area_trend
from dashboard.schema import NATIONAL
from dashboard.selection import Selection

OFFICIAL_SOURCES = r"^(ons_pfa_|dfe_exclusions_)"
# The observation columns that not_drawn_notes and the time_points it calls read.
NOTE_COLUMNS = (
    "unit_id",
    "unit_name",
    "metric_id",
    "metric_label",
    "value",
    "value_text",
    "value_status",
    "period_start",
    "period_end",
    "period_label",
    "geography",
    "series",
    "source_id",
    "source_short",
    "page",
    "citation",
)
# The observation columns that official_points reads or hands on to the chart's table.
POINT_COLUMNS = (
    "unit_id",
    "metric_id",
    "value",
    "value_status",
    "period_start",
    "period_end",
    "period_label",
    "series",
    "source_id",
    "geography",
    "value_text",
    "source_short",
    "metric_label",
    "qualifier",
    "citation",
    "note",
)
KNIFE_COUNT = "knife_offences_count"
KNIFE_RATE = "knife_offences_rate_per_100k"
PERMANENT = "permanent_exclusion_rate_pct"
SUSPENSION = "suspension_rate_pct"
WALES_NO_DFE = "No DfE figure: DfE covers schools in England only"
GMP_WORDS = (
    "ONS gives no figure for Greater Manchester for {periods}: its police could not supply "
    "data after moving to a new IT system in July 2019"
)
TABLE_COLUMNS = [
    "panel",
    "metric_label",
    "value_text",
    "qualifier",
    "period_label",
    "series_name",
    "citation",
    "value",
    "unit_id",
    "source_short",
]
NEWS_NOTE = (
    "Open diamonds: figures reported in the news for periods that no official table here "
    "covers, each as its source gives it (the hover names the source); never joined to an "
    "official series.",
)
KNIFE_NOTES = (
    "Each period is drawn from the latest ONS edition that gives it. The line is ONS's series "
    "of years ending March from the September 2019 edition (Table P5); open dots are the "
    "12 months to June, September and December, each from its own edition and never joined "
    "to the line.",
    "Greater Manchester: ONS leaves Greater Manchester Police out of its England and Wales "
    "series of years ending March (Table P5), because of how it recorded offences before "
    "2018, and gives no figure at all for it from July 2019 (new IT system); so those England "
    "and Wales totals leave it out, and say so when you point at them.",
    "A total for a unit of several forces is given only when every force has a figure.",
)
RATE_NOTES = (
    "Rates are computed here: 100,000 x ONS's count / residents, where residents are ONS's "
    "mid-year population estimates (mid-2020 release, the last before the 2021 Census "
    "rebasing) summed over the unit's force areas, for the 30 June inside the 12 months. "
    "England and Wales totals that leave Greater Manchester out are divided by the population "
    "without Greater Manchester. Estimates from mid-2021 on are rebased to the 2021 Census and "
    "are not mixed with these.",
)
EXCLUSION_NOTES = (
    "Rates are recomputed from DfE's counts and pupil headcounts summed over the unit's local "
    "authorities (state-funded schools), never averaged; school years run September to August.",
    "Schools were closed to most pupils for parts of 2019/20 and 2020/21, which lowered "
    "exclusions and suspensions in those years.",
    "Wales: DfE covers schools in England only; Welsh exclusions are published by the Welsh "
    "Government and are not in this data set.",
)


def release_order(series: str) -> tuple[int, int, int]:
    """Sortable (year, month, long series first) of a release: later editions win a period."""
    match = re.match(r"ons_pfa_ye_([a-z]{3})(\d{4})_p(\d+)", series)
    if match:
        month = list(MONTHS).index(match.group(1)) + 1
        return int(match.group(2)), month, int(match.group(3))
    dfe = re.match(r"dfe_(\d{4})_", series)
    return (int(dfe.group(1)) + 1, 8, 0) if dfe else (0, 0, 0)


def area_panels(store: DataStore, selection: Selection) -> list[str]:
    """The chosen units (or all), by name."""
    names = short_names(store)
    units = tuple(selection.units) or tuple(store.units["unit_id"])
    return [names[u] for u in units]


def unit_starts(store: DataStore) -> dict[str, pd.Timestamp | None]:
    """Each unit's first day (1 April of its first financial year), keyed by its short name."""
    names = short_names(store)
    starts: dict[str, pd.Timestamp | None] = {}
    for unit_id, year in zip(store.units["unit_id"], store.units["start_year"], strict=True):
        starts[names[unit_id]] = (
            pd.Timestamp(int(str(year)[:4]), 4, 1) if pd.notna(year) and year else None
        )
    return starts


def _placeable(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows transforms.time_points would draw, found column-wise (this view draws every
    unit's official series, thousands of rows); the others are listed by not_drawn_notes."""
    days = (rows["period_end"] - rows["period_start"]).dt.days
    keep = (
        rows["value"].notna()
        & rows["value_status"].ne("chart_only")
        & rows["period_start"].notna()
        & rows["period_end"].notna()
        & days.le(transforms.LONGEST_POINT_DAYS).fillna(False)
    )
    drawn = rows[keep].copy()
    drawn["series_key"] = drawn["series"].fillna(drawn["source_id"]).astype(str)
    drawn["x"] = drawn["period_end"]
    return drawn


def _main_series(points: pd.DataFrame) -> dict[str, str]:
    """Each unit's main series: of its releases with more than one point, the one with most
    points, then the latest release, then the last series key in sorted order.

    Counted in plain Python: a groupby over tuples of releases fell back to Python anyway and
    was the slowest step of the chart.
    """
    found: dict[tuple[str, str], list] = {}
    for unit, key, release in zip(
        points["unit_id"].tolist(),
        points["series_key"].tolist(),
        points["release"].tolist(),
        strict=True,
    ):
        entry = found.setdefault((unit, key), [0, release])
        entry[0] += 1
        entry[1] = max(entry[1], release)
    best: dict[str, tuple] = {}
    for (unit, key), (size, release) in found.items():
        rank = (size, release, key)
        if size > 1 and (unit not in best or rank > best[unit]):
            best[unit] = rank
    return {unit: rank[2] for unit, rank in best.items()}


def official_points(
    store: DataStore,
    selection: Selection,
    metric: str,
    national: str = NATIONAL,
    national_name: str = "England and Wales",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(area points, national points, news-reported points) of one metric, ready to draw.

    For each area and period the latest release's figure is kept; an area's main series (the
    line) is its release with most points. News-reported figures are kept only where no
    official table gives the area a figure for a period that ends on the same day.

    Every area's points are worked out once per data version and the chosen areas' picked:
    an area's points depend on its own rows alone, and the sorts are stable, so the picked
    rows are the rows worked out for those areas (tested).
    """
    every = store.derived(
        ("official-points", metric, national, national_name),
        lambda: _points_of(store, tuple(store.units["unit_id"]), metric, national, national_name),
    )
    if not selection.units:
        return every
    chosen = {*selection.units, national}
    return tuple(frame[frame["unit_id"].isin(chosen)] for frame in every)  # type: ignore[return-value]


def prepare(store: DataStore) -> None:
    """Every area's points of each official series, as the charts and their notes ask for
    them, kept with the data version (dashboard/prepare.py)."""
    for metric in (KNIFE_COUNT, KNIFE_RATE, PERMANENT, SUSPENSION):
        names = (
            ("England and Wales",)
            if metric in (KNIFE_COUNT, KNIFE_RATE)
            else ("England", "England and Wales")
        )
        for name in names:
            official_points(store, Selection(), metric, national_name=name)
        not_drawn_notes(store, Selection(), metric)
        _gap_words_for(store, (), metric)
    for chart in CHART_SETTINGS:  # what the trends page first shows: every unit
        _chart_parts(store, (), chart)


def prepare_units(store: DataStore) -> None:
    """What each official trend chart says of each unit alone (a later step of preparing a
    release: it waits for an idle worker, where `prepare` comes before the release is served)."""
    for chart in CHART_SETTINGS:
        for unit_id in store.unit_ids:
            _chart_parts(store, (unit_id,), chart)


def _points_of(
    store: DataStore, units: tuple[str, ...], metric: str, national: str, national_name: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """`official_points` of the given areas, worked out."""
    names = short_names(store)
    # Only the columns used here and in the table: every filter and sort below copies them.
    rows = transforms.observations_for(
        store.observations[list(POINT_COLUMNS)], units=(*units, national), metrics=(metric,)
    )
    rows = rows[rows["value_status"] != "alternative"]
    drawn = _placeable(rows)
    official = drawn["source_id"].str.match(OFFICIAL_SOURCES)
    ours, news = drawn[official].copy(), drawn[~official].copy()
    ours["release"] = transforms.each_once(ours["series"], release_order)
    ours = ours.sort_values("release", kind="stable").drop_duplicates(
        ["unit_id", "period_start", "period_end"], keep="last"
    )
    ours = ours[~_withdrawn(store, ours, metric)].copy()
    main = _main_series(ours)
    ours["is_main"] = ours["unit_id"].map(main).eq(ours["series_key"])
    covered = set(zip(ours["unit_id"], ours["period_end"], strict=True))
    news = news[
        [(u, e) not in covered for u, e in zip(news["unit_id"], news["period_end"], strict=True)]
    ].copy()
    news["is_main"] = False
    for frame in (ours, news):
        frame["panel"] = [
            national_name if u == national else names[u] for u in frame["unit_id"].tolist()
        ]
        frame["series_name"] = transforms.each_once(frame["series_key"], series_words)
        frame["hover_text"] = [
            f"<b>{p}</b><br>{v}<br>{pl}<br>{g}<br>{sn}<br>{src}"
            for p, v, pl, g, sn, src in zip(
                frame["panel"],
                frame["value_text"],
                frame["period_label"],
                frame["geography"].fillna(""),
                frame["series_name"],
                frame["source_short"],
                strict=True,
            )
        ]
    news["hover_text"] = [
        f"Reported in the news, not an official table<br>{h}" for h in news["hover_text"]
    ]
    keep = [*TABLE_COLUMNS, "note", "x", "period_start", "period_end", "series_key", "is_main",
            "hover_text"]  # fmt: skip
    ours, news = ours[keep], news[keep]
    is_national = ours["unit_id"] == national
    return (
        ours[~is_national].sort_values("x", kind="stable"),
        ours[is_national].sort_values("x", kind="stable"),
        news.sort_values("x", kind="stable"),
    )


def not_drawn_notes(store: DataStore, selection: Selection, metric: str) -> tuple[str, ...]:
    """The chosen units' other figures of this kind, listed with their sources: news-quoted
    figures that cannot be placed in time, and (for exclusions) the measures that local
    releases and reports give instead of DfE's rates. Nothing a source gave is dropped.

    Every unit's lines are worked out once per data version and the chosen units' picked: a
    line depends on its own row alone and the picking keeps the order (tested)."""
    every = store.derived(
        ("not-drawn-notes", metric),
        lambda: _not_drawn_by_unit(store, tuple(store.units["unit_id"]), metric),
    )
    chosen = set(selection.units or store.units["unit_id"])
    return tuple(line for unit, line in every if unit in chosen)


def _not_drawn_by_unit(
    store: DataStore, units: tuple[str, ...], metric: str
) -> tuple[tuple[str, str], ...]:
    """(unit, line) of `not_drawn_notes` for the given units, in the order they are listed."""
    names = short_names(store)
    kinds = (metric,)
    if metric == PERMANENT:
        kinds = tuple(m for m in EXCLUSION_METRICS if m not in (PERMANENT, SUSPENSION))
        kinds += (PERMANENT,)
    # Only the columns read here (time_points copies and sorts what it is given).
    rows = transforms.observations_for(
        store.observations[list(NOTE_COLUMNS)], units=units, metrics=kinds
    )
    rows = rows[~rows["source_id"].str.match(OFFICIAL_SOURCES)]
    drawn, rest = transforms.time_points(rows)
    if metric == PERMANENT:
        other = drawn[drawn["metric_id"] != PERMANENT]
        listed = tuple(
            (
                r["unit_id"],
                f"{names.get(r['unit_id'], 'England')}: {r['metric_label']} {r['value_text']}, "
                f"{r['period_label']} ({r['citation']}): a local or reported figure, listed "
                "rather than drawn beside DfE's series.",
            )
            for _, r in other.iterrows()
        )
    else:
        listed = ()
    lines = _not_drawn_lines(rest, names)
    return (*zip(rest["unit_id"].tolist(), lines, strict=True), *listed)


def _gap_metrics(metric: str) -> list[str]:
    """The metrics whose listed gaps apply to a chart of `metric` (a rate has its count's)."""
    if metric == KNIFE_RATE:
        return [KNIFE_COUNT, KNIFE_RATE]
    return [metric, "exclusions"] if metric in (PERMANENT, SUSPENSION) else [metric]


def _withdrawn(store: DataStore, points: pd.DataFrame, metric: str) -> pd.Series:
    """Points for a period that a later release of the same publisher gives no figure for
    (e.g. ONS's September 2019 tables drop Greater Manchester's earlier years): not drawn."""
    gaps = store.official_gaps
    gaps = gaps[gaps["metric_id"].isin(_gap_metrics(metric)) & gaps["period_label"].ne("")]
    later = {
        (u, p): release_order(s)
        for u, p, s in zip(gaps["unit_id"], gaps["period_label"], gaps["series"], strict=True)
    }
    return pd.Series(
        [
            (u, p) in later and later[(u, p)] > r
            for u, p, r in zip(
                points["unit_id"], points["period_label"], points["release"], strict=True
            )
        ],
        index=points.index,
        dtype=bool,
    )


def _period_order(label: str) -> pd.Timestamp:
    try:
        return pd.Timestamp("1 " + label.replace("year ending ", ""))
    except ValueError:
        return pd.Timestamp.max


def _gap_words(store: DataStore, unit_id: str, metric: str) -> str:
    """Why the publisher gives a unit no figure for some periods ('' when it always does)."""
    return _gap_words_for(store, (unit_id,), metric)[unit_id]


def _gap_words_for(store: DataStore, units: tuple[str, ...], metric: str) -> dict[str, str]:
    """`_gap_words` of several units: every unit's are worked out once per data version (a
    unit's words depend on its own gaps alone) and these units' picked."""
    every = store.derived(
        ("gap-words", metric),
        lambda: _gap_words_worked_out(store, tuple(store.units["unit_id"]), metric),
    )
    return {u: every[u] if u in every else _gap_words_worked_out(store, (u,), metric)[u]
            for u in units}  # fmt: skip


def _gap_words_worked_out(store: DataStore, units: tuple[str, ...], metric: str) -> dict[str, str]:
    gaps = store.official_gaps
    gaps = gaps[gaps["metric_id"].isin(_gap_metrics(metric)) & gaps["unit_id"].isin(units)]
    by_unit = dict(tuple(gaps.groupby("unit_id", sort=False)))
    return {u: _gap_words_of(u, by_unit.get(u, gaps.iloc[:0])) for u in units}


def _gap_words_of(unit_id: str, mine: pd.DataFrame) -> str:
    if mine.empty:
        return ""
    if unit_id == "greater_manchester":
        periods = sorted(set(mine["period_label"]), key=_period_order)
        return GMP_WORDS.format(periods=", ".join(periods))
    return "; ".join(sorted(set(mine["reason"])))


def _table(*frames: pd.DataFrame) -> pd.DataFrame:
    parts = [f for f in frames if not f.empty]
    if not parts:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.concat(parts).reindex(columns=TABLE_COLUMNS).reset_index(drop=True)


def _latest(points: pd.DataFrame) -> pd.Series | None:
    main = points[points["is_main"]]
    pool = main if not main.empty else points
    return pool.sort_values("x").iloc[-1] if not pool.empty else None


def _summary(
    store: DataStore,
    selection: Selection,
    areas: pd.DataFrame,
    national: pd.DataFrame,
    metric: str,
    national_name: str,
    noun: str,
) -> str:
    names = short_names(store)
    units = tuple(selection.units) or tuple(store.units["unit_id"])
    present = set(areas["unit_id"])
    missing = [u for u in units if u not in present]
    reasons = _gap_words_for(store, units, metric)
    if len(units) == 1:
        unit = units[0]
        mine = _latest(areas[areas["unit_id"] == unit])
        if mine is None:
            why = reasons[unit] or "the publisher gives no figure for it"
            return f"No official {noun} for {names[unit]}: {why}."
        text = (
            f"{possessive(names[unit])} latest {noun} is {mine['value_text']} "
            f"({mine['period_label']})"
        )
        theirs = national[national["period_end"] == mine["period_end"]]
        if not theirs.empty:
            text += f"; {national_name}: {theirs.iloc[0]['value_text']}"
        text += "."
        if reasons[unit]:
            text += f" {reasons[unit]}."
        return text
    shown = len(units) - len(missing)
    text = f"{shown} of {count(len(units), 'unit area')} {'has' if shown == 1 else 'have'} a {noun}"
    latest = _latest(national)
    if latest is not None:
        text += f"; {national_name}: {latest['value_text']} ({latest['period_label']})"
    text += "."
    for unit in missing:
        text += f" {names[unit]}: {reasons[unit] or 'no official figure'}."
    partial = [u for u in units if u not in missing and reasons[u]]
    for unit in partial:
        text += f" {names[unit]}: {reasons[unit]}."
    return text


def _empty_panels(store: DataStore, selection: Selection, areas: pd.DataFrame, metric: str):
    names = short_names(store)
    units = tuple(selection.units) or tuple(store.units["unit_id"])
    present = set(areas["unit_id"])
    return {
        names[u]: (WALES_NO_DFE if u == "wales" and metric in (PERMANENT, SUSPENSION) else
                   "No official figure")
        for u in units
        if u not in present
    }  # fmt: skip


@dataclass(frozen=True)
class _ChartParts:
    """What an official trend chart shows that the year filter does not change: its points,
    panels, table, words and notes. Kept per data version, chart and chosen units, so that a
    change of year (which only shades a period) builds the figure alone. Shared: never
    change it."""

    areas: pd.DataFrame
    national: pd.DataFrame
    news: pd.DataFrame
    panels: list[str]
    starts: dict[str, pd.Timestamp | None]
    empty_panels: dict[str, str]
    table: pd.DataFrame
    summary: str
    source_line: str
    caveats: tuple[str, ...]


def _chart_parts(store: DataStore, units: tuple[str, ...], chart: str) -> _ChartParts:
    """`_ChartParts` of every unit or of one unit are kept (21 per chart); those of any other
    set of units are worked out per answer, so that no visitor can grow the memory."""
    return store.derived(
        ("official-chart-parts", chart, units),
        lambda: _parts_of(store, Selection(units), CHART_SETTINGS[chart]),
        keep=len(units) <= 1,
    )


def _parts_of(store: DataStore, selection: Selection, settings: TrendChart) -> _ChartParts:
    metric, national_name = settings.metric, settings.national_name
    areas, national, news = official_points(store, selection, metric, national_name=national_name)
    table = _table(areas, national, news)
    return _ChartParts(
        areas=areas,
        national=national,
        news=news,
        panels=area_panels(store, selection),
        starts=unit_starts(store),
        empty_panels=_empty_panels(store, selection, areas, metric),
        table=table,
        summary=_summary(store, selection, areas, national, metric, national_name, settings.noun),
        source_line=short_source_line(table),
        caveats=(
            *settings.notes,
            *(NEWS_NOTE if not news.empty else ()),
            *not_drawn_notes(store, selection, metric),
        ),
    )


def _chart(store: DataStore, selection: Selection, chart: str) -> ChartResult:
    settings = CHART_SETTINGS[chart]
    national_name, national_in_panels = settings.national_name, settings.national_in_panels
    parts = _chart_parts(store, tuple(selection.units), chart)
    panels = parts.panels
    figure = build_area_trend(
        parts.areas,
        parts.national,
        parts.news,
        panels=panels,
        national_name=national_name,
        starts=parts.starts,
        y_title=settings.y_title,
        national_in_panels=national_in_panels,
        empty_panels=parts.empty_panels,
        highlight=_highlight(selection),
    )
    shared = "" if len(panels) == 1 else "; areas share both axes; pick one area for every edition"
    if not national_in_panels and len(panels) > 1:
        # The areas' panels share one y axis; the national total would flatten them, so its
        # panel has a scale of its own (dashboard/figures/area_trend.py).
        shared = f"; areas share one scale, {national_name} has its own (compare areas on the rate)"
    return ChartResult(
        chart=chart,
        title=settings.title,
        subtitle=subtitle_for(
            settings.measure,
            (panels[0] if len(panels) == 1 else f"{len(panels)} unit areas")
            + f" and {national_name}",
            "dashed line: the unit's start"
            + (f"; {selection.year.replace('-', '/')} shaded" if selection.year else "")
            + shared,
        ),
        source_line=parts.source_line,
        summary=parts.summary,
        plot=figure,
        table=parts.table.copy(),  # callers may add to their table
        caveats=parts.caveats,
    )


@dataclass(frozen=True)
class TrendChart:
    """One official trend chart: its series and national comparison, and its words."""

    metric: str
    title: str
    measure: str
    y_title: str
    national_name: str
    noun: str
    notes: tuple[str, ...]
    national_in_panels: bool


# Each official trend chart, by chart name.
CHART_SETTINGS: dict[str, TrendChart] = {
    "knife-offences-series": TrendChart(
        metric=KNIFE_COUNT,
        title="How many knife offences did the police record?",
        measure="Knife or sharp instrument offences in 12 months (ONS)",
        y_title="Offences in 12 months",
        national_name="England and Wales",
        noun="count of knife offences",
        notes=KNIFE_NOTES,
        national_in_panels=False,
    ),
    "knife-rate-series": TrendChart(
        metric=KNIFE_RATE,
        title="Knife offences per 100,000 residents: the unit area against England and Wales",
        measure="Offences per 100,000 residents (ONS counts, ONS mid-year populations)",
        y_title="Offences per 100,000 residents",
        national_name="England and Wales",
        noun="knife offence rate",
        notes=RATE_NOTES + KNIFE_NOTES,
        national_in_panels=True,
    ),
    "school-exclusions": TrendChart(
        metric=PERMANENT,
        title="Permanent exclusions as a share of pupils, against England",
        measure="Permanent exclusions, % of pupils (DfE)",
        y_title="% of pupils",
        national_name="England",
        noun="permanent exclusion rate",
        notes=EXCLUSION_NOTES,
        national_in_panels=True,
    ),
    "suspension-rates": TrendChart(
        metric=SUSPENSION,
        title="Suspensions as a share of pupils, against England",
        measure="Suspensions, % of pupils (DfE)",
        y_title="% of pupils",
        national_name="England",
        noun="suspension rate",
        notes=EXCLUSION_NOTES,
        national_in_panels=True,
    ),
}


def knife_count_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _chart(store, selection, "knife-offences-series")


def knife_rate_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _chart(store, selection, "knife-rate-series")


def permanent_exclusion_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _chart(store, selection, "school-exclusions")


def suspension_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _chart(store, selection, "suspension-rates")


def _notes_for(metric: str, notes: tuple[str, ...]):
    """The notes of one chart without building its figure (the notes callback needs no more)."""

    def notes_of(store: DataStore, selection: Selection) -> tuple[str, ...]:
        _, _, news = official_points(store, selection, metric)
        extra = NEWS_NOTE if not news.empty else ()
        return (*notes, *extra, *not_drawn_notes(store, selection, metric))

    return notes_of


NOTES = {name: _notes_for(chart.metric, chart.notes) for name, chart in CHART_SETTINGS.items()}

# The notes under every chart of the trends view, by chart name.
TREND_NOTES = {**NOTES_OF_REPORTED_CHARTS, **NOTES}

SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="knife-offences-series",
        title="How many knife offences did the police record?",
        view="trends",
        build=knife_count_chart,
    ),
    ChartSpec(
        name="knife-rate-series",
        title="Knife offences per 100,000 residents",
        view="trends",
        build=knife_rate_chart,
    ),
    ChartSpec(
        name="school-exclusions",
        title="Permanent exclusions as a share of pupils",
        view="trends",
        build=permanent_exclusion_chart,
    ),
    ChartSpec(
        name="suspension-rates",
        title="Suspensions as a share of pupils",
        view="trends",
        build=suspension_chart,
    ),
)
