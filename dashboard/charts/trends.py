"""Trends: knife crime changes, official knife crime and exclusion series, funding by year."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd

from dashboard import rules, transforms
from dashboard.charts.base import (
    ChartResult,
    ChartSpec,
    period_words,
    source_line_for,
    subtitle_for,
    units_words,
)
from dashboard.datastore import DataStore
from dashboard.figures.before_after import build_before_after
from dashboard.figures.change_bars import build_change_bars
from dashboard.figures.funding_bars import build_funding_bars
from dashboard.figures.theme import PALETTE
from dashboard.figures.trend_lines import build_trend_panels
from dashboard.formatting import format_number
from dashboard.schema import NATIONAL
from dashboard.selection import Selection

# --- words ----------------------------------------------------------------------------------

NATIONAL_NAME = "England and Wales"
CHANGE_METRICS: dict[str, str] = {
    "knife_crime_change_pct": "knife crime",
    "knife_enabled_serious_violence_change_pct": "knife-enabled serious violence",
    "knife_victims_under25_change_pct": "under-25 victims of knife violence",
    "hospital_admissions_knife_change_pct": "hospital admissions for knife injuries",
    "serious_youth_violence_change_pct": "serious youth violence",
    "knife_possession_offences_change_pct": "knife possession offences",
}
BEFORE_AFTER_METRICS: dict[str, str] = {
    "knife_offences_count": "knife offences",
    "knife_enabled_serious_violence_count": "knife-enabled serious violence",
    "knife_victims_under25_count": "under-25 victims of knife violence",
}
COUNT_CHANGE_METRICS = ("serious_youth_violence_victims_change",)
KNIFE_COUNT = "knife_offences_count"
KNIFE_RATE = "knife_offences_rate_per_100k"
EXCLUSION_METRICS: dict[str, str] = {
    "suspension_rate_pct": "Suspensions, % of pupils",
    "permanent_exclusion_rate_pct": "Permanent exclusions, % of pupils",
    "permanent_exclusion_rate_per_10k": "Permanent exclusions per 10,000 pupils",
    "permanent_exclusions_count": "Permanent exclusions (number)",
    "suspensions_count": "Suspensions (number)",
    "school_exclusions_count_type_not_stated": "Exclusions, type not stated (number)",
    "pupils_excluded_or_suspended_pct": "Pupils excluded or suspended, % over several years",
    "school_exclusions_vs_average": "Exclusions against the 4-year average",
}
# England's counts are left to the rates: a count of all England's pupils says little beside a
# rate, and it would add panels. Sussex publishes no rates here, so its counts are drawn.
NATIONAL_EXCLUSION_METRICS = (
    "suspension_rate_pct",
    "permanent_exclusion_rate_pct",
    "permanent_exclusion_rate_per_10k",
)
FUNDING_METRICS: dict[str, str] = {
    "funding_home_office_vru": "VRU grant",
    "funding_home_office_vru_and_grip": "VRU and Grip together",
    "funding_home_office_vru_additional": "Additional VRU money",
    "funding_vru_sv_duty_young_futures": "VRU, Serious Violence Duty and Young Futures together",
}
# The year row's label when the bar is not the plain VRU grant (the colour legend says more).
FUNDING_ROW_SUFFIX = {
    "funding_home_office_vru_and_grip": " with Grip",
    "funding_home_office_vru_additional": " additional",
    "funding_vru_sv_duty_young_futures": " with SV Duty",
}
FUNDING_COLOURS = {
    "VRU grant": PALETTE[0],
    "VRU and Grip together": PALETTE[1],
    "Additional VRU money": PALETTE[2],
    "VRU, Serious Violence Duty and Young Futures together": PALETTE[3],
}
MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}  # fmt: skip
SERIES_WORDS = {
    "apcc_2020": "APCC report (2020)",
    "ons_reading_chronicle": "ONS figures in the Reading Chronicle (release not stated)",
    "ons_kentonline": "ONS figures in KentOnline (period not stated)",
    "ons_jul2024_doncaster": "ONS July 2024 release, re-based (Doncaster Free Press)",
    "essex_police_force_data": "Essex Police's own figures",
    "kent_police_force_data": "Kent Police's own figures",
    "east_sussex_foi": "East Sussex County Council, freedom of information",
    "dfe_2022_23_wholeschoolsend": "DfE 2022/23 figures (exact, via Whole School SEND)",
}
SUFFIX_WORDS = (
    ("excl_gmp_devon_cornwall", "excluding Greater Manchester and Devon and Cornwall Police"),
    ("excl_devon_cornwall", "excluding Devon and Cornwall Police"),
    ("excl_gmp", "excluding Greater Manchester Police"),
    ("incl_gmp", "including Greater Manchester Police"),
    ("ndqis_37_forces", "37 forces using the NDQIS method"),
    ("brighton_hove", "Brighton and Hove"),
    ("west_sussex", "West Sussex"),
    ("east_sussex", "East Sussex"),
    ("secondary", "secondary schools"),
    ("primary", "primary schools"),
)


def series_words(series: str) -> str:
    """A series slug in words for legends: 'ons_jul2019_excl_gmp' -> 'ONS July 2019 release,
    excluding Greater Manchester Police'."""
    if series in SERIES_WORDS:
        return SERIES_WORDS[series]
    tables = re.fullmatch(r"ons_pfa_ye_([a-z]{3})(\d{4})_(p\d+)(?:_ye_([a-z]{3}))?", series)
    if tables:
        month, year, table, rolling = tables.groups()
        words = f"ONS force area tables, year ending {MONTHS[month]} {year}, Table {table.upper()}"
        return words + (f" (years ending {MONTHS[rolling]})" if rolling else "")
    ons = re.fullmatch(r"ons_([a-z]{3})?(\d{4})(?:_(.+))?", series)
    dfe = re.fullmatch(r"dfe_(autumn_)?(\d{4})_(\d{2})_(release|dataset)(?:_(.+))?", series)
    if ons:
        month, year, rest = ons.groups()
        base = f"ONS {MONTHS[month]} {year} release" if month else f"ONS {year} releases"
    elif dfe:
        autumn, first, second, kind, rest = dfe.groups()
        term = "autumn term " if autumn else ""
        noun = "release" if kind == "release" else "data set"
        base = f"DfE {term}{first}/{second} {noun}"
    else:
        return series.replace("_", " ")
    for slug, words in SUFFIX_WORDS:
        if rest == slug:
            return f"{base}, {words}"
    return f"{base}, {rest.replace('_', ' ')}" if rest else base


