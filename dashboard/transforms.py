"""Pure pandas functions over the prepared frames: filters, derived measures, totals.

None of them mutates its input or reads a file. Missing stays missing: a derived value that
cannot be computed is NaN with a `reason`, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard import rules, wording
from dashboard.formatting import LOWER_BOUNDS, MISSING_TEXT, UPPER_BOUNDS, citation_parts

FUNDING_METRIC = "funding_home_office_vru"
# Money a unit received or spent itself, in the order preferred when several match a reach figure.
SPENDING_METRICS: tuple[str, ...] = (
    "funding_home_office_vru",
    "funding_invested_interventions",
    "funding_total",
)
REACH_METRICS = {
    "all": "reach_total",
    "universal": "reach_universal",
    "targeted": "reach_targeted",
    "young_people": "reach_young_people",
    "pupils": "reach_pupils",
}
# Reach type meaning "every reach type above": one ratio per unit and reach measure.
ANY_REACH = "any"


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


_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
}  # fmt: skip
UNSTATED_PERIOD = "not stated"


def period_wording(label: object) -> str:
    """'Phase One' -> 'phase 1': a period's wording reduced so that equal wordings compare equal."""
    words = re.sub(r"[^\w/]+", " ", str(label).lower()).split()
    return " ".join(_NUMBER_WORDS.get(word, word) for word in words)


def same_period(a: pd.Series, b: pd.Series) -> bool:
    """Two figures cover the same period: same financial year, same dates, or same wording.

    Wording alone ('phase 1', 'last year') only means the same stretch of time inside one
    document, so it counts only when both figures come from the same source, and never when
    the source says the period is not stated.
    """
    if pd.notna(a["financial_year"]) and pd.notna(b["financial_year"]):
        return a["financial_year"] == b["financial_year"]
    if pd.notna(a["period_start"]) and pd.notna(b["period_start"]):
        return a["period_start"] == b["period_start"] and a["period_end"] == b["period_end"]
    wording = period_wording(a["period_label"])
    if not wording or wording.startswith(UNSTATED_PERIOD):
        return False
    if a.get("source_id", None) != b.get("source_id", None):
        return False
    return wording == period_wording(b["period_label"])


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
            f"{prefix}_metric": pd.NA,
            f"{prefix}_label": pd.NA,
            f"{prefix}_source": pd.NA,
        }
    return {
        f"{prefix}_value": float(row["value"]),
        f"{prefix}_qualifier": row["qualifier"],
        f"{prefix}_period": row["period_label"],
        f"{prefix}_citation": row["citation"],
        f"{prefix}_text": row["value_text"],
        f"{prefix}_metric": row["metric_id"],
        f"{prefix}_label": row.get("metric_label", row["metric_id"]),
        f"{prefix}_source": row.get("source_short", pd.NA),
    }


_STATUS_RANK = {"reported": 0, "provisional": 1}
_QUALIFIER_RANK = {"exact": 0, "approximately": 1}
REACH_TYPE_OF = {metric: reach_type for reach_type, metric in REACH_METRICS.items()}


def _preference(row: pd.Series, metric_order: Sequence[str]) -> tuple[int, int, int]:
    """Sort key for rival figures: reported, then exact, then the earlier metric in the order."""
    metric = row["metric_id"]
    return (
        _STATUS_RANK.get(row["value_status"], 2),
        _QUALIFIER_RANK.get(row["qualifier"], 2),
        metric_order.index(metric) if metric in metric_order else len(metric_order),
    )


def _period_key(row: pd.Series) -> object:
    if pd.notna(row["financial_year"]):
        return row["financial_year"]
    if pd.notna(row["period_start"]):
        return (row["period_start"], row["period_end"])
    return period_wording(row["period_label"])


def _reach_metrics_for(reach_type: str) -> tuple[str, ...]:
    if reach_type == ANY_REACH:
        return tuple(REACH_METRICS.values())
    return (REACH_METRICS[reach_type],)


