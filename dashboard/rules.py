"""The rules every view follows before it adds, ranks or colours figures, and how totals read.

A figure quoted from this dashboard must never say more than its sources do. Rather than each
view deciding for itself, they all ask this module:

1. Sum only like with like: one measure, one financial year, whole unit areas, preferred figures
   (`summable`). A total with a missing part or a lower bound is "at least" (`word_total`).
2. Colour or rank together only figures of one period and whole areas (`colourable`); a
   change that began before the unit existed is context, not the unit's record.
3. Reach has one definition (`reach_metric_ids`) and one rule when a view needs one number per
   unit: the largest single figure stated for the period, its type named (`largest_reach`).
4. Money comes in kinds (`money_kind` in metrics.csv): unit grants, police grants, Serious
   Violence Duty money, combined programmes and national funds are never one measure.
5. "All units" in a year means the units that existed that year (`units_in_year`).

`RULES` lists them in words for the methods page and the README; the tests in
tests/unit/test_rules.py and tests/unit/test_headlines.py enforce each one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formatting import LOWER_BOUNDS, UPPER_BOUNDS, format_number

# The first financial year of the Home Office VRU programme: the year filter starts here.
PROGRAMME_START = "2019-20"
# Reach figures that are not people reached by a unit's own funded work.
NOT_UNIT_REACH = frozenset({"reach_police_operation_young_people", "reach_young_people_projected"})
# Geography wordings that describe a unit's whole area (or the grant's recipient), not a part.
WHOLE_UNIT_GEOGRAPHIES = frozenset({"Metropolitan Police area", "South Wales Police area"})
# Money that is the unit's own: its grant, or what it spent. Everything else is another kind.
UNIT_MONEY = frozenset({"unit_grant", "unit_spending"})
MONEY_KIND_WORDS = {
    "unit_grant": "Home Office grant to the unit",
    "unit_spending": "the unit's own budget or spending",
    "police_grant": "money to the police force, not the unit",
    "duty_grant": "Serious Violence Duty money to the local partnership",
    "combined": "several programmes reported as one figure",
    "national_fund": "a national fund, not a unit's money",
}
REACH_TYPE_WORDS = {
    "all": "people (no group given)",
    "universal": "people (universal)",
    "targeted": "people (targeted)",
    "young_people": "young people",
    "pupils": "pupils",
    "professionals": "professionals",
    "other": "people (other)",
}
# Sign convention of change measures: a fall is negative.
CHANGE_UNIT = "percent"

RULES: tuple[tuple[str, str], ...] = (
    (
        "Sums",
        "Figures are added only when they share a measure, a financial year and whole unit "
        "areas; alternatives, part-area figures and multi-year totals are never added in.",
    ),
    (
        "Totals",
        "A total with a missing unit or a lower bound ('over') is 'at least'; one with an 'up "
        "to' is 'up to'; money totals are rounded to £0.1m (down for 'at least').",
    ),
    (
        "Colour and rank",
        "A map or ranking shows one financial year at a time; each area is labelled with its "
        "period, and a unit without a figure for that year says what it does have.",
    ),
    (
        "Geography",
        "A figure for part of a unit's area (hot-spot areas, one borough) says so and never "
        "colours the whole force area.",
    ),
    (
        "Reach",
        "People reached by a unit's funded work, of any group; where one number per unit is "
        "needed it is the largest single figure stated for the period, its group named. Police "
        "operations and projections are not reach.",
    ),
    (
        "Money",
        "Unit grants, police grants (Grip, surge), Serious Violence Duty money, combined "
        "programmes and national funds are different measures, never drawn or added as one.",
    ),
    (
        "Changes",
        "A change measured from more than a year before the unit began (e.g. 'since 2012') is "
        "context, shown apart from changes during its life; signed changes use a scale centred "
        "on zero.",
    ),
    (
        "Units",
        "'All units' in a year means the units that existed then: 18 from 2019/20, 20 from "
        "2022/23.",
    ),
)


def programme_years(years: Iterable[str]) -> tuple[str, ...]:
    """The financial years a user may filter by: the programme's own, oldest first."""
    return tuple(sorted(y for y in set(years) if str(y) >= PROGRAMME_START))


def units_in_year(units: pd.DataFrame, year: str | None) -> pd.DataFrame:
    """The units that existed in `year` (all of them without a year)."""
    if not year or "start_year" not in units.columns:
        return units
    return units[units["start_year"].fillna(PROGRAMME_START).astype(str) <= year]


