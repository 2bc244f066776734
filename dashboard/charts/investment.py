"""Investment against reach: funding set against people reached, for matching periods only."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard import transforms
from dashboard.charts.base import (
    ChartResult,
    ChartSpec,
    period_words,
    source_line_for,
    subtitle_for,
    units_words,
)
from dashboard.charts.trends import possessive, short_names
from dashboard.datastore import DataStore
from dashboard.figures.ranked_bar import build_ranked_bar
from dashboard.figures.scatter_reach import build_reach_scatter
from dashboard.figures.theme import PALETTE
from dashboard.formatting import MISSING_TEXT, format_figure
from dashboard.schema import NATIONAL
from dashboard.selection import Selection

ANY = transforms.ANY_REACH
REACH_WORDS = {
    "all": "all people reached",
    "universal": "universal reach",
    "targeted": "targeted reach",
    "young_people": "young people reached",
    "pupils": "pupils reached",
    ANY: "people reached (every reach type)",
}
REACH_SHORT = {
    "all": "everyone reached",
    "universal": "universal",
    "targeted": "targeted",
    "young_people": "young people",
    "pupils": "pupils",
}
REACH_COLOURS = {
    "universal": PALETTE[0],
    "targeted": PALETTE[1],
    "young_people": PALETTE[2],
    "pupils": PALETTE[3],
    "all": PALETTE[4],
}
NATIONAL_GROUP = "All units (national programme)"
NATIONAL_NAME = "All units (national)"
TABLE_COLUMNS = [
    "unit_name",
    "reach_label",
    "value_text",
    "qualifier",
    "period",
    "funding_label",
    "funding_text",
    "reach_text",
    "reason",
    "citation",
    "value",
    "unit_id",
    "source_short",
]


def reach_type_for(selection: Selection) -> str:
    """The reach type from the measure in the link (e.g. reach_targeted), else every type."""
    for reach_type, metric in transforms.REACH_METRICS.items():
        if selection.measure == metric:
            return reach_type
    return ANY


def _chosen_rows(
    store: DataStore,
    selection: Selection,
    key: tuple[object, ...],
    every_unit: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """The chosen units' rows of a per-unit frame worked out for every unit once per data
    version (`every_unit`, kept under `key`), in the store's order of units: the same rows as
    working it out for the chosen units alone, since each unit's rows depend on its own
    figures only."""
    everyone = store.derived(key, every_unit)
    if not selection.units:
        return everyone.reset_index(drop=True).copy()
    return everyone[everyone["unit_id"].isin(selection.units)].reset_index(drop=True).copy()


def _short(store: DataStore) -> dict[str, str]:
    return short_names(store) | {NATIONAL: NATIONAL_NAME}


def pairs_table(store: DataStore, selection: Selection) -> pd.DataFrame:
    """Every comparable pair for the chosen units (plus the national programme when no unit
    is chosen, as a reference), with words, hover text and citations ready for drawing.

    Every unit's pairs and words are worked out once per data version and the chosen units'
    picked: a pair and its words depend on that unit's figures alone, and the table's sort is
    stable, so the picked rows are in the order working them out for those units gives."""
    reach_type = reach_type_for(selection)
    every = store.derived(
        ("funding_reach_pairs", reach_type, selection.year),
        lambda: _every_pair(store, reach_type, selection.year),
    )
    if not selection.units:
        return every.copy()
    return every[every["unit_id"].isin(selection.units)].reset_index(drop=True).copy()


def _every_pair(store: DataStore, reach_type: str, year: str | None) -> pd.DataFrame:
    """`pairs_table` for no chosen unit: every unit's pairs and the national programme's."""
    pairs = transforms.funding_reach_pairs(
        store.observations, store.units, reach_type=reach_type, year=year
    )
    national = transforms.funding_reach_pairs(
        store.observations,
        pd.DataFrame({"unit_id": [NATIONAL], "name": ["National programme (all units)"]}),
        reach_type="all" if reach_type == ANY else reach_type,
        year=year,
    )
    if not national.empty:
        pairs = pd.concat([pairs, national], ignore_index=True)
    return _with_words(pairs.reset_index(drop=True), store, reach_type)


def _with_words(pairs: pd.DataFrame, store: DataStore, reach_type: str) -> pd.DataFrame:
    names = _short(store)
    table = pairs.copy()
    national = table["unit_id"] == NATIONAL
    table["value_text"] = [
        format_figure(round(v), "gbp", q)
        for v, q in zip(table["value"], table["qualifier"], strict=True)
    ]
    table["label"] = [
        f"{names[u]}: {REACH_SHORT.get(r, r)}, {p}"
        for u, r, p in zip(table["unit_id"], table["reach_type"], table["period"], strict=True)
    ]
    table["point_label"] = [names[u] for u in table["unit_id"]]
    if reach_type == ANY:
        table["group"] = table["reach_type"].map(lambda r: REACH_WORDS.get(r, str(r)).capitalize())
    else:
        table["group"] = "Units"
    table.loc[national, "group"] = NATIONAL_GROUP
    table["hover_text"] = [
        f"<b>{row['unit_name']}</b><br>{row['value_text']} per person"
        f" ({REACH_SHORT.get(row['reach_type'], '')})"
        f"<br>{row['funding_label']}: {row['funding_text']} ({row['funding_period']})"
        f"<br>÷ {row['reach_label']}: {row['reach_text']} ({row['reach_period']})"
        f"<br>{row['funding_citation']}; {row['reach_citation']}"
        for _, row in table.iterrows()
    ]
    table["citation"] = [
        "; ".join(dict.fromkeys(str(c) for c in (f, r) if pd.notna(c)))
        for f, r in zip(table["funding_citation"], table["reach_citation"], strict=True)
    ]
    table["source_short"] = [
        "; ".join(dict.fromkeys(str(c) for c in (f, r) if pd.notna(c)))
        for f, r in zip(table["funding_source"], table["reach_source"], strict=True)
    ]
    return table.sort_values(["value"], ascending=False, kind="stable").reset_index(drop=True)


def gaps_table(store: DataStore, selection: Selection) -> pd.DataFrame:
    """Chosen units with no comparable pair, and why (shown in a list under the charts).

    Every unit's gaps are worked out once per data version, reach type and year, and the
    chosen units' picked (a unit's row depends on its own figures alone; the order is the
    store's order of units either way). A copy: callers may change it."""
    reach_type = reach_type_for(selection)
    every = store.derived(
        ("funding-reach-gaps", reach_type, selection.year),
        lambda: _gaps_of(store, reach_type, selection.year),
    )
    if not selection.units:
        return every.copy()
    return every[every["unit_id"].isin(selection.units)].reset_index(drop=True)


