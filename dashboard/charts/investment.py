"""Investment against reach: funding per person reached, ranked, with the gaps listed."""

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
from dashboard.datastore import DataStore
from dashboard.figures.ranked_bar import build_ranked_bar
from dashboard.formatting import format_figure
from dashboard.selection import Selection

REACH_WORDS = {"all": "all people reached", "universal": "universal reach",
               "targeted": "targeted reach", "young_people": "young people reached"}  # fmt: skip


def reach_type_for(selection: Selection) -> str:
    """The reach type from the measure in the link (e.g. reach_targeted), else all."""
    for reach_type, metric in transforms.REACH_METRICS.items():
        if selection.measure == metric:
            return reach_type
    return "all"


def funding_per_person_table(store: DataStore, selection: Selection) -> pd.DataFrame:
    """One row per chosen unit: the ratio with its qualifier, or the reason it is missing."""
    units = store.units
    if selection.units:
        units = units[units["unit_id"].isin(selection.units)]
    table = transforms.funding_per_person_reached(
        store.observations, units, reach_type=reach_type_for(selection), year=selection.year
    )
    table["value_text"] = [
        format_figure(v, "gbp", q) if pd.notna(v) else f"no data: {r}"
        for v, q, r in zip(table["value"], table["qualifier"], table["reason"], strict=True)
    ]
    table["hover_text"] = [
        f"{name}<br>{text} per person<br>funding {f} ({fp}) ÷ reach {r} ({rp})<br>{fc}; {rc}"
        for name, text, f, fp, r, rp, fc, rc in zip(
            table["unit_name"],
            table["value_text"],
            table["funding_text"],
            table["funding_period"],
            table["reach_text"],
            table["reach_period"],
            table["funding_citation"],
            table["reach_citation"],
            strict=True,
        )
    ]
    table["citation"] = [
        "; ".join(str(c) for c in (fc, rc) if pd.notna(c))
        for fc, rc in zip(table["funding_citation"], table["reach_citation"], strict=True)
    ]
    table["source_short"] = table["citation"].str.extract(r"^([^,(]+)")[0].str.strip()
    return table


def funding_per_person_chart(store: DataStore, selection: Selection) -> ChartResult:
    table = funding_per_person_table(store, selection)
    reach_type = reach_type_for(selection)
    drawn = table[table["value"].notna()]
    figure = build_ranked_bar(
        table, axis_title="Home Office VRU grant per person reached (£)", highlight=()
    )
    missing = len(table) - len(drawn)
    if drawn.empty:
        summary = (
            f"No unit has a funding figure and a {REACH_WORDS[reach_type]} figure for the same "
            f"period in {period_words(selection)}; the table lists why for each unit."
        )
    else:
        top = drawn.sort_values("value", ascending=False).iloc[0]
        summary = (
            f"{len(drawn)} of {len(table)} units have funding and {REACH_WORDS[reach_type]} for "
            f"the same period; the highest is {top['unit_name']} at {top['value_text']} per "
            f"person ({top['period']}). {missing} units have no comparable pair."
        )
    columns = [
        "unit_name",
        "value_text",
        "qualifier",
        "period",
        "funding_text",
        "funding_period",
        "reach_text",
        "reach_period",
        "reason",
        "citation",
        "value",
        "unit_id",
        "source_short",
    ]
    return ChartResult(
        chart="funding-per-person",
        title="Home Office VRU funding per person reached",
        subtitle=subtitle_for(
            f"Grant ÷ {REACH_WORDS[reach_type]}",
            "VRU areas with both figures",
            period_words(selection),
        ),
        source_line=source_line_for(drawn),
        summary=summary,
        figure=figure,
        table=table[columns],
        caveats=(
            "A ratio is shown only where funding and reach share unit and period.",
            "Where either figure is a bound ('over', 'up to'), so is the ratio.",
        ),
    )


SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="funding-per-person",
        title="Home Office VRU funding per person reached",
        view="investment",
        build=funding_per_person_chart,
    ),
)
