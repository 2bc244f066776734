"""Compare: one unit's figures beside the other units' and the national figures, like for like.

The focus unit is `selection.units[0]`; further chosen units, if any, are the only ones it is set
against (otherwise all units). A comparison is made only between figures for the same measure
and the same period (same first and last day, or the same financial year); the rest of the focus
unit's figures are listed by `unmatched_figures` with the reason.
"""

from __future__ import annotations

import pandas as pd

from dashboard import transforms
from dashboard.charts.base import (
    ChartResult,
    ChartSpec,
    period_words,
    source_line_for,
    subtitle_for,
)
from dashboard.charts.map_view import coverage_for
from dashboard.charts.official_trends import release_order
from dashboard.datastore import DataStore
from dashboard.figures.dot_compare import build_dot_compare
from dashboard.figures.map_labels import label_text
from dashboard.figures.theme import empty_plot
from dashboard.selection import Selection

TABLE_COLUMNS = (
    "metric_label",
    "period_label",
    "unit_name",
    "geography",
    "value_text",
    "qualifier",
    "series",
    "citation",
    "note",
    "group_label",
    "role",
    "is_drawn",
    "value",
    "unit_id",
    "source_short",
)
CHOOSE_MESSAGE = "Choose a unit in the Units filter to compare it with the others"
OFFICIAL_SOURCES = r"^(ons_pfa_|dfe_exclusions_)"
# Counts of areas of different sizes are not set side by side, whoever reported them: their
# rates are (per 100,000 residents or per pupil, each row's note naming the population and its
# year). The counts stay on the trends and data pages.
COUNTS_WITH_RATES = frozenset(
    {
        "knife_offences_count",
        "permanent_exclusions_count",
        "suspensions_count",
        "pupil_headcount",
    }
)
ONE_PERIOD_NOTE = (
    "Each measure is compared for one period: the latest both sides have (or the one in the "
    "chosen year), from the latest release that gives it; earlier periods are on the trends "
    "page."
)
RATE_NOTE = (
    "Units are compared on rates, not counts: knife offences per 100,000 residents (ONS "
    "mid-year population estimates for the year, summed over the unit's force areas) and "
    "exclusions per pupil (DfE headcounts); each figure's note names its population."
)


def comparable_rows(store: DataStore, focus: str, year: str | None) -> pd.DataFrame:
    """The observations a comparison may use: for each official measure only the period the
    comparison is about, each period from its latest release, and rates instead of counts.

    Why: the publishers' tables give every unit every year, and every edition repeats earlier
    years; set side by side they made a hundred panels for one unit. What does not depend on
    the focus unit (the year's rows, each official period's latest release) is worked out once
    per data version and year; the focus picks from it. Each period's latest release is found
    among the focus's measures only, in the order that has always given (the rows' order
    decides which of two equal figures carries a row's words, and so where they are written).
    """
    others, theirs = _rows_of_year(store, year)
    metrics = {
        *others.loc[others["unit_id"] == focus, "metric_id"],
        *theirs.loc[theirs["unit_id"] == focus, "metric_id"],
    }
    others = others[others["metric_id"].isin(metrics)]
    theirs = theirs[theirs["metric_id"].isin(metrics)]
    theirs = theirs.sort_values("release").drop_duplicates(
        ["unit_id", "metric_id", "period_start", "period_end"], keep="last"
    )
    mine = theirs[theirs["unit_id"] == focus]
    if mine.empty:
        return others
    latest = mine.groupby("metric_id")["period_end"].max().to_dict()
    keep = theirs["period_end"].eq(theirs["metric_id"].map(latest))
    return pd.concat([others, theirs[keep].drop(columns="release")])