def short_names(store: DataStore) -> dict[str, str]:
    """Short area names for axis labels ('Kent', 'Leicestershire'); national = England and Wales."""
    names = {NATIONAL: NATIONAL_NAME}
    names |= {unit_id: _title(unit_id) for unit_id in store.units["unit_id"]}
    return names


def _title(slug: str) -> str:
    return " ".join(w if w == "and" else w.capitalize() for w in slug.split("_"))


def count(number: int, word: str, plural: str | None = None) -> str:
    """'1 figure', '3 figures': numbers in summaries agree with their nouns."""
    return f"{number} {word if number == 1 else plural or word + 's'}"


def short_units(store: DataStore, selection: Selection) -> str:
    """'all 18 VRU areas', 'Kent', 'Kent and Sussex': the chosen units, briefly."""
    if not selection.units:
        return f"all {len(store.units)} VRU areas"
    names = [short_names(store)[u] for u in selection.units]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def possessive(name: str) -> str:
    """ "West Midlands'", "Kent's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def and_also(sentence: str, clause: str) -> str:
    """One sentence out of two: 'A.' + 'b.' -> 'A; b.' (summaries stay a single sentence)."""
    return f"{sentence.rstrip('.')}; {clause.strip().rstrip('.')}."


def _across(selection: Selection) -> str:
    """'in financial year 2019/20' or 'across all years'."""
    return f"in {period_words(selection)}" if selection.year else "across all years"


def _fy(year: str) -> str:
    return year.replace("-", "/")


def _chosen_units(store: DataStore, selection: Selection) -> tuple[str, ...]:
    return tuple(selection.units) or tuple(store.units["unit_id"])


def _source_for(row: pd.Series) -> str:
    """The citation, but a web source by its short name only (the table keeps the address)."""
    return row["citation"] if pd.notna(row["page"]) else str(row["source_short"])


def _in_year(frame: pd.DataFrame, year: str | None) -> pd.Series:
    """Whether each figure's period touches the financial year (False without dates)."""
    if not year:
        return pd.Series(False, index=frame.index)
    kept = transforms.observations_for(frame, year=year).index
    return pd.Series(frame.index.isin(kept), index=frame.index)