def is_part_area(geography: object) -> bool:
    """True when a unit's figure covers only part of its area (a borough, hot-spot areas)."""
    if geography is None or (not isinstance(geography, str) and pd.isna(geography)):
        return False
    return str(geography) not in WHOLE_UNIT_GEOGRAPHIES


def part_area_mask(frame: pd.DataFrame) -> pd.Series:
    """`is_part_area` for every row (national rows are never 'part' of a unit).

    The rule is asked once per distinct geography, not once per row: views call this on the
    whole table, and a release's first answers wait for it."""
    geography = frame["geography"]
    parts = [g for g in pd.unique(geography) if is_part_area(g)]
    return (geography.isin(parts) & frame["unit_id"].ne("national")).astype(bool)


def preferred_mask(frame: pd.DataFrame) -> pd.Series:
    """Rows that may be drawn or added: a value, and not another source's rival figure."""
    return frame["value"].notna() & ~frame["value_status"].isin(["alternative", "chart_only"])


def summable(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` that may go into a sum of unit figures (see the module docstring).

    The caller has already narrowed to one measure and one financial year; this drops what
    must never be added in even then: rival figures, part-area figures, figures without a
    single financial year (multi-year totals, undated) and money that is not the unit's own.
    """
    keep = preferred_mask(frame) & ~part_area_mask(frame) & frame["financial_year"].notna()
    if "money_kind" in frame.columns:
        kind = frame["money_kind"]
        keep &= kind.isna() | kind.eq("") | kind.isin(UNIT_MONEY)
    return frame[keep]


def reach_metric_ids(metrics: pd.DataFrame) -> tuple[str, ...]:
    """Metrics that count people reached by a unit's funded work (one definition everywhere)."""
    rows = metrics[
        metrics["category"].eq("reach")
        & metrics["unit_of_measure"].eq("people")
        & ~metrics["metric_id"].isin(NOT_UNIT_REACH)
    ]
    return tuple(rows["metric_id"])


def reach_type_words(reach_type: object) -> str:
    """'young people', 'pupils': who a reach figure counts."""
    if reach_type is None or (not isinstance(reach_type, str) and pd.isna(reach_type)):
        return "people"
    return REACH_TYPE_WORDS.get(str(reach_type), str(reach_type).replace("_", " "))


def largest_reach(observations: pd.DataFrame, metric_ids: Iterable[str]) -> pd.DataFrame:
    """One row per unit: its largest single reach figure among `observations` (one period).

    The caller narrows to one period first. Figures of different groups are never added
    (a pupil may also be a young person); the largest stated one is a floor on the people the
    unit reached, and the row keeps its `reach_type` so the label can name the group.
    Part-area figures, rivals and chart-only figures are left out.
    """
    rows = observations[
        observations["metric_id"].isin(list(metric_ids))
        & preferred_mask(observations)
        & ~part_area_mask(observations)
    ]
    ordered = rows.sort_values(["unit_id", "value", "obs_id"], ascending=[True, False, True])
    return ordered.drop_duplicates("unit_id", keep="first")


def change_in_unit_life(row: pd.Series, start_year: str | None) -> bool:
    """True when a change describes the unit's time, not a trend from before it existed.

    A before-and-after comparison naturally starts the year before the unit (its baseline),
    so the period (or the baseline) may begin at most one year before the unit's first
    financial year. A baseline further back (West Midlands' 'since 2012') makes the change
    context. An unstated period is taken as the unit's own when the source reports it as the
    unit's impact, as the report does.
    """
    earliest = int(str(start_year or PROGRAMME_START)[:4]) - 1
    begun = row.get("period_start")
    if begun is not None and not pd.isna(begun):
        return pd.Timestamp(begun).year >= earliest
    for text in (row.get("baseline_period_label"), row.get("period_label")):
        if text is None or pd.isna(text):
            continue
        years = [int(y) for y in _years_in(str(text))]
        if years:
            return min(years) >= earliest
    return True


def _years_in(text: str) -> list[str]:
    return re.findall(r"\b(?:19|20)\d{2}\b", text)


@dataclass(frozen=True)
class Total:
    """A sum that remembers how sure it is: exact, a lower or upper bound, or approximate."""

    value: float
    qualifier: str
    parts: int
    missing: int
    lower_bounds: int = 0
    approximations: int = 0
    # 'Up to' figures left out of a floor (see `total_of`), and what they add up to.
    ceilings_left_out: int = 0
    ceilings_value: float = 0.0

    @property
    def is_missing(self) -> bool:
        return self.parts == 0


def total_of(values: Iterable[float], qualifiers: Iterable[str], missing: int = 0) -> Total:
    """Add figures; a missing part or a lower bound makes the total 'at least'.

    `missing` counts units that should have a part but have none (beyond NaN values given).
    When something pulls the total up (a missing part, an 'over') and 'up to' figures pull it
    down, no sum of all parts is a floor or a ceiling; the floor that is true is the sum of the
    other parts, so the 'up to' figures are left out of it and counted in `ceilings_left_out`.
    """
    pairs: list[tuple[float, str]] = []
    for value, qualifier in zip(values, qualifiers, strict=True):
        if value is None or pd.isna(value):
            missing += 1
        else:
            pairs.append((float(value), str(qualifier)))
    return _total_of_pairs(pairs, missing)


def _total_of_pairs(pairs: list[tuple[float, str]], missing: int) -> Total:
    lower = sum(q in LOWER_BOUNDS for _, q in pairs)
    upper = [(v, q) for v, q in pairs if q in UPPER_BOUNDS]
    approx = sum(q == "approximately" for _, q in pairs)
    if not pairs:
        return Total(np.nan, "exact", 0, missing)
    pulls_up = lower > 0 or missing > 0
    if pulls_up and upper:
        floor = [(v, q) for v, q in pairs if q not in UPPER_BOUNDS]
        return Total(
            sum(v for v, _ in floor) if floor else np.nan,
            "at_least",
            len(floor),
            missing,
            lower,
            sum(q == "approximately" for _, q in floor),
            len(upper),
            sum(v for v, _ in upper),
        )
    if pulls_up:
        qualifier = "at_least"
    elif upper:
        qualifier = "up_to"
    elif approx:
        qualifier = "approximately"
    else:
        qualifier = "exact"
    return Total(sum(v for v, _ in pairs), qualifier, len(pairs), missing, lower, approx)


def headline_number(value: float, unit_of_measure: str, qualifier: str) -> str:
    """A total written for a headline: money to £0.1m, rounded the safe way for a bound."""
    if unit_of_measure == "gbp" and abs(value) >= 1_000_000:
        millions = value / 1_000_000
        if qualifier == "at_least":
            millions = math.floor(millions * 10) / 10
        elif qualifier == "up_to":
            millions = math.ceil(millions * 10) / 10
        else:
            millions = round(millions, 1)
        return f"£{millions:,.1f}m"
    return format_number(value, unit_of_measure)


_TOTAL_WORDS = {"at_least": "at least", "up_to": "up to", "approximately": "about", "exact": ""}


def total_text(total: Total, unit_of_measure: str) -> str:
    """'at least £33.6m': the total's figure with the word its parts allow."""
    if total.is_missing:
        return "no figure"
    number = headline_number(total.value, unit_of_measure, total.qualifier)
    return f"{_TOTAL_WORDS.get(total.qualifier, '')} {number}".strip()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 unit', '3 units': a count with its noun in the right number."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def total_detail(total: Total, expected: int, what: str, unit_of_measure: str = "gbp") -> str:
    """How a total was made: 'Sum of 9 of 18 units' figures for 2023/24; 2 are lower bounds.'"""
    if total.parts == 1 and expected == 1:
        detail = f"The unit's own figure {what}, as its source states it".rstrip()
    else:
        detail = f"Sum of {total.parts} of {plural(expected, 'unit')}' figures {what}".rstrip()
    notes = []
    if total.ceilings_left_out:
        notes.append(
            f"{plural(total.ceilings_left_out, 'up-to figure')} "
            f"({headline_number(total.ceilings_value, unit_of_measure, 'up_to')}) left out, "
            "as they cannot raise a floor"
        )
    if total.missing:
        notes.append(f"{plural(total.missing, 'unit')} without one")
    single = total.parts == 1 and expected == 1
    if total.lower_bounds:
        verb = "is a lower bound" if total.lower_bounds == 1 else "are lower bounds"
        notes.append("a lower bound" if single else f"{total.lower_bounds} {verb}")
    if total.approximations:
        verb = "is approximate" if total.approximations == 1 else "are approximate"
        notes.append("approximate" if single else f"{total.approximations} {verb}")
    if notes:
        detail += " (" + "; ".join(notes) + ")"
    return detail + "."