def _gaps_of(store: DataStore, reach_type: str, year: str | None) -> pd.DataFrame:
    per_unit = _chosen_rows(
        store,
        Selection((), year),
        ("funding_per_person_reached", reach_type, year),
        lambda: transforms.funding_per_person_reached(
            store.observations, store.units, reach_type=reach_type, year=year
        ),
    )
    gaps = per_unit[per_unit["value"].isna()].copy()
    gaps["value_text"] = MISSING_TEXT
    gaps["qualifier"] = pd.NA
    gaps["citation"] = [
        "; ".join(dict.fromkeys(str(c) for c in (f, r) if pd.notna(c)))
        for f, r in zip(gaps["funding_citation"], gaps["reach_citation"], strict=True)
    ]
    columns = ["unit_id", "unit_name", "value_text", "qualifier", "reason", "citation"]
    return gaps[columns].reset_index(drop=True)


def prepare(store: DataStore) -> None:
    """The pairs and the units without one, kept with the data version, for what a page asks
    first: every reach measure across all periods, and each programme year with every reach
    type (the filters' default measure is not a reach measure)."""
    selections = [Selection((), None, metric) for metric in transforms.REACH_METRICS.values()]
    selections += [Selection((), year) for year in (None, *store.programme_years)]
    for selection in selections:
        pairs_table(store, selection)
        gaps_table(store, selection)


def _colours(reach_type: str) -> dict[str, str]:
    colours = {NATIONAL_GROUP: PALETTE[6], "Units": PALETTE[0]}
    if reach_type == ANY:
        colours |= {REACH_WORDS[key].capitalize(): colour for key, colour in REACH_COLOURS.items()}
    return colours


def _source_line(table: pd.DataFrame) -> str:
    if table.empty:
        return source_line_for(table)
    parts = sorted({part for cell in table["source_short"] for part in str(cell).split("; ")})
    return source_line_for(pd.DataFrame({"source_short": parts}))


def _shown(drawn: pd.DataFrame) -> int:
    """How many units a chart draws (the national figure is not a unit)."""
    return int(drawn.loc[drawn["unit_id"] != NATIONAL, "unit_id"].nunique())