def _not_drawn_lines(rows: pd.DataFrame, names: dict[str, str]) -> tuple[str, ...]:
    return tuple(
        f"{names.get(row['unit_id'], row['unit_name'])}: {row['metric_label']}"
        f"{' (' + row['geography'] + ')' if pd.notna(row['geography']) else ''}, "
        f"{row['period_label']}: not drawn, {row['reason']}."
        for _, row in rows.iterrows()
    )


def short_source_line(table: pd.DataFrame) -> str:
    """'Source: A; B; C and 12 more' so that a chart drawn from many articles stays readable."""
    if table.empty:
        return source_line_for(table)
    names = sorted(set(table["source_short"].dropna()))
    if len(names) <= 4:
        return source_line_for(table)
    return (
        f"Sources: {'; '.join(names[:3])} and {len(names) - 3} more publications. "
        "Page or web address of each figure in the table."
    )


# --- knife crime: reported changes ---------------------------------------------------------


def knife_change_chart(store: DataStore, selection: Selection) -> ChartResult:
    names = short_names(store)
    rows = transforms.observations_for(
        store.observations, units=_chosen_units(store, selection), metrics=tuple(CHANGE_METRICS)
    )
    rows = rows[rules.preferred_mask(rows)].copy()
    starts = dict(
        zip(store.units["unit_id"], store.units.get("start_year", pd.Series()), strict=False)
    )
    # A change that began before the unit existed is context, drawn pale and named as such.
    rows["context"] = pd.Series(
        [
            not rules.change_in_unit_life(row, starts.get(row["unit_id"]))
            for _, row in rows.iterrows()
        ],
        index=rows.index,
        dtype=bool,
    )
    rows["metric_rank"] = rows["metric_id"].map(list(CHANGE_METRICS).index)
    rows = rows.sort_values(["context", "metric_rank", "value"])
    rows["label"] = [
        ("Before the unit (context): " if c else "")
        + f"{names[u]}: {CHANGE_METRICS[m]}"
        + (f" (part of the area: {g})" if rules.is_part_area(g) else "")
        for u, m, g, c in zip(
            rows["unit_id"], rows["metric_id"], rows["geography"], rows["context"], strict=True
        )
    ]
    in_year = _in_year(rows, selection.year)
    rows["faded"] = rows["context"] | (~in_year if selection.year else False)
    rows["hover_text"] = [
        f"<b>{row['unit_name']}</b><br>{row['metric_label']}: {row['value_text']}"
        f"<br>Period: {row['period_label']}"
        + (
            f"<br>Compared with: {row['baseline_period_label']}"
            if pd.notna(row["baseline_period_label"])
            else ""
        )
        + (f"<br>Area: {row['geography']}" if pd.notna(row["geography"]) else "")
        + f"<br>{_source_for(row)}"
        for _, row in rows.iterrows()
    ]
    figure = build_change_bars(rows, axis_title="Change as reported (%)", faded_column="faded")
    falls = rows[(rows["value"] < 0) & ~rows["context"]]
    if rows.empty:
        summary = (
            f"The sources give no percentage change in knife crime or youth violence for "
            f"{short_units(store, selection)}."
        )
    else:
        biggest = falls.sort_values("value").iloc[0] if not falls.empty else rows.iloc[0]
        summary = (
            f"{len(falls)} of {count(len(rows), 'reported change')} "
            f"{'is a fall' if len(rows) == 1 else 'are falls'}; the largest fall is "
            f"{possessive(names[biggest['unit_id']])} {biggest['value_text']} in "
            f"{CHANGE_METRICS[biggest['metric_id']]}, {biggest['period_label']}."
            if not falls.empty
            else f"None of {count(len(rows), 'reported change')} is a fall."
        )
        if selection.year:
            hits = int(in_year.sum())
            summary = and_also(
                summary,
                f"{count(hits, 'figure')} {'covers' if hits == 1 else 'cover'} "
                f"{_fy(selection.year)} and {'is' if hits == 1 else 'are'} drawn solid, the rest "
                "pale"
                if hits
                else f"none is dated to {_fy(selection.year)}, so all are drawn pale",
            )
    table = rows.assign(metric_label=rows["metric_label"])[
        [
            "unit_name",
            "metric_label",
            "value_text",
            "qualifier",
            "period_label",
            "baseline_period_label",
            "geography",
            "citation",
            "note",
            "value",
            "unit_id",
            "source_short",
        ]
    ]
    return ChartResult(
        chart="knife-change",
        title="Reported changes in knife crime and youth violence",
        subtitle=subtitle_for(
            "Change in %, as each unit reported it",
            units_words(selection, store),
            "periods as stated (many undated)"
            + (f"; {_fy(selection.year)} drawn solid" if selection.year else ""),
        ),
        source_line=short_source_line(rows),
        summary=summary,
        plot=figure,
        table=table,
        caveats=KNIFE_CHANGE_NOTES,
    )