def _rows_of_year(store: DataStore, year: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    return store.derived(("comparable-rows", year), lambda: _year_rows(store, year))


def _year_rows(store: DataStore, year: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures from other sources, official figures with their release's rank) of a year (of
    all years for None), counts that have rates left out, each with its period key (`basis`)."""
    rows = store.observations
    rows = transforms.observations_for(rows, year=year) if year else rows
    rows = rows[~rows["metric_id"].isin(COUNTS_WITH_RATES)]
    # Each figure's period key, which compare_figures would otherwise work out per comparison.
    rows = rows.assign(basis=transforms.period_basis(rows))
    official = rows["source_id"].str.match(OFFICIAL_SOURCES).fillna(False)
    theirs = rows[official].copy()
    theirs["release"] = transforms.each_once(theirs["series"], release_order)
    return rows[~official], theirs


def _one_group_per_measure(compared: pd.DataFrame) -> pd.DataFrame:
    """Of a measure's groups (periods), the one with the latest period the focus shares."""
    if compared.empty:
        return compared
    groups = compared.drop_duplicates("group_key")
    groups = groups.assign(basis=groups["group_key"].str.split("|", n=1).str[1])
    keys = set(groups.sort_values(["metric_id", "basis"]).groupby("metric_id")["group_key"].last())
    return compared[compared["group_key"].isin(keys)].reset_index(drop=True)


def focus_and_peers(store: DataStore, selection: Selection) -> tuple[str | None, tuple[str, ...]]:
    """The focus unit (first chosen, if known) and the units it is set against (rest, or all)."""
    known = [unit for unit in selection.units if unit in store.unit_ids]
    if not known:
        return None, ()
    return known[0], tuple(known[1:])


def _unit_name(store: DataStore, unit_id: str) -> str:
    return str(store.units.set_index("unit_id").loc[unit_id, "name"])


def place_names(store: DataStore) -> dict[str, str]:
    """Each unit's short place name ("London", "Leicestershire"), as the map writes it."""
    if store.boundaries is None:  # no force names to hand: the area's own name
        return {
            str(u): label_text(str(a), [])
            for u, a in zip(store.units["unit_id"], store.units["area_name"], strict=True)
        }
    coverage = coverage_for(store)
    areas = dict(zip(store.units["unit_id"], store.units["area_name"], strict=True))
    return {
        str(unit): label_text(str(areas.get(unit, "")), rows["pfa_name"].tolist())
        for unit, rows in coverage[coverage["unit_id"].notna()].groupby("unit_id")
    }


def prepare(store: DataStore) -> dict[str, str]:
    """`place_names`, once per data version (dashboard/prepare.py calls it before a release
    is served)."""
    return store.derived(("compare-place-names",), lambda: place_names(store))


def short_row_labels(store: DataStore, compared: pd.DataFrame) -> list[str]:
    """What a row's tick says: the unit's place name instead of its full name, so the dots keep
    the width on a phone and a slide (the full name is in the hover, legend and table)."""
    places = prepare(store)
    shorts = []
    for unit, name, label in zip(
        compared["unit_id"], compared["unit_name"], compared["row_label"], strict=True
    ):
        place = places.get(str(unit)) if isinstance(unit, str) else None
        if place and isinstance(name, str) and str(label).startswith(name):
            shorts.append(place + str(label)[len(name) :])
        else:
            shorts.append(str(label))
    return shorts


def _comparison(
    store: DataStore, focus: str, peers: tuple[str, ...], year: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The focus unit's figures as the chart draws them (`_drawn_rows`) and its unmatched
    ones, worked out once per data version and selection: the chart, its table and the list
    below it ask for the same comparison. Every unit's comparison with all the others over all
    years is worked out while the worker is idle (`prepare_comparisons`). Copies, as callers
    may change them."""
    drawn, unmatched = store.derived(
        ("comparison", focus, peers, year),
        lambda: _worked_out(store, focus, peers, year),
        keep=not peers,  # any set of peers would let visitors grow the memory at will
    )
    return drawn.copy(), unmatched.copy()


def _worked_out(
    store: DataStore, focus: str, peers: tuple[str, ...], year: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    compared, unmatched = transforms.compare_figures(
        comparable_rows(store, focus, year), focus, peers=peers, year=year
    )
    return _drawn_rows(store, compared), unmatched


def prepare_comparisons(store: DataStore) -> None:
    """Each unit against all the others over all years (what /compare?unit=... first shows),
    and every programme year's rows, which any comparison in that year starts from."""
    for unit_id in store.unit_ids:
        _comparison(store, unit_id, (), None)
    for year in store.programme_years:
        _rows_of_year(store, year)


def prepare_years(store: DataStore) -> None:
    """Each unit against all the others in each programme year (the year filter's choices;
    the last step of preparing a release, about 2 s here)."""
    for year in store.programme_years:
        for unit_id in store.unit_ids:
            _comparison(store, unit_id, (), year)


def compare_table(store: DataStore, selection: Selection) -> pd.DataFrame:
    """The compared figures with hover text; empty (with the columns) when no unit is chosen."""
    focus, peers = focus_and_peers(store, selection)
    if focus is None:
        return pd.DataFrame(columns=[*transforms.COMPARE_COLUMNS, "hover_text"])
    drawn, _ = _comparison(store, focus, peers, selection.year)
    return drawn


def _drawn_rows(store: DataStore, compared: pd.DataFrame) -> pd.DataFrame:
    """The compared figures as the chart draws them: one period per measure, rows named, the
    panels of mixed sources said so, and hover text."""
    compared = _one_group_per_measure(compared)
    # An official figure always covers the unit's whole area: its row is named by the unit
    # alone (the authorities or forces summed are in the hover and the table), so that the
    # panels keep their width.
    official = compared["series"].str.match(r"^(ons_pfa_|dfe_)").fillna(False)
    national = compared["role"].eq("national")
    compared.loc[official & ~national, "row_label"] = compared.loc[
        official & ~national, "unit_name"
    ]
    compared.loc[official & national, "row_label"] = (
        "National: "
        + compared.loc[official & national, "geography"]
        .fillna("England and Wales")
        .str.split(";")
        .str[0]
    )
    mixed = compared.groupby("group_key")["series"].transform(
        lambda s: s.fillna("(none)").nunique()
    )
    compared["group_label"] = compared["group_label"].where(
        mixed.le(1), compared["group_label"] + " · from different sources or releases"
    )
    compared["row_short"] = short_row_labels(store, compared)
    compared["hover_text"] = [
        f"<b>{row}</b><br>{metric}: {text}<br>{period}<br>{cite}"
        for row, metric, text, period, cite in zip(
            compared["row_label"],
            compared["metric_label"],
            compared["value_text"],
            compared["period_label"],
            compared["citation"],
            strict=True,
        )
    ]
    return compared


def unmatched_figures(store: DataStore, selection: Selection) -> pd.DataFrame:
    """The focus unit's figures with no like-for-like partner, each with the reason."""
    focus, peers = focus_and_peers(store, selection)
    if focus is None:
        return pd.DataFrame(columns=list(transforms.UNMATCHED_COLUMNS))
    _, unmatched = _comparison(store, focus, peers, selection.year)
    return unmatched


def _against_words(store: DataStore, peers: tuple[str, ...]) -> str:
    if not peers:
        return "the other VRU areas and the national programme"
    names = store.units.set_index("unit_id").loc[list(peers), "area_name"]
    return ", ".join(names) + " and the national programme"


def _summary(name: str, compared: pd.DataFrame, unmatched: pd.DataFrame) -> str:
    groups = compared["group_key"].nunique()
    if not groups:
        return (
            f"None of {name}'s {len(unmatched)} figures can be set beside another unit's or a "
            "national figure for the same measure and period; the list below says why."
        )
    first_key = compared["group_key"].iloc[0]
    first = compared[compared["group_key"] == first_key]
    mine = first[first["is_focus"]].iloc[0]
    others = first[~first["is_focus"] & first["is_drawn"]].sort_values("value")
    example = f"{mine['group_label']}: {mine['value_text']}"
    if len(others):
        low, high = others.iloc[0], others.iloc[-1]
        example += (
            f" against {len(others)} other figures from {low['value_text']} to {high['value_text']}"
        )
    return (
        f"{name} can be compared on {groups} measure-and-period "
        f"{'pair' if groups == 1 else 'pairs'} (e.g. {example}); "
        f"{len(unmatched)} of its figures have no like-for-like comparison."
    )


def compare_chart(store: DataStore, selection: Selection) -> ChartResult:
    focus, peers = focus_and_peers(store, selection)
    if focus is None:
        return ChartResult(
            chart="compare-units",
            title="One unit against the others",
            subtitle=subtitle_for("Figures for the same measure and period", "", ""),
            source_line=source_line_for(pd.DataFrame()),
            summary="No unit is chosen: pick one in the Units filter to compare it.",
            plot=empty_plot(CHOOSE_MESSAGE),
            table=pd.DataFrame(columns=list(TABLE_COLUMNS)),
        )
    name = _unit_name(store, focus)
    compared, unmatched = _comparison(store, focus, peers, selection.year)
    figure = build_dot_compare(compared, focus_name=name)
    mixed = compared.loc[compared["note"].str.contains("different sources"), "group_label"]
    caveats = [
        "Only figures for the same measure and the same period are set side by side.",
        ONE_PERIOD_NOTE,
        RATE_NOTE,
        "National totals of money or counts are listed, not drawn: they cover every area.",
    ]
    if not mixed.empty:
        caveats.append(
            "Figures from different sources sit in one panel for: "
            + ", ".join(dict.fromkeys(mixed))
            + "; each dot names its source."
        )
    return ChartResult(
        chart="compare-units",
        title=f"{name} against the other units",
        subtitle=subtitle_for(
            "Each measure for one period",
            f"{name} and {_against_words(store, peers)}",
            period_words(selection),
        ),
        source_line=source_line_for(compared),
        summary=_summary(name, compared, unmatched),
        plot=figure,
        table=compared.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True),
        caveats=tuple(caveats),
    )


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="compare-units",
        title="One unit against the others",
        view="compare",
        build=compare_chart,
    ),
)
