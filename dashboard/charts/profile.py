"""Charts of one unit's profile: its funding history, reach and outcomes, each figure cited.

The unit is `selection.units[0]`. On the profile page the unit comes from the address
(/unit/<unit_id>) through callbacks/profile.py; exports and embeds pass it as `?unit=<unit_id>`,
so the same builders serve all three.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import rules, transforms
from dashboard.charts.base import (
    ChartResult,
    ChartSpec,
    period_words,
    source_line_for,
    subtitle_for,
)
from dashboard.datastore import DataStore
from dashboard.figures.theme import empty_plot
from dashboard.figures.unit_figures import AREA_MAP_KEY, build_figure_panels, build_unit_area_map
from dashboard.geography import (
    BOUNDARY_PATH,
    BOUNDARY_URL,
    force_table,
    load_boundaries,
    unit_coverage,
)
from dashboard.selection import Selection

TABLE_COLUMNS = (
    "metric_label",
    "value_text",
    "qualifier",
    "period_label",
    "geography",
    "citation",
    "note",
    "value",
    "baseline_value",
    "unit_of_measure",
    "value_status",
    "source_short",
    "obs_id",
)
NO_UNIT_MESSAGE = "Choose one unit to see its figures"
LABEL_WIDTH = 42


def profile_unit(store: DataStore, selection: Selection) -> pd.Series | None:
    """The unit a profile chart is about: the first chosen unit, if the store knows it."""
    if not selection.units:
        return None
    units = store.units.set_index("unit_id", drop=False)
    unit_id = selection.units[0]
    return units.loc[unit_id] if unit_id in units.index else None


def area_map_for(store: DataStore, unit_id: str) -> tuple[dict, str]:
    """The profile's locator map (a figure dict) and the words that describe it, drawn once per
    data version and unit (dashboard/prepare.py draws every unit's while the worker is idle)."""

    def draw() -> tuple[dict, str]:
        boundaries = store.boundaries or load_boundaries(BOUNDARY_PATH)
        coverage = unit_coverage(store.units, force_table(boundaries))
        name = str(store.units.set_index("unit_id").loc[unit_id, "name"])
        area = transforms.unit_area_frame(coverage, store.units, unit_id)
        figure = build_unit_area_map(area, BOUNDARY_URL, unit_id=unit_id, unit_name=name)
        forces = list(area.loc[area["unit_id"] == unit_id, "pfa_name"])
        kind = "police force areas: " if len(forces) > 1 else "police force area: "
        words = (
            f"Map of England and Wales: the area of {name} ({kind}{', '.join(forces)}) is "
            f"{AREA_MAP_KEY}."
        )
        return figure.to_plotly_json(), words

    return store.derived(("unit-area-map", unit_id), draw)


def prepare(store: DataStore) -> None:
    """Every unit's profile figures and details (all years) and locator map, kept with the
    data version."""
    for unit_id in store.units["unit_id"]:
        unit_figures_for(store, str(unit_id), (), None)
        profile_details(store, str(unit_id), None)
        area_map_for(store, str(unit_id))


def prepare_years(store: DataStore) -> None:
    """Every unit's profile details in each year the year filter offers (a later step)."""
    for year in store.programme_years:
        for unit_id in store.units["unit_id"]:
            profile_details(store, str(unit_id), year)


@dataclass(frozen=True)
class ProfileDetails:
    """What a profile says beside its charts, as plain data (the layouts make the components):
    where its leadership, area and model come from, its figures by category, how many earlier
    official rows the tables leave to the Trends page, and its sources. Shared by every request
    for the same data version, unit and year: read it, never change it."""

    details: str
    groups: tuple[tuple[str, str, list[dict[str, Any]]], ...]
    earlier: int
    sources: list[dict[str, Any]]


def profile_details(store: DataStore, unit_id: str, year: str | None) -> ProfileDetails:
    """`ProfileDetails` of a unit the store knows, worked out once per data version and year
    (every unit's for all years while the worker is idle: dashboard/prepare.py)."""
    return store.derived(
        ("profile-details", unit_id, year), lambda: _details_of(store, unit_id, year)
    )


def _details_of(store: DataStore, unit_id: str, year: str | None) -> ProfileDetails:
    unit = store.units.set_index("unit_id", drop=False).loc[unit_id]
    figures = unit_figures_for(store, unit_id, (), year)
    source_rows = transforms.unit_sources(
        figures,
        store.sources,
        details_source=str(unit["source_id"]),
        details_page=None if pd.isna(unit["page"]) else int(unit["page"]),
    )
    sources = store.sources.set_index("source_id")
    short = store.observations.loc[
        store.observations["source_id"] == unit["source_id"], "source_short"
    ]
    # A unit row cites a page of its source or, for units added later, a web page.
    where = f", p. {unit['page']}" if pd.notna(unit["page"]) else f" ({unit['url']})"
    if len(short):
        name = str(short.iloc[0])
    elif unit["source_id"] in sources.index:
        source = sources.loc[unit["source_id"]]
        name = f"{source['publisher']} {str(source['published'])[:4]}"
    else:
        name = str(unit["source_id"])
    listed, earlier = transforms.latest_official_figures(figures)
    # By category, in the order of the table's category rank (the rows are sorted by it).
    by_rank: dict[int, list[dict[str, Any]]] = {}
    for rank, record in zip(
        listed["category_rank"].tolist(), listed.to_dict("records"), strict=True
    ):
        by_rank.setdefault(int(rank), []).append(record)
    groups = tuple(
        (
            str(rows[0]["category"]),
            transforms.CATEGORY_HEADINGS.get(str(rows[0]["category"]), "Other"),
            rows,
        )
        for _, rows in sorted(by_rank.items())
    )
    return ProfileDetails(
        details=f"Leadership, area and model: {name}{where}.",
        groups=groups,
        earlier=earlier,
        sources=source_rows.to_dict("records"),
    )


def unit_figures_for(
    store: DataStore, unit_id: str, categories: tuple[str, ...], year: str | None
) -> pd.DataFrame:
    """`transforms.unit_figures` of these categories: every category's figures of the unit are
    worked out once per data version and year, and each chart picks its own.

    The same rows in the same order as asking for the categories alone: the order (category,
    measure, period, id) is a stable sort, and each row depends on itself only. A profile's
    charts and words ask for the same unit at once, and each worked the table out again.
    """
    every = store.derived(
        ("unit-figures", unit_id, year), lambda: _figures_of(store, unit_id, year)
    )
    if not categories:
        return every.reset_index(drop=True)
    picked = every[every["category"].isin(categories)]
    if picked.empty:
        return _no_figures(store, unit_id, categories, year)
    return picked.reset_index(drop=True)


def _figures_of(store: DataStore, unit_id: str, year: str | None) -> pd.DataFrame:
    """A unit's figures of one year are those of its all-years table that the year filter
    keeps: the filter reads each row alone, and the order is total (ending in the figure's
    id), so this gives the rows working it out for the year does, without a second pass over
    every observation (tested)."""
    if year is None:
        return transforms.unit_figures(store.observations, unit_id)
    every = unit_figures_for(store, unit_id, (), None)
    kept = transforms.observations_for(every, year=year)
    if kept.empty:
        return _no_figures(store, unit_id, (), year)
    return kept.reset_index(drop=True)


def _no_figures(
    store: DataStore, unit_id: str, categories: tuple[str, ...], year: str | None
) -> pd.DataFrame:
    """The empty table `transforms.unit_figures` gives when nothing matches, made the same way
    (an empty table's column types come from how it was made) but from no rows: it reads the
    unit's rows only, so none of the others can change it, and it costs nothing to make."""
    return transforms.unit_figures(
        store.observations.iloc[:0], unit_id, categories=categories, year=year
    )


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    return textwrap.shorten(str(text), width=width, placeholder="…")


def panel_frame(figures: pd.DataFrame) -> pd.DataFrame:
    """Add what `build_figure_panels` draws: panel (unit of measure), row label and hover text.

    Row labels are the measure and, on a second line, the period, shortened to keep the axis
    narrow; the hover and the table carry the full wording and the citation.
    """
    frame = figures.copy()
    frame["panel"] = frame["unit_of_measure"].map(transforms.UNIT_OF_MEASURE_WORDS)
    frame["label"] = [
        f"{_short(label)}<br>{_short(period)}"
        for label, period in zip(frame["metric_label"], frame["period_label"], strict=True)
    ]
    frame["hover_text"] = [
        f"<b>{label}</b><br>{text}<br>{period}"
        + (f"<br>Area: {geo}" if pd.notna(geo) else "")
        + f"<br>{cite}"
        for label, text, period, geo, cite in zip(
            frame["metric_label"],
            frame["display_text"],
            frame["period_label"],
            frame["geography"],
            frame["citation"],
            strict=True,
        )
    ]
    return frame


def _table(figures: pd.DataFrame) -> pd.DataFrame:
    """The chart's rows as the table shows them: the 'from X to Y' text is the figure."""
    table = figures.assign(value_text=figures["display_text"])
    return table.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def _empty_result(chart: str, title: str, measure: str, summary: str) -> ChartResult:
    return ChartResult(
        chart=chart,
        title=title,
        subtitle=subtitle_for(measure, "no unit chosen", ""),
        source_line=source_line_for(pd.DataFrame()),
        summary=summary,
        plot=empty_plot(NO_UNIT_MESSAGE),
        table=pd.DataFrame(columns=list(TABLE_COLUMNS)),
    )


def _chart_only_words(figures: pd.DataFrame) -> str:
    count = int(figures["value"].isna().sum())
    if not count:
        return ""
    return (
        f" {count} {'figure is' if count == 1 else 'figures are'} shown only as a chart in the "
        "source and listed as not available."
    )


def _category_chart(
    store: DataStore,
    selection: Selection,
    *,
    chart: str,
    categories: tuple[str, ...],
    heading: str,
    measure: str,
    describe,
    sort_by_time: bool = False,
) -> ChartResult:
    """Shared body of the profile charts: slice one unit's figures, draw, table and sentence."""
    unit = profile_unit(store, selection)
    if unit is None:
        return _empty_result(
            chart, heading, measure, "No unit is chosen, so there are no figures to show."
        )
    figures = unit_figures_for(store, str(unit["unit_id"]), categories, selection.year)
    # Each official measure at its latest period: every year of them is on the Trends page.
    figures, earlier = transforms.latest_official_figures(figures)
    if sort_by_time:
        figures = figures.sort_values(
            ["period_start", "period_end", "metric_label"], na_position="last", kind="stable"
        )
    framed = panel_frame(figures)
    name = str(unit["name"])
    period = period_words(selection)
    if figures.empty:
        when = f" in {period}" if selection.year else ""
        figure = empty_plot(f"No {heading.lower()} figures for this unit{when}")
        # The page shows this one line instead of an empty plot (callbacks/profile.py).
        summary = f"No {heading.lower()} figures for this unit{when}; see the sources below."
    else:
        figure = build_figure_panels(framed)
        summary = describe(name, figures) + _chart_only_words(figures)
        if earlier:
            summary += (
                f" Official tables (ONS, DfE) are shown for their latest period; {earlier} "
                "earlier figures are on the Trends page."
            )
    return ChartResult(
        chart=chart,
        title=f"{heading}: {name}",
        subtitle=subtitle_for(measure, str(unit["area_name"]), period),
        source_line=source_line_for(figures),
        summary=summary,
        plot=figure,
        table=_table(figures),
        caveats=(
            "Figures cover different periods and come from different sources; each row says which.",
            "Separate figures are drawn as separate dots, never joined into a line.",
        ),
    )


def _describe_funding(name: str, figures: pd.DataFrame) -> str:
    sources = figures["source_short"].nunique()
    grants = figures[
        (figures["metric_id"] == transforms.FUNDING_METRIC)
        & figures["financial_year"].notna()
        & rules.preferred_mask(figures)
    ].sort_values("period_end")
    text = (
        f"{name} has {rules.plural(len(figures), 'funding figure')} from {sources} "
        f"{'source' if sources == 1 else 'sources'}"
    )
    kinds = figures.get("money_kind", pd.Series(dtype=object))
    others = int((kinds.notna() & ~kinds.isin(list(rules.UNIT_MONEY))).sum())
    if others:
        text += (
            f" ({others} of them other money in the area, such as police Grip or surge grants, "
            "labelled as such and never counted as the unit's)"
        )
    if grants.empty:
        return text + "; none is a Home Office VRU grant for a single financial year."
    latest = grants.iloc[-1]
    return (
        text + f"; the latest single-year Home Office VRU grant figure is "
        f"{latest['display_text']} for {latest['period_label']} ({latest['source_short']})."
    )


def _describe_reach(name: str, figures: pd.DataFrame) -> str:
    numbered = figures[
        rules.preferred_mask(figures) & ~figures["metric_id"].isin(list(rules.NOT_UNIT_REACH))
    ]
    if numbered.empty:
        return f"{name} has {rules.plural(len(figures), 'reach figure')}, none with a number."
    largest = numbered.sort_values("value", ascending=False).iloc[0]
    return (
        f"{name} reports {rules.plural(len(figures), 'reach figure')}; the largest is "
        f"{largest['display_text']} ({largest['metric_label'].lower()}, "
        f"{largest['period_label']}). Different groups and periods are not added up."
    )


def _describe_outcomes(name: str, figures: pd.DataFrame) -> str:
    changes = figures[figures["baseline_value"].notna() & figures["value"].notna()]
    text = f"{name} has {rules.plural(len(figures), 'outcome figure')}"
    if changes.empty:
        return text + "; none states a change from an earlier figure."
    first = changes.iloc[0]
    return (
        text + f"; {len(changes)} {'states' if len(changes) == 1 else 'state'} a change, e.g. "
        f"{first['metric_label'].lower()} "
        f"{first['display_text']}, {first['period_label']}."
    )


def funding_history_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _category_chart(
        store,
        selection,
        chart="unit-funding-history",
        categories=("funding",),
        heading="Funding history",
        measure="Funding received and invested (£), each figure for its own period",
        describe=_describe_funding,
        sort_by_time=True,
    )


def reach_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _category_chart(
        store,
        selection,
        chart="unit-reach",
        categories=("reach",),
        heading="People reached",
        measure="People reached or supported, by group",
        describe=_describe_reach,
    )


def outcomes_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _category_chart(
        store,
        selection,
        chart="unit-outcomes",
        categories=("outcome",),
        heading="Outcomes",
        measure="Outcomes as reported (offences, victims, changes)",
        describe=_describe_outcomes,
    )


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="unit-funding-history",
        title="Funding history",
        view="profile",
        build=funding_history_chart,
    ),
    ChartSpec(name="unit-reach", title="People reached", view="profile", build=reach_chart),
    ChartSpec(name="unit-outcomes", title="Outcomes", view="profile", build=outcomes_chart),
)