KNIFE_CHANGE_NOTES = (
    "Each bar is the unit's own before-and-after comparison over the period it states; "
    "periods differ between units, so bars are not a league table.",
    "Changes that began before a unit existed (e.g. 'since 2012') are context, drawn pale and "
    "labelled, not the unit's record; a change for part of an area names that part.",
    "A rise in knife possession offences can mean more proactive policing, not more knife crime.",
)


# --- knife crime: before and after counts ---------------------------------------------------


def knife_before_after_chart(store: DataStore, selection: Selection) -> ChartResult:
    names = short_names(store)
    units = _chosen_units(store, selection)
    rows = transforms.observations_for(
        store.observations, units=units, metrics=tuple(BEFORE_AFTER_METRICS)
    )
    rows = transforms.change_from_baseline(rows[rows["baseline_value"].notna()])
    rows["label"] = [
        f"{names[u]}: {BEFORE_AFTER_METRICS[m]}"
        for u, m in zip(rows["unit_id"], rows["metric_id"], strict=True)
    ]
    rows["before_text"] = [
        format_number(float(b), uom)
        for b, uom in zip(rows["baseline_value"], rows["unit_of_measure"], strict=True)
    ]
    rows["change_text"] = [
        f"{format_number(float(a), uom)} ({p:+.1f}%)" if pd.notna(p) else reason
        for a, p, uom, reason in zip(
            rows["change_abs"],
            rows["change_pct"],
            rows["unit_of_measure"],
            rows["change_reason"],
            strict=True,
        )
    ]
    rows["hover_text"] = [
        f"<b>{row['unit_name']}</b><br>{row['metric_label']}"
        f"<br>Before: {row['before_text']} ({row['baseline_period_label']})"
        f"<br>After: {row['value_text']} ({row['period_label']})"
        f"<br>Change: {row['change_text']}<br>{_source_for(row)}"
        for _, row in rows.iterrows()
    ]
    figure = build_before_after(rows, axis_title="Number (offences or victims)")
    if rows.empty:
        summary = (
            f"The report gives no before-and-after knife crime numbers for "
            f"{short_units(store, selection)}."
        )
    else:
        first = rows.iloc[0]
        summary = (
            f"{possessive(names[first['unit_id']])} "
            f"{BEFORE_AFTER_METRICS[first['metric_id']]} went from "
            f"{first['before_text']} to {first['value_text']} ({first['change_pct']:+.0f}%)"
            + (
                f", and {count(len(rows) - 1, 'more before-and-after figure')} "
                f"{'is' if len(rows) == 2 else 'are'} shown."
                if len(rows) > 1
                else "."
            )
        )
        if selection.year:
            summary = and_also(
                summary, f"these periods are undated, so {_fy(selection.year)} does not apply"
            )
    table = rows[
        [
            "unit_name",
            "metric_label",
            "before_text",
            "baseline_period_label",
            "value_text",
            "period_label",
            "change_text",
            "qualifier",
            "citation",
            "value",
            "unit_id",
            "source_short",
        ]
    ]
    return ChartResult(
        chart="knife-before-after",
        title="Knife crime before and after, in numbers",
        subtitle=subtitle_for(
            "Offences and victims, before and after",
            units_words(selection, store),
            "periods as stated by the report",
        ),
        source_line=short_source_line(rows),
        summary=summary,
        plot=figure,
        table=table,
        caveats=before_after_notes(store, selection),
    )