def _count(number: int, word: str) -> str:
    """'1 unit', '3 units'."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def _when(selection: Selection) -> str:
    return f"in {period_words(selection)}" if selection.year else "across all periods"


def _summary(
    store: DataStore, selection: Selection, drawn: pd.DataFrame, gaps: pd.DataFrame
) -> str:
    reach_type = reach_type_for(selection)
    units = drawn[drawn["unit_id"] != NATIONAL]
    chosen = "chosen unit" if selection.units else "unit"
    if units.empty:
        return (
            f"No {chosen} has a funding figure and a figure for {REACH_WORDS[reach_type]} for the "
            f"same period {_when(selection)}; the list below the charts says why for each."
        )
    top = units.iloc[0]
    unit_count = units["unit_id"].nunique()
    total = unit_count + len(gaps)
    gap_words = (
        f", and {_count(len(gaps), chosen)} without a comparable pair "
        f"{'is' if len(gaps) == 1 else 'are'} listed below the charts."
        if len(gaps)
        else "."
    )
    return (
        f"{unit_count} of {_count(total, chosen)} {'has' if unit_count == 1 else 'have'} funding "
        f"and {REACH_WORDS[reach_type]} for the same period {_when(selection)}; the highest cost "
        f"per person is {top['point_label']} at {top['value_text']} "
        f"({REACH_SHORT.get(top['reach_type'])}, {top['period']})" + gap_words
    )


def _caveats(reach_type: str) -> tuple[str, ...]:
    lines = (
        "A ratio is shown only where a funding figure and a reach figure belong to the same "
        "unit and the same period (financial year, dates, or the same wording in one source).",
        "The funding used is the unit's Home Office VRU grant, the money it invested in "
        "interventions, or its total budget; the table names which.",
        "Where either figure is a bound ('over', 'up to'), so is the ratio: a triangle "
        "pointing up means the cost per person is at least this, pointing down at most this.",
        "On the scatter, both axes are logarithmic; the dotted diagonals join points of equal "
        "cost per person (£10, £100, £1,000 and £10,000).",
    )
    if reach_type == ANY:
        lines += (
            "Each ratio divides all of the funding by one group of people reached, so a unit "
            "that reached several groups with the same money appears once per group. Choose a "
            "reach type in Measure to see one group at a time.",
        )
    return lines


def caveats_for(selection: Selection) -> tuple[str, ...]:
    """How to read the investment charts for this selection (shown under each chart)."""
    return _caveats(reach_type_for(selection))


def funding_per_person_chart(store: DataStore, selection: Selection) -> ChartResult:
    reach_type = reach_type_for(selection)
    drawn = pairs_table(store, selection)
    gaps = gaps_table(store, selection)
    figure = build_ranked_bar(
        drawn,
        label_column="label",
        axis_title="£ per person reached",
        group_column="group",
        group_colours=_colours(reach_type),
        empty_message="No unit has funding and reach for the same period in this selection",
    )
    table = pd.concat(
        [drawn, gaps.assign(value_text=[f"{MISSING_TEXT}: {r}" for r in gaps["reason"]])],
        ignore_index=True,
    )
    return ChartResult(
        chart="funding-per-person",
        title="Funding per person reached",
        subtitle=subtitle_for(
            f"£ per person: funding ÷ {REACH_WORDS[reach_type]}",
            units_words(selection, store, _shown(drawn)),
            period_words(selection),
        ),
        source_line=_source_line(drawn),
        summary=_summary(store, selection, drawn, gaps),
        plot=figure,
        table=table.reindex(columns=TABLE_COLUMNS),
        caveats=_caveats(reach_type),
    )


def funding_reach_chart(store: DataStore, selection: Selection) -> ChartResult:
    reach_type = reach_type_for(selection)
    drawn = pairs_table(store, selection)
    gaps = gaps_table(store, selection)
    figure = build_reach_scatter(drawn, colours=_colours(reach_type))
    units = drawn[drawn["unit_id"] != NATIONAL]
    if units.empty:
        summary = _summary(store, selection, drawn, gaps)
    else:
        widest = units.sort_values("reach_value").iloc[-1]
        summary = (
            f"{_count(len(units), 'funding and reach pair')} for "
            f"{_count(units['unit_id'].nunique(), 'unit')} {_when(selection)}; the widest reach is "
            f"{possessive(widest['point_label'])} {widest['reach_text']} "
            f"({REACH_SHORT.get(widest['reach_type'])}) for {widest['funding_text']}."
        )
    return ChartResult(
        chart="funding-reach-scatter",
        title="Funding against people reached",
        subtitle=subtitle_for(
            f"Funding (£) and {REACH_WORDS[reach_type]}, same period",
            units_words(selection, store, _shown(drawn)),
            period_words(selection),
        ),
        source_line=_source_line(drawn),
        summary=summary,
        plot=figure,
        table=drawn.reindex(columns=TABLE_COLUMNS),
        caveats=_caveats(reach_type),
    )


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="funding-reach-scatter",
        title="Funding against people reached",
        view="investment",
        build=funding_reach_chart,
    ),
    ChartSpec(
        name="funding-per-person",
        title="Funding per person reached",
        view="investment",
        build=funding_per_person_chart,
    ),
)
