"""Pure pandas functions over the prepared frames: filters, derived measures, totals.

None of them mutates its input or reads a file. Missing stays missing: a derived value that
cannot be computed is NaN with a `reason`, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.formatting import LOWER_BOUNDS, UPPER_BOUNDS

FUNDING_METRIC = "funding_home_office_vru"
REACH_METRICS = {
    "all": "reach_total",
    "universal": "reach_universal",
    "targeted": "reach_targeted",
    "young_people": "reach_young_people",
}


def financial_year_bounds(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """'2019-20' -> (2019-04-01, 2020-03-31)."""
    start = int(label[:4])
    return pd.Timestamp(start, 4, 1), pd.Timestamp(start + 1, 3, 31)


def observations_for(
    observations: pd.DataFrame,
    *,
    units: Sequence[str] = (),
    metrics: Sequence[str] = (),
    categories: Sequence[str] = (),
    year: str | None = None,
    year_match: str = "overlap",
) -> pd.DataFrame:
    """Rows for the chosen units, metrics, categories and financial year (empty choice = all).

    With a year, `year_match="exact"` keeps figures stated for that financial year only;
    `"overlap"` also keeps figures whose dated period overlaps it (e.g. "since July 2019").
    Figures with no known period are left out whenever a year is chosen.
    """
    keep = pd.Series(True, index=observations.index)
    if units:
        keep &= observations["unit_id"].isin(units)
    if metrics:
        keep &= observations["metric_id"].isin(metrics)
    if categories:
        keep &= observations["category"].isin(categories)
    if year:
        same_year = observations["financial_year"].eq(year).fillna(False)
        if year_match == "overlap":
            start, end = financial_year_bounds(year)
            overlaps = (observations["period_start"] <= end) & (observations["period_end"] >= start)
            same_year |= overlaps.fillna(False)
        keep &= same_year
    return observations.loc[keep]


def same_period(a: pd.Series, b: pd.Series) -> bool:
    """Two figures cover the same period: same financial year, same dates, or same wording."""
    if pd.notna(a["financial_year"]) and pd.notna(b["financial_year"]):
        return a["financial_year"] == b["financial_year"]
    if pd.notna(a["period_start"]) and pd.notna(b["period_start"]):
        return a["period_start"] == b["period_start"] and a["period_end"] == b["period_end"]
    return a["period_label"] == b["period_label"]


def ratio_qualifier(numerator: str, denominator: str) -> str:
    """How sure a ratio is, given how its two parts are qualified.

    A lower bound on top (or an upper bound below) makes the ratio a lower bound, and the
    reverse makes it an upper bound; bounds pulling both ways leave only an approximation.
    """
    up = numerator in LOWER_BOUNDS or denominator in UPPER_BOUNDS
    down = numerator in UPPER_BOUNDS or denominator in LOWER_BOUNDS
    if up and down:
        return "approximately"
    if up:
        return "at_least"
    if down:
        return "up_to"
    if "approximately" in (numerator, denominator):
        return "approximately"
    return "exact"


def _figure_columns(row: pd.Series | None, prefix: str) -> dict[str, object]:
    if row is None:
        return {
            f"{prefix}_value": np.nan,
            f"{prefix}_qualifier": pd.NA,
            f"{prefix}_period": pd.NA,
            f"{prefix}_citation": pd.NA,
            f"{prefix}_text": pd.NA,
        }
    return {
        f"{prefix}_value": float(row["value"]),
        f"{prefix}_qualifier": row["qualifier"],
        f"{prefix}_period": row["period_label"],
        f"{prefix}_citation": row["citation"],
        f"{prefix}_text": row["value_text"],
    }


def funding_per_person_reached(
    observations: pd.DataFrame,
    units: pd.DataFrame,
    *,
    reach_type: str = "all",
    funding_metric: str = FUNDING_METRIC,
    year: str | None = None,
) -> pd.DataFrame:
    """Funding divided by people reached, per unit, only where both share unit and period.

    One row per unit in `units`. Where no pair of figures matches, `value` is NaN and
    `reason` says why (no funding figure, no reach figure, or the periods differ).
    """
    reach_metric = REACH_METRICS[reach_type]
    usable = observations[observations["value"].notna()]
    usable = observations_for(usable, metrics=(funding_metric, reach_metric), year=year)
    rows = []
    for unit_id, unit_name in zip(units["unit_id"], units["name"], strict=True):
        mine = usable[usable["unit_id"] == unit_id]
        funding = mine[mine["metric_id"] == funding_metric]
        reach = mine[mine["metric_id"] == reach_metric]
        row: dict[str, object] = {"unit_id": unit_id, "unit_name": unit_name}
        pair = next(
            (
                (f, r)
                for _, f in funding.iterrows()
                for _, r in reach.iterrows()
                if same_period(f, r)
            ),
            None,
        )
        if pair is None:
            if funding.empty and reach.empty:
                reason = "no funding figure and no reach figure"
            elif funding.empty:
                reason = "no funding figure"
            elif reach.empty:
                reason = f"no {reach_type.replace('_', ' ')} reach figure"
            else:
                reason = (
                    "periods differ: funding "
                    + ", ".join(funding["period_label"])
                    + "; reach "
                    + ", ".join(reach["period_label"])
                )
            first_f = funding.iloc[0] if not funding.empty else None
            first_r = reach.iloc[0] if not reach.empty else None
            row |= _figure_columns(first_f, "funding") | _figure_columns(first_r, "reach")
            row |= {"value": np.nan, "qualifier": pd.NA, "period": pd.NA, "reason": reason}
        else:
            f, r = pair
            row |= _figure_columns(f, "funding") | _figure_columns(r, "reach")
            reached = float(r["value"])
            row |= {
                "value": float(f["value"]) / reached if reached > 0 else np.nan,
                "qualifier": ratio_qualifier(f["qualifier"], r["qualifier"]),
                "period": f["period_label"],
                "reason": "" if reached > 0 else "reach figure is zero",
            }
        rows.append(row)
    result = pd.DataFrame(rows)
    result["value"] = result["value"].astype(float)
    return result


def change_from_baseline(observations: pd.DataFrame) -> pd.DataFrame:
    """Add absolute and percent change from `baseline_value` to `value` (NaN with a reason)."""
    result = observations.copy()
    value = result["value"].astype(float)
    baseline = result["baseline_value"].astype(float)
    result["change_abs"] = value - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = (value - baseline) / baseline * 100
    result["change_pct"] = pct.where(baseline.ne(0) & baseline.notna())
    reason = np.select(
        [baseline.isna(), baseline.eq(0), value.isna()],
        ["no baseline stated", "baseline is zero", "no value stated"],
        default="",
    )
    result["change_reason"] = reason
    return result


@dataclass(frozen=True)
class Total:
    """A sum that remembers whether it is exact, a lower bound or only approximate."""

    value: float
    qualifier: str
    parts: int
    missing: int

    @property
    def is_missing(self) -> bool:
        return self.parts == 0


def total_with_bounds(values: Iterable[float], qualifiers: Iterable[str]) -> Total:
    """Sum figures; 'at least' if any part is a lower bound or missing, never more certain."""
    total, parts, missing = 0.0, 0, 0
    seen: set[str] = set()
    for value, qualifier in zip(values, qualifiers, strict=True):
        if value is None or pd.isna(value):
            missing += 1
            continue
        total += float(value)
        parts += 1
        seen.add(qualifier)
    if parts == 0:
        return Total(np.nan, "exact", 0, missing)
    lower = bool(seen & LOWER_BOUNDS) or missing > 0
    upper = bool(seen & UPPER_BOUNDS)
    if (lower and upper) or "approximately" in seen:
        qualifier = "approximately"
    elif lower:
        qualifier = "at_least"
    elif upper:
        qualifier = "up_to"
    else:
        qualifier = "exact"
    return Total(total, qualifier, parts, missing)


OVERVIEW_FUNDING = ("funding_home_office_vru",)
OVERVIEW_REACH = ("reach_total", "reach_universal", "reach_targeted", "reach_young_people")


def _figure_list(rows: pd.DataFrame, with_label: bool) -> str:
    """'£1.6m (2019/20; APCC 2020, p. 20)' for each figure, most recent period first."""
    ordered = rows.sort_values("period_start", ascending=False, na_position="last")
    parts = []
    for _, row in ordered.iterrows():
        label = f"{row['metric_label']}: " if with_label else ""
        parts.append(f"{label}{row['value_text']} ({row['period_label']}; {row['citation']})")
    return "; ".join(parts)


def unit_overview(
    observations: pd.DataFrame,
    units: pd.DataFrame,
    *,
    unit_ids: Sequence[str] = (),
    year: str | None = None,
) -> pd.DataFrame:
    """One row per chosen unit with its key funding and reach figures written out in full.

    A unit with no matching figure gets the text 'no data' in that column, never a 0.
    """
    chosen = units[units["unit_id"].isin(unit_ids)] if unit_ids else units
    figures = observations_for(
        observations,
        units=tuple(chosen["unit_id"]),
        metrics=OVERVIEW_FUNDING + OVERVIEW_REACH,
        year=year,
    )
    rows = []
    for unit in chosen.itertuples(index=False):
        mine = figures[figures["unit_id"] == unit.unit_id]
        funding = mine[mine["metric_id"].isin(OVERVIEW_FUNDING)]
        reach = mine[mine["metric_id"].isin(OVERVIEW_REACH)]
        rows.append(
            {
                "unit_id": unit.unit_id,
                "name": unit.name,
                "unit_type": unit.unit_type,
                "area_name": unit.area_name,
                "pcc": "" if pd.isna(unit.pcc) else unit.pcc,
                "lead": "" if pd.isna(unit.lead) else unit.lead,
                "funding": _figure_list(funding, with_label=False) or "no data",
                "reach": _figure_list(reach, with_label=True) or "no data",
                "figures": len(mine),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "name",
            "unit_type",
            "area_name",
            "pcc",
            "lead",
            "funding",
            "reach",
            "figures",
        ],
    )


def overview_sentence(overview: pd.DataFrame, year: str | None, total_units: int) -> str:
    """A plain-English line saying what the overview table shows."""
    period = f"in {year.replace('-', '/')}" if year else "across all periods"
    with_funding = int((overview["funding"] != "no data").sum())
    return (
        f"Showing {len(overview)} of {total_units} units; {with_funding} have a Home Office VRU "
        f"funding figure {period}."
    )