def _unit_pairs(
    funding: pd.DataFrame,
    reach: pd.DataFrame,
    funding_metrics: Sequence[str],
    reach_metrics: Sequence[str],
) -> list[tuple[pd.Series, pd.Series]]:
    """For each reach measure and period, the preferred reach figure with its preferred funding.

    Rival figures for the same measure and period (two sources, a rounded and an exact one) give
    one pair, not several, so a unit is never counted twice for one stretch of time.
    """
    best: dict[tuple[str, object], tuple[pd.Series, pd.Series]] = {}
    funding_rows = [f for _, f in funding.iterrows()]  # once, not once per reach figure
    for _, r in reach.iterrows():
        matches = [f for f in funding_rows if same_period(f, r)]
        if not matches:
            continue
        f = min(matches, key=lambda row: _preference(row, funding_metrics))
        key = (r["metric_id"], _period_key(r))
        rival = best.get(key)
        if rival is None or _preference(r, reach_metrics) < _preference(rival[1], reach_metrics):
            best[key] = (f, r)
    return list(best.values())


def _pair_columns(f: pd.Series, r: pd.Series) -> dict[str, object]:
    reached = float(r["value"])
    return (
        _figure_columns(f, "funding")
        | _figure_columns(r, "reach")
        | {
            "reach_type": REACH_TYPE_OF.get(r["metric_id"], pd.NA),
            "value": float(f["value"]) / reached if reached > 0 else np.nan,
            "qualifier": ratio_qualifier(f["qualifier"], r["qualifier"]),
            "period": f["period_label"],
            "reason": "" if reached > 0 else "reach figure is zero",
        }
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values))


def _no_pair_reason(
    funding: pd.DataFrame, reach: pd.DataFrame, reach_type: str, year: str | None
) -> str:
    """Why a unit has no ratio, in words a reader can check against the figures listed."""
    when = f" in {year.replace('-', '/')}" if year else ""
    kind = "" if reach_type in ("all", ANY_REACH) else reach_type.replace("_", " ") + " "
    if funding.empty and reach.empty:
        return f"no funding figure and no {kind}reach figure{when}"
    if funding.empty:
        return f"no funding figure{when}"
    if reach.empty:
        return f"no {kind}reach figure{when}"
    funding = funding.sort_values("period_start", na_position="last")
    reach = reach.sort_values("period_start", na_position="last")
    return (
        "periods differ: funding "
        + ", ".join(_unique(funding["period_label"]))
        + "; reach "
        + ", ".join(_unique(reach["period_label"]))
    )


PAIR_COLUMNS = (
    "unit_id", "metric_id", "metric_label", "value", "qualifier", "value_status",
    "period_label", "period_start", "period_end", "financial_year", "source_id",
    "source_short", "citation", "value_text",
)  # fmt: skip


def _spending_and_reach(
    observations: pd.DataFrame,
    funding_metrics: Sequence[str],
    reach_metrics: Sequence[str],
    year: str | None,
    year_match: str = "overlap",
) -> dict[str, pd.DataFrame]:
    """The usable funding and reach figures, narrowed to the columns pairing reads, by unit.

    Usable means what `rules` lets a view compare: preferred figures of the whole area.
    Grouping once (instead of a mask per unit over the wide table) keeps this fast.
    """
    usable = observations[rules.preferred_mask(observations) & ~rules.part_area_mask(observations)]
    usable = observations_for(
        usable, metrics=(*funding_metrics, *reach_metrics), year=year, year_match=year_match
    )
    usable = usable[[c for c in PAIR_COLUMNS if c in usable.columns]]
    return {str(unit): part for unit, part in usable.groupby("unit_id", sort=False)}


def _empty_figures(observations: pd.DataFrame) -> pd.DataFrame:
    return observations.iloc[0:0][[c for c in PAIR_COLUMNS if c in observations.columns]]