def before_after_notes(store: DataStore, selection: Selection) -> tuple[str, ...]:
    """Changes the report states without the numbers either side, and how to read the chart."""
    names = short_names(store)
    others = transforms.observations_for(
        store.observations, units=_chosen_units(store, selection), metrics=COUNT_CHANGE_METRICS
    )
    return (
        *(
            f"{names[row['unit_id']]}: {row['metric_label'].lower()} {row['value_text']} "
            f"({row['period_label']}; {row['citation']}): not drawn, the report gives the "
            "change but not the numbers before and after."
            for _, row in others.iterrows()
        ),
        "The report does not date its 'before' and 'after' periods; the percentage change is "
        "worked out from the two stated numbers.",
    )


# --- official series over time ---------------------------------------------------------------


def _series_frame(
    store: DataStore, selection: Selection, metrics: Sequence[str], panel_of
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drawable points (with panel, series name and hover) and the rest, for chosen units."""
    names = short_names(store)
    units = (*_chosen_units(store, selection), NATIONAL)
    rows = transforms.observations_for(store.observations, units=units, metrics=tuple(metrics))
    drawn, rest = transforms.time_points(rows)
    drawn = drawn.copy()
    drawn["panel"] = [panel_of(row, names) for _, row in drawn.iterrows()]
    drawn["series_name"] = [series_words(k) for k in drawn["series_key"]]
    drawn["hover_text"] = [
        f"<b>{row['panel']}</b><br>{row['value_text']}"
        + (f" ({row['geography']})" if pd.notna(row["geography"]) else "")
        + f"<br>{row['period_label']}<br>Series: {row['series_name']}<br>{_source_for(row)}"
        for _, row in drawn.iterrows()
    ]
    order = {unit: rank for rank, unit in enumerate((NATIONAL, *sorted(units, key=names.get)))}
    drawn["unit_rank"] = drawn["unit_id"].map(order)
    return drawn, rest


def _highlight(selection: Selection) -> tuple[pd.Timestamp, pd.Timestamp, str] | None:
    if not selection.year:
        return None
    start, end = transforms.financial_year_bounds(selection.year)
    return start, end + pd.Timedelta(days=1), f"financial year {_fy(selection.year)}"


def _series_table(drawn: pd.DataFrame) -> pd.DataFrame:
    return drawn[
        [
            "panel",
            "metric_label",
            "value_text",
            "qualifier",
            "period_label",
            "series_name",
            "geography",
            "citation",
            "value",
            "unit_id",
            "source_short",
        ]
    ]


def _series_summary(drawn: pd.DataFrame, selection: Selection, store: DataStore, what: str) -> str:
    if drawn.empty:
        return f"No dated {what} figures for {short_units(store, selection)}."
    areas = drawn["panel"].nunique()
    releases = drawn["series_key"].nunique()
    missing = [u for u in selection.units if u not in set(drawn["unit_id"])]
    focus_unit = next((u for u in selection.units if u in set(drawn["unit_id"])), NATIONAL)
    focus_rows = drawn[drawn["unit_id"] == focus_unit]
    focus_rows = focus_rows if not focus_rows.empty else drawn
    focus = focus_rows.sort_values("x").iloc[-1]
    text = (
        f"{count(len(drawn), what + ' figure')} for {count(areas, 'area')} from "
        f"{count(releases, 'separate release')}, each release its own line; the latest for "
        f"{focus['panel']} is {focus['value_text']} ({focus['period_label']})."
    )
    if missing:
        names = short_names(store)
        text = and_also(
            text,
            f"{' and '.join(names[u] for u in missing)} has no dated figures of this kind",
        )
    if selection.year:
        start, end = transforms.financial_year_bounds(selection.year)
        hits = len(drawn[(drawn["x"] >= start) & (drawn["x"] <= end)])
        text = and_also(
            text,
            f"{count(hits, 'figure')} {'ends' if hits == 1 else 'end'} in "
            f"{_fy(selection.year)} (shaded)"
            if hits
            else f"no figure ends in {_fy(selection.year)} (shaded)",
        )
    return text


def _knife_panel(row: pd.Series, names: dict[str, str]) -> str:
    return names[row["unit_id"]]


def _knife_series_chart(
    store: DataStore, selection: Selection, metric: str, chart: str, title: str, axis: str
) -> ChartResult:
    drawn, rest = _series_frame(store, selection, (metric,), _knife_panel)
    drawn = drawn.sort_values(["unit_rank", "x"])
    figure = build_trend_panels(
        drawn,
        highlight=_highlight(selection),
        empty_message="No dated official figures for this selection",
    )
    return ChartResult(
        chart=chart,
        title=title,
        subtitle=subtitle_for(
            axis.capitalize() + ", police-recorded (ONS)",
            units_words(selection, store) + " and England and Wales",
            "years ending on the date shown"
            + (f"; {_fy(selection.year)} shaded" if selection.year else ""),
        ),
        source_line=short_source_line(drawn),
        summary=_series_summary(
            drawn, selection, store, "knife offence" if metric == KNIFE_COUNT else "rate"
        ),
        plot=figure,
        table=_series_table(drawn),
        caveats=_knife_series_notes(rest, short_names(store)),
    )


def _knife_series_notes(rest: pd.DataFrame, names: dict[str, str]) -> tuple[str, ...]:
    return (
        *_not_drawn_lines(rest, names),
        "Each release counts on its own basis (forces left out, re-based populations), so "
        "figures from different releases are never joined by a line.",
        "England and Wales is always shown for context.",
    )


def knife_series_notes(store: DataStore, selection: Selection, metric: str) -> tuple[str, ...]:
    """Figures of the metric that cannot be placed in time, with the reason, and reading notes."""
    _, rest = _series_frame(store, selection, (metric,), _knife_panel)
    return _knife_series_notes(rest, short_names(store))


def knife_count_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _knife_series_chart(
        store,
        selection,
        KNIFE_COUNT,
        "knife-offences-series",
        "Knife offences recorded by police, by release",
        "offences in 12 months",
    )


def knife_rate_chart(store: DataStore, selection: Selection) -> ChartResult:
    return _knife_series_chart(
        store,
        selection,
        KNIFE_RATE,
        "knife-rate-series",
        "Knife offences per 100,000 people, by release",
        "offences per 100,000 people",
    )


# --- school exclusions -----------------------------------------------------------------------


def _exclusion_panel(row: pd.Series, names: dict[str, str]) -> str:
    area = "England" if row["unit_id"] == NATIONAL else names[row["unit_id"]]
    return f"{area}: {EXCLUSION_METRICS[row['metric_id']]}"


def _exclusion_parts(store: DataStore, selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drawn exclusion figures (England's rates, the units' own figures) and the rest."""
    drawn, rest = _series_frame(store, selection, tuple(EXCLUSION_METRICS), _exclusion_panel)
    national_counts = (drawn["unit_id"] == NATIONAL) & ~drawn["metric_id"].isin(
        NATIONAL_EXCLUSION_METRICS
    )
    drawn = drawn[~national_counts].copy()
    drawn["metric_rank"] = drawn["metric_id"].map(list(EXCLUSION_METRICS).index)
    drawn = drawn.sort_values(["unit_rank", "metric_rank", "x"])
    return drawn, rest[rest["unit_id"] != NATIONAL]


def exclusions_notes(store: DataStore, selection: Selection) -> tuple[str, ...]:
    """Exclusion figures not drawn (chart-only, pooled over years), with reasons."""
    _, rest = _exclusion_parts(store, selection)
    return (
        *_not_drawn_lines(rest, short_names(store)),
        "School years run September to August; figures are placed at the end of their term or "
        "year. Autumn-term figures are separate series and never joined to whole years.",
        "Rates, per-10,000 rates and counts are different measures and sit in separate panels.",
        "England's counts of exclusions and suspensions are in the table of the data page; "
        "the rates are drawn here.",
    )


def _latest_rate(rows: pd.DataFrame) -> pd.Series | None:
    """The latest whole-year permanent exclusion rate among `rows` (None when there is none)."""
    whole_years = (rows["period_end"] - rows["period_start"]).dt.days > 300
    rates = rows[(rows["metric_id"] == "permanent_exclusion_rate_pct") & whole_years]
    return rates.sort_values("x").iloc[-1] if not rates.empty else None


def _exclusions_summary(drawn: pd.DataFrame, selection: Selection, store: DataStore) -> str:
    """England's latest rate, then each chosen unit's own latest rate (or what it has)."""
    if drawn.empty:
        return f"No dated school exclusion figures for {units_words(selection, store)}."
    england = _latest_rate(drawn[drawn["unit_id"] == NATIONAL])
    text = (
        f"England's permanent exclusion rate was {england['value_text']} of pupils in the "
        f"{england['period_label']}"
        if england is not None
        else "England's figures are shown"
    )
    names = short_names(store)
    own = list(dict.fromkeys(drawn.loc[drawn["unit_id"] != NATIONAL, "unit_id"]))
    if not own:
        return and_also(
            text, f"{short_units(store, selection)} has no dated exclusion figures of its own"
        )
    parts = []
    for unit_id in own[:3]:
        latest = _latest_rate(drawn[drawn["unit_id"] == unit_id])
        parts.append(
            f"{possessive(names[unit_id])} was {latest['value_text']} ({latest['period_label']})"
            if latest is not None
            else f"{names[unit_id]} has counts only, which cannot be compared with rates"
        )
    more = f", and {len(own) - 3} more units are drawn" if len(own) > 3 else ""
    return f"{text}; {'; '.join(parts)}{more}."


def exclusions_chart(store: DataStore, selection: Selection) -> ChartResult:
    drawn, _ = _exclusion_parts(store, selection)
    figure = build_trend_panels(
        drawn,
        highlight=_highlight(selection),
        empty_message="No dated school exclusion figures for this selection",
    )
    return ChartResult(
        chart="school-exclusions",
        title="School exclusions and suspensions",
        subtitle=subtitle_for(
            "Rates and counts by school year (DfE and local releases)",
            units_words(selection, store) + " and England",
            "school years" + (f"; {_fy(selection.year)} shaded" if selection.year else ""),
        ),
        source_line=short_source_line(drawn),
        summary=_exclusions_summary(drawn, selection, store),
        plot=figure,
        table=_series_table(drawn),
        caveats=exclusions_notes(store, selection),
    )


# --- Home Office funding by financial year ---------------------------------------------------


def _funding_rows(store: DataStore, selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(yearly figures, multi-year totals) of the chosen units, for the chosen year if any."""
    rows = transforms.observations_for(
        store.observations,
        units=_chosen_units(store, selection),
        metrics=tuple(FUNDING_METRICS),
    )
    rows = rows[rows["value"].notna()]
    annual = rows[rows["financial_year"].notna()]
    multi = rows[rows["financial_year"].isna()]
    if selection.year:
        annual = annual[annual["financial_year"] == selection.year]
        multi = transforms.observations_for(multi, year=selection.year)
    return annual, multi


def funding_year_frame(store: DataStore, selection: Selection) -> pd.DataFrame:
    """One bar per unit, year and measure (the preferred figure, rivals named), in order."""
    names = short_names(store)
    annual, _ = _funding_rows(store, selection)
    annual = transforms.preferred_figures(annual, ["unit_id", "metric_id", "financial_year"])
    annual = annual.assign(
        group=annual["unit_id"].map(names),
        measure=annual["metric_id"].map(FUNDING_METRICS),
        fy_label=annual["financial_year"].astype(str).str.replace("-", "/"),
    )
    annual["row_label"] = annual["fy_label"] + annual["metric_id"].map(FUNDING_ROW_SUFFIX).fillna(
        ""
    )
    annual["hover_text"] = [
        f"<b>{row['unit_name']}</b><br>{row['metric_label']}, {row['fy_label']}: "
        f"{row['value_text']}<br>{_source_for(row)}"
        + (f"<br>Also reported: {row['also_reported']}" if row["also_reported"] else "")
        for _, row in annual.iterrows()
    ]
    return annual.sort_values(["group", "financial_year", "metric_id"])


def funding_year_notes(store: DataStore, selection: Selection) -> tuple[str, ...]:
    """Multi-year totals and the national programme, listed because they are not drawn."""
    names = short_names(store)
    _, multi = _funding_rows(store, selection)
    national = transforms.observations_for(
        store.observations,
        units=(NATIONAL,),
        metrics=("funding_home_office_vru",),
        year=selection.year,
        year_match="exact",
    )
    national = national[national["value"].notna() & national["financial_year"].notna()]
    national = transforms.preferred_figures(national, ["financial_year"]).sort_values(
        "financial_year"
    )
    notes = tuple(
        f"{names[row['unit_id']]}: {row['metric_label']} {row['value_text']} for "
        f"{row['period_label']} ({_source_for(row)}): a multi-year total, listed rather than "
        "drawn as a yearly bar."
        for _, row in multi.iterrows()
    )
    if not national.empty:
        notes += (
            "National programme (all units), not drawn so the units stay readable: "
            + "; ".join(
                f"{_fy(fy)} {text}"
                for fy, text in zip(national["financial_year"], national["value_text"], strict=True)
            )
            + ".",
        )
    return (
        *notes,
        "A triangle marks a bound: pointing right, 'over' (the grant may be larger); pointing "
        "left, 'up to'. Where sources give different figures for the same year, the exact, "
        "reported one is drawn and the others are in the hover and the table.",
        "Grip and surge money goes to police forces, not to the units, and is not drawn.",
    )


def funding_year_chart(store: DataStore, selection: Selection) -> ChartResult:
    annual = funding_year_frame(store, selection)
    figure = build_funding_bars(
        annual, colour_column="measure", colours=FUNDING_COLOURS, axis_title="Home Office money"
    )
    if annual.empty:
        summary = (
            f"No yearly Home Office figure for {short_units(store, selection)} "
            f"{_across(selection)}; any multi-year totals are listed below the chart."
        )
    else:
        top = annual.sort_values("value", kind="stable").iloc[-1]
        bounds = int(annual["is_lower_bound"].sum() + annual["is_upper_bound"].sum())
        units = annual["unit_id"].nunique()
        summary = (
            f"{count(units, 'unit')} {'has' if units == 1 else 'have'} a yearly figure "
            f"{_across(selection)}; the largest is {possessive(top['group'])} {top['value_text']} "
            f"({top['fy_label']})"
            + (
                f", and {count(bounds, 'figure')} {'is a bound' if bounds == 1 else 'are bounds'} "
                "('over' or 'up to')."
                if bounds
                else "."
            )
        )
    table = annual.rename(columns={"fy_label": "period"}).reindex(
        columns=[
            "unit_name",
            "metric_label",
            "period",
            "value_text",
            "qualifier",
            "also_reported",
            "citation",
            "value",
            "unit_id",
            "source_short",
        ]
    )
    return ChartResult(
        chart="funding-by-year",
        title="Home Office funding for each unit, by financial year",
        subtitle=subtitle_for(
            "VRU grant and related Home Office money (£)",
            units_words(selection, store),
            period_words(selection),
        ),
        source_line=short_source_line(annual),
        summary=summary,
        plot=figure,
        table=table,
        caveats=funding_year_notes(store, selection),
    )


NOTES: dict[str, Callable[[DataStore, Selection], tuple[str, ...]]] = {
    "knife-change": lambda store, selection: KNIFE_CHANGE_NOTES,
    "knife-before-after": before_after_notes,
    "funding-by-year": funding_year_notes,
}

SPECS: tuple[ChartSpec, ...] = (
    ChartSpec(
        name="knife-change",
        title="Reported changes in knife crime and youth violence",
        view="trends",
        build=knife_change_chart,
    ),
    ChartSpec(
        name="knife-before-after",
        title="Knife crime before and after, in numbers",
        view="trends",
        build=knife_before_after_chart,
    ),
    ChartSpec(
        name="funding-by-year",
        title="Home Office funding for each unit, by financial year",
        view="trends",
        build=funding_year_chart,
    ),
)