def funding_per_person_reached(
    observations: pd.DataFrame,
    units: pd.DataFrame,
    *,
    reach_type: str = "all",
    funding_metric: str | None = None,
    funding_metrics: Sequence[str] = SPENDING_METRICS,
    year: str | None = None,
    year_match: str = "overlap",
) -> pd.DataFrame:
    """Funding divided by people reached, per unit, only where both share unit and period.

    Any money the unit received or spent (`funding_metrics`, or just `funding_metric`) can be
    paired with a reach figure of `reach_type` (or of every type, `ANY_REACH`) for the same
    financial year, dates or wording. One row per unit in `units`: the preferred pair (reported
    and exact figures first, then the order of `funding_metrics`), naming the funding and reach
    measures used. Where no pair matches, `value` is NaN and `reason` says why (no funding
    figure, no reach figure, or the periods differ).
    """
    funding_metrics = (funding_metric,) if funding_metric else tuple(funding_metrics)
    reach_metrics = _reach_metrics_for(reach_type)
    by_unit = _spending_and_reach(observations, funding_metrics, reach_metrics, year, year_match)
    empty = _empty_figures(observations)
    rows = []
    for unit_id, unit_name in zip(units["unit_id"], units["name"], strict=True):
        mine = by_unit.get(unit_id, empty)
        funding = mine[mine["metric_id"].isin(funding_metrics)]
        reach = mine[mine["metric_id"].isin(reach_metrics)]
        row: dict[str, object] = {"unit_id": unit_id, "unit_name": unit_name}
        pairs = _unit_pairs(funding, reach, funding_metrics, reach_metrics)
        if not pairs:
            first_f = funding.iloc[0] if not funding.empty else None
            first_r = reach.iloc[0] if not reach.empty else None
            row |= _figure_columns(first_f, "funding") | _figure_columns(first_r, "reach")
            row |= {
                "reach_type": pd.NA if reach_type == ANY_REACH else reach_type,
                "value": np.nan,
                "qualifier": pd.NA,
                "period": pd.NA,
                "reason": _no_pair_reason(funding, reach, reach_type, year),
            }
        else:
            f, r = min(
                pairs,
                key=lambda pair: (
                    _preference(pair[1], reach_metrics),
                    _preference(pair[0], funding_metrics),
                    -(pair[1]["period_end"].value if pd.notna(pair[1]["period_end"]) else 0),
                ),
            )
            row |= _pair_columns(f, r)
        rows.append(row)
    result = pd.DataFrame(rows)
    result["value"] = result["value"].astype(float)
    return result


def funding_reach_pairs(
    observations: pd.DataFrame,
    units: pd.DataFrame,
    *,
    reach_type: str = ANY_REACH,
    funding_metrics: Sequence[str] = SPENDING_METRICS,
    year: str | None = None,
    year_match: str = "overlap",
) -> pd.DataFrame:
    """Every comparable funding/reach pair: one row per unit, reach measure and period.

    Unlike `funding_per_person_reached` (one row per unit), a unit with, say, universal and
    targeted reach for the same year gets a row for each, so both can be drawn and labelled.
    Units without any pair get no row here; ask `funding_per_person_reached` for the reason.
    """
    funding_metrics = tuple(funding_metrics)
    reach_metrics = _reach_metrics_for(reach_type)
    by_unit = _spending_and_reach(observations, funding_metrics, reach_metrics, year, year_match)
    empty = _empty_figures(observations)
    rows = []
    for unit_id, unit_name in zip(units["unit_id"], units["name"], strict=True):
        mine = by_unit.get(unit_id, empty)
        funding = mine[mine["metric_id"].isin(funding_metrics)]
        reach = mine[mine["metric_id"].isin(reach_metrics)]
        for f, r in _unit_pairs(funding, reach, funding_metrics, reach_metrics):
            rows.append({"unit_id": unit_id, "unit_name": unit_name} | _pair_columns(f, r))
    columns = ["unit_id", "unit_name", *_pair_columns_template()]
    result = pd.DataFrame(rows, columns=columns)
    result["value"] = result["value"].astype(float)
    return result


def _pair_columns_template() -> list[str]:
    figure = list(_figure_columns(None, "funding")) + list(_figure_columns(None, "reach"))
    return [*figure, "reach_type", "value", "qualifier", "period", "reason"]


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


def each_once(values: pd.Series, function: Callable[[Any], Any]) -> list:
    """`function` of each value, worked out once per distinct value: what `values.map(function)`
    gives, for slugs that repeat on hundreds of rows and are each read with regular expressions."""
    found = values.tolist()
    known = {value: function(value) for value in dict.fromkeys(found)}
    return [known[value] for value in found]


def sort_order(keys: np.ndarray, *, ascending: bool = True) -> list[int]:
    """Positions of `keys` in the order DataFrame.sort_values gives for one key column.

    The same steps as pandas (numpy's quicksort on the present values, reversed around the
    sort when descending, missing values last), so rows with equal keys come out in the same
    order as a sort of the frame would put them: for sorting lists instead of sub-frames.
    """
    missing = np.asarray(pd.isna(keys), dtype=bool)
    index = np.arange(len(keys))
    present, where = keys[~missing], index[~missing]
    if not ascending:
        present, where = present[::-1], where[::-1]
    order = where[present.argsort(kind="quicksort")]
    if not ascending:
        order = order[::-1]
    return [*order.tolist(), *index[missing].tolist()]


def _figure_list(columns: dict[str, list], starts: np.ndarray, with_label: bool) -> str:
    """'£1.6m (2019/20; APCC 2020, p. 20)' for each figure, most recent period first."""
    parts = []
    for position in sort_order(starts, ascending=False):
        label = f"{columns['metric_label'][position]}: " if with_label else ""
        # The source's name only: its web address is a link on the profile, not cell text.
        source = citation_parts(str(columns["citation"][position]))[0]
        parts.append(
            f"{label}{columns['value_text'][position]} "
            f"({columns['period_label'][position]}; {source})"
        )
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
    reach_metrics = tuple(
        observations.loc[
            observations["category"].eq("reach")
            & observations["unit_of_measure"].eq("people")
            & ~observations["metric_id"].isin(rules.NOT_UNIT_REACH),
            "metric_id",
        ].unique()
    )
    figures = observations_for(
        observations,
        units=tuple(chosen["unit_id"]),
        metrics=OVERVIEW_FUNDING + reach_metrics,
        year=year,
    )
    # Read once into lists and grouped by unit in Python: a mask and a sort per unit and
    # column over sub-frames was most of a release's first answer.
    texts = ("unit_id", "metric_id", "metric_label", "value_text", "period_label", "citation")
    columns = {name: figures[name].tolist() for name in texts}
    starts = figures["period_start"].to_numpy()
    by_unit: dict[str, list[int]] = {}
    for position, unit_id in enumerate(columns["unit_id"]):
        by_unit.setdefault(unit_id, []).append(position)
    reach_set = set(reach_metrics)

    def listed(positions: list[int], with_label: bool) -> str:
        part = {name: [values[p] for p in positions] for name, values in columns.items()}
        return _figure_list(part, starts[positions], with_label)

    rows = []
    for unit in chosen.itertuples(index=False):
        mine = by_unit.get(unit.unit_id, [])
        funding = [p for p in mine if columns["metric_id"][p] in OVERVIEW_FUNDING]
        reach = [p for p in mine if columns["metric_id"][p] in reach_set]
        rows.append(
            {
                "unit_id": unit.unit_id,
                "name": unit.name,
                "unit_type": unit.unit_type,
                "area_name": unit.area_name,
                "pcc": "" if pd.isna(unit.pcc) else unit.pcc,
                "lead": "" if pd.isna(unit.lead) else unit.lead,
                "funding": listed(funding, with_label=False) or MISSING_TEXT,
                "reach": listed(reach, with_label=True) or MISSING_TEXT,
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
    with_funding = int((overview["funding"] != MISSING_TEXT).sum())
    return (
        f"Showing {len(overview)} of {total_units} units; {with_funding} "
        f"{wording.verb(with_funding)} a Home Office VRU funding figure {period}."
    )


# --- Unit profile and compare views ---------------------------------------------------------

PROFILE_CATEGORY_ORDER = (
    "funding",
    "reach",
    "outcome",
    "activity",
    "enforcement",
    "organisation",
    "context",
)
CATEGORY_HEADINGS = {
    "funding": "Funding",
    "reach": "Reach",
    "outcome": "Outcomes",
    "activity": "Initiatives and activity",
    "enforcement": "Enforcement",
    "organisation": "Organisation",
    "context": "Context",
}
CHART_ONLY_TEXT = "not available (chart only)"
UNIT_OF_MEASURE_WORDS = {
    "gbp": "Money (£)",
    "people": "People",
    "count": "Number",
    "percent": "Per cent (%)",
    "offences": "Offences",
    "rate_per_100k": "Rate per 100,000 people",
    "rate_per_10k": "Rate per 10,000 pupils",
    "days": "Days",
    "years": "Years",
    "year": "Year",
}
# Per-head rates and percentages describe an area whatever its size, so a national figure can be
# drawn beside the units'; totals (money, counts) of the whole country would only flatten the axis.
RELATIVE_UNITS = frozenset({"percent", "rate_per_100k", "rate_per_10k"})


def display_text(
    value: float | None,
    value_text: str,
    baseline: float | None,
    unit_of_measure: str,
    value_status: str,
) -> str:
    """The figure as the profile writes it: 'from 964 to 794' when a baseline is stated.

    A figure the source only drew as a chart reads 'not available (chart only)', never a number.
    """
    from dashboard.formatting import format_number

    if value_status == "chart_only":
        return CHART_ONLY_TEXT
    if baseline is not None and pd.notna(baseline) and value is not None and pd.notna(value):
        return f"from {format_number(float(baseline), unit_of_measure)} to {value_text}"
    return value_text


def with_display_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with a `display_text` column (see `display_text`); needs the observation columns."""
    result = frame.copy()
    result["display_text"] = [
        display_text(
            None if pd.isna(v) else float(v),
            text,
            None if pd.isna(b) else float(b),
            uom,
            status,
        )
        for v, text, b, uom, status in zip(
            result["value"],
            result["value_text"],
            result["baseline_value"],
            result["unit_of_measure"],
            result["value_status"],
            strict=True,
        )
    ]
    return result


def unit_figures(
    observations: pd.DataFrame,
    unit_id: str,
    *,
    categories: Sequence[str] = (),
    year: str | None = None,
) -> pd.DataFrame:
    """Every figure of one unit, with `display_text`, ordered by category, measure and period.

    Chart-only figures are kept (they read 'not available (chart only)') so the profile says
    what the source shows even where it gives no number.
    """
    rows = observations_for(observations, units=(unit_id,), categories=categories, year=year)
    rows = with_display_text(rows)
    order = {category: rank for rank, category in enumerate(PROFILE_CATEGORY_ORDER)}
    rows["category_rank"] = rows["category"].map(order).fillna(len(order)).astype(int)
    return rows.sort_values(
        ["category_rank", "metric_label", "period_start", "obs_id"], na_position="last"
    ).reset_index(drop=True)


# Sources of the series built from publishers' tables by `make data` (DfE, ONS): a unit has one
# figure per year and release of these, which the Trends page draws as series.
OFFICIAL_SOURCE_PREFIXES = ("dfe_", "ons_pfa_")


def latest_official_figures(figures: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep each official measure's latest period only, and say how many earlier rows were left.

    A profile lists a unit's figures as tables; with every DfE year and ONS edition that is
    hundreds of rows (thousands of page elements) that the Trends page already draws as series.
    Figures from other sources are all kept. Of several releases giving the latest period, the
    last loaded is kept (the one the trend lines use).
    """
    official = [
        source.startswith(OFFICIAL_SOURCE_PREFIXES)
        for source in figures["source_id"].astype(str).tolist()
    ]
    if not any(official):
        return figures, 0
    # In plain Python over the columns (a groupby per chart was most of a profile chart's
    # data work): each measure's latest period end, then the last row that has it.
    metrics, ends = figures["metric_id"].tolist(), figures["period_end"].tolist()
    latest: dict[object, object] = {}
    for is_official, metric, end in zip(official, metrics, ends, strict=True):
        if is_official and not pd.isna(metric) and not pd.isna(end):
            latest[metric] = max(latest.get(metric, end), end)
    last_of: dict[object, object] = {}
    for label, is_official, metric, end in zip(figures.index, official, metrics, ends, strict=True):
        if is_official and metric in latest and end == latest[metric]:
            last_of[metric] = label
    keep = set(last_of.values())
    shown = [
        not is_official or label in keep
        for label, is_official in zip(figures.index, official, strict=True)
    ]
    kept = figures.loc[shown]
    return kept, int(len(figures) - len(kept))


def _short_date(stamp: pd.Timestamp) -> str:
    return f"{stamp.day} {stamp:%b %Y}"


def period_basis(frame: pd.DataFrame) -> pd.Series:
    """A key per figure saying which stretch of time it covers, or NA when that is unknown.

    Two figures can be set side by side only when their keys are equal: the same first and last
    day, or (without dates) the same financial year. Wording alone ('phase 1', 'since 2018')
    means different things in different units, so it gives no key.
    """
    start, end, fy = frame["period_start"], frame["period_end"], frame["financial_year"]
    dated = start.notna() & end.notna()
    keys = pd.Series(pd.NA, index=frame.index, dtype="string")
    # Column-wise (dates written by pandas, each financial year once): the whole table is
    # keyed for every comparison, and a loop over its rows was a fifth of the chart.
    keys[dated] = (
        start[dated].dt.strftime("%Y-%m-%d") + "/" + end[dated].dt.strftime("%Y-%m-%d")
    ).astype("string")
    by_year = ~dated & fy.notna()
    keys[by_year] = pd.Series(
        each_once(fy[by_year], _financial_year_basis), index=fy[by_year].index, dtype="string"
    )
    return keys


def _financial_year_basis(year: object) -> str:
    first, last = financial_year_bounds(str(year))
    return f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"


def period_basis_label(key: str) -> str:
    """'2019-04-01/2020-03-31' -> '2019/20'; other spans as '1 Jul 2022 to 30 Jun 2023'."""
    first_text, last_text = key.split("/")
    first, last = pd.Timestamp(first_text), pd.Timestamp(last_text)
    if first.month == 4 and first.day == 1 and last == pd.Timestamp(first.year + 1, 3, 31):
        return f"{first.year}/{str(first.year + 1)[2:]}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return f"calendar year {first.year}"
    return f"{_short_date(first)} to {_short_date(last)}"


COMPARE_COLUMNS = (
    "group_key",
    "group_label",
    "metric_id",
    "metric_label",
    "unit_of_measure",
    "unit_id",
    "unit_name",
    "row_label",
    "role",
    "is_focus",
    "is_drawn",
    "value",
    "value_text",
    "qualifier",
    "period_label",
    "geography",
    "series",
    "source_short",
    "citation",
    "note",
)
UNMATCHED_COLUMNS = (
    "metric_id",
    "metric_label",
    "category",
    "display_text",
    "period_label",
    "citation",
    "reason",
)


def _row_label(unit_name: str, geography: object, is_national: bool) -> str:
    """The unit's name, plus the area when a figure covers only part of it (or all of E&W)."""
    if is_national:
        return f"National: {geography}" if pd.notna(geography) else "National programme"
    return f"{unit_name} ({geography})" if pd.notna(geography) else unit_name


def compare_figures(
    observations: pd.DataFrame,
    focus: str,
    *,
    peers: Sequence[str] = (),
    year: str | None = None,
    national: str = "national",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The focus unit's figures beside other units' and national figures for the same measure
    and period, and the focus figures that have no such partner (with the reason).

    Returns (compared, unmatched). `compared` has one row per drawn or listed figure
    (COMPARE_COLUMNS), in groups keyed by measure and period; a group exists only where the focus
    unit and at least one other unit or the national programme have a figure. `peers` limits the
    other units (empty = all). National totals of money or counts are listed (`is_drawn` False)
    rather than drawn, because on the same axis as one unit they would say nothing; national
    rates and percentages are drawn. `unmatched` (UNMATCHED_COLUMNS) holds every focus figure
    outside a group.
    """
    rows = observations_for(observations, year=year)
    if "basis" not in rows.columns:  # given by a caller that keys its rows once for many calls
        rows = rows.assign(basis=period_basis(rows))
    others_allowed = rows["unit_id"].eq(national) | rows["unit_id"].ne(focus)
    if peers:
        others_allowed &= rows["unit_id"].isin([*peers, national])
    mine = with_display_text(rows[rows["unit_id"] == focus])
    # The table read once into lists and grouped by measure and period, so that each of the
    # focus unit's figures looks its partners up instead of filtering the whole table.
    unit_ids = rows["unit_id"].tolist()
    metrics = rows["metric_id"].tolist()
    bases = rows["basis"].tolist()
    has_value = rows["value"].notna().tolist()
    allowed = others_allowed.tolist()
    other_bases: dict[str, list] = {}  # measure -> the bases of other figures, in table order
    other_pairs: set[tuple[str, str]] = set()  # (measure, basis) of other figures with dates
    groups: dict[tuple[str, str], list[int]] = {}  # (measure, basis) -> positions in rows
    for position, (unit, metric, basis, valued, ok) in enumerate(
        zip(unit_ids, metrics, bases, has_value, allowed, strict=True)
    ):
        if ok and unit != focus and valued:
            other_bases.setdefault(metric, []).append(basis)
            if not pd.isna(basis):
                other_pairs.add((metric, basis))
        if valued and (unit == focus or ok) and not pd.isna(basis):
            groups.setdefault((metric, basis), []).append(position)

    chosen: list[int] = []
    unmatched: list[dict[str, object]] = []
    done: set[tuple[str, str]] = set()
    fields = (
        "metric_id", "metric_label", "category", "display_text", "period_label", "citation",
        "value_status", "value", "basis",
    )  # fmt: skip
    ordered = mine.sort_values(["metric_label", "period_start"])
    for figure in ordered.loc[:, list(fields)].to_dict("records"):
        reason = ""
        if figure["value_status"] == "chart_only" or pd.isna(figure["value"]):
            reason = "shown only as a chart in the source, so there is no number to compare"
        elif pd.isna(figure["basis"]):
            reason = (
                f"its period ('{figure['period_label']}') has no dates, so it cannot be lined "
                "up with another figure"
            )
        else:
            same_metric = other_bases.get(figure["metric_id"], [])
            if (figure["metric_id"], figure["basis"]) not in other_pairs:
                if not same_metric:
                    reason = "no other unit and no national figure has this measure"
                else:
                    periods = sorted({period_basis_label(k) for k in same_metric if not pd.isna(k)})
                    shown = ", ".join(periods[:4]) + (" and others" if len(periods) > 4 else "")
                    reason = "other figures for this measure cover other periods" + (
                        f" ({shown})" if shown else " (undated)"
                    )
            else:
                key = (figure["metric_id"], str(figure["basis"]))
                if key not in done:
                    done.add(key)
                    chosen += groups[(figure["metric_id"], figure["basis"])]
        if reason:
            unmatched.append({name: figure[name] for name in UNMATCHED_COLUMNS[:-1]})
            unmatched[-1]["reason"] = reason

    unmatched_frame = pd.DataFrame(unmatched, columns=list(UNMATCHED_COLUMNS))
    if not chosen:
        return pd.DataFrame(columns=list(COMPARE_COLUMNS)), unmatched_frame
    table = rows.iloc[chosen]
    is_national = table["unit_id"].eq(national)
    relative = table["unit_of_measure"].isin(RELATIVE_UNITS)
    labels = {}
    for key, part in table.groupby("basis"):
        wordings = set(part["period_label"])
        labels[key] = wordings.pop() if len(wordings) == 1 else period_basis_label(str(key))
    series_count = table.groupby(["metric_id", "basis"])["series"].transform(
        lambda s: s.fillna("(none)").nunique()
    )
    result = pd.DataFrame(
        {
            "group_key": table["metric_id"] + "|" + table["basis"].astype(str),
            "group_label": [
                f"{label} · {labels[basis]}"
                for label, basis in zip(table["metric_label"], table["basis"], strict=True)
            ],
            "metric_id": table["metric_id"],
            "metric_label": table["metric_label"],
            "unit_of_measure": table["unit_of_measure"],
            "unit_id": table["unit_id"],
            "unit_name": table["unit_name"],
            "row_label": [
                _row_label(name, geo, nat)
                for name, geo, nat in zip(
                    table["unit_name"], table["geography"], is_national, strict=True
                )
            ],
            "role": np.select(
                [table["unit_id"].eq(focus), is_national], ["focus", "national"], "other unit"
            ),
            "is_focus": table["unit_id"].eq(focus),
            "is_drawn": ~is_national | relative,
            "value": table["value"].astype(float),
            "value_text": table["value_text"],
            "qualifier": table["qualifier"],
            "period_label": table["period_label"],
            "geography": table["geography"],
            "series": table["series"],
            "source_short": table["source_short"],
            "citation": table["citation"],
            "note": np.select(
                [is_national & relative, is_national, series_count.gt(1)],
                [
                    "national figure, drawn as a dashed line",
                    "national total, listed but not drawn (a total for all areas)",
                    "figures in this comparison come from different sources",
                ],
                "",
            ),
        }
    )
    return result.reset_index(drop=True), unmatched_frame


def unit_area_frame(coverage: pd.DataFrame, units: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """One row per force for the profile's locator map: the unit's forces valued 1, others NaN.

    `coverage` is `geography.unit_coverage(...)`; the result has the columns `build_area_map`
    needs, with the unit name as hover text.
    """
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    frame = coverage.loc[:, ["pfa_code", "pfa_name", "unit_id"]].copy()
    frame["unit_name"] = frame["unit_id"].map(names)
    frame["value"] = np.where(frame["unit_id"].eq(unit_id).fillna(False), 1.0, np.nan)
    frame["hover_text"] = frame["unit_name"].fillna("").astype(str)
    return frame


# --- Trends and investment views ------------------------------------------------------------

# A figure covering more than about a year (a pooled share, a multi-year total) is not a point
# of an annual series; 13 months leaves room for 'year ending' periods of 366 days.
LONGEST_POINT_DAYS = 400


def undrawable_reason(row: pd.Series) -> str:
    """Why a figure cannot be a point on a time axis ('' when it can)."""
    return _undrawable(
        row["value_status"],
        row["value"],
        row.get("page", pd.NA),
        row["source_short"],
        row["period_start"],
        row["period_end"],
    )


def _undrawable(status, value, page, source_short, start, end) -> str:
    """`undrawable_reason` from the row's values (time_points reads them column by column)."""
    if status == "chart_only" or pd.isna(value):
        page = f" p. {int(page)}" if pd.notna(page) else ""
        return f"shown only as a chart in {source_short}{page}, values not published"
    if pd.isna(end):
        return "the source gives no dates for its period"
    if pd.isna(start):
        return "its period has an end date but no start date"
    if (end - start).days > LONGEST_POINT_DAYS:
        return "it covers several years at once, not one year"
    return ""


def time_points(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split figures into those drawable on a time axis and the rest, each with its reason.

    Drawn figures are placed at the end of their period (the 'year ending' date) and keep their
    `series`: a line may only join figures of one unit, metric and series. Figures without a
    series get a series of their own source, so they are never joined to another release.
    """
    result = frame.copy()
    pages = result["page"].tolist() if "page" in result else [pd.NA] * len(result)
    # Column by column, not row by row (iterrows): the same reasons in a fraction of the time.
    result["reason"] = [
        _undrawable(*values)
        for values in zip(
            result["value_status"].tolist(),
            result["value"].tolist(),
            pages,
            result["source_short"].tolist(),
            result["period_start"].tolist(),
            result["period_end"].tolist(),
            strict=True,
        )
    ]
    result["series_key"] = result["series"].fillna(result["source_id"]).astype(str)
    result["x"] = result["period_end"]
    drawn = result[result["reason"] == ""].sort_values(["unit_id", "metric_id", "series_key", "x"])
    return drawn, result[result["reason"] != ""]


def preferred_figures(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One figure per group of `keys` (e.g. unit, metric, financial year), others mentioned.

    Where sources disagree or repeat each other, the reported, exact figure is kept (then the
    one listed first); the rivals are written into `also_reported`, never averaged or dropped.
    """
    keys = list(keys)
    ranked = frame.assign(
        _status=frame["value_status"].map(_STATUS_RANK).fillna(2),
        _qualifier=frame["qualifier"].map(_QUALIFIER_RANK).fillna(2),
        _mention=frame["value_text"].astype(str) + " (" + frame["source_short"].astype(str) + ")",
    ).sort_values(["_status", "_qualifier"], kind="stable")
    first = ~ranked.duplicated(keys, keep="first")
    rivals = ranked[~first].groupby(keys, dropna=False, sort=False)["_mention"].agg("; ".join)
    kept = ranked[first]
    also = pd.Series(
        [
            rivals.get(tuple(k) if len(keys) > 1 else k[0], "")
            for k in kept[keys].itertuples(index=False)
        ],
        index=kept.index,
        dtype="string",
    )
    return (
        kept.assign(also_reported=also)
        .drop(columns=["_status", "_qualifier", "_mention"])
        .sort_index()
    )


def unit_sources(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    details_source: str | None = None,
    details_page: int | None = None,
) -> pd.DataFrame:
    """The sources behind a unit's profile, most used first, with what each one supplies.

    `figures` are the unit's observations shown; `details_source` (and page) is where the unit's
    own row (leadership, model) was read. Columns: those of `sources` plus `figures` (count) and
    `used_for` (a sentence).
    """
    counts = figures.groupby("source_id").size()
    wanted = set(counts.index) | ({details_source} if details_source else set())
    table = sources[sources["source_id"].isin(wanted)].copy()
    table["figures"] = table["source_id"].map(counts).fillna(0).astype(int)
    used = []
    for source_id, count in zip(table["source_id"], table["figures"], strict=True):
        parts = []
        if source_id == details_source:
            page = f", p. {details_page}" if details_page else ""
            parts.append(f"the unit's leadership and model{page}")
        if count:
            parts.append(f"{count} {'figure' if count == 1 else 'figures'}")
        used.append("Gives " + " and ".join(parts) + ".")
    table["used_for"] = used
    return table.sort_values(["figures", "title"], ascending=[False, True]).reset_index(drop=True)
