"""Official series per unit: area rows from the importers -> observations of the 20 units.

A unit's figure is the sum of its areas' counts (its local authorities for DfE, its force areas
for ONS); a rate is recomputed from the summed counts and summed headcounts, never averaged. A
unit gets no figure for a period when one of its areas has none, and the gap is listed with the
publisher's reason. DfE covers England only, so the Wales unit has no exclusion figures.
"""

from __future__ import annotations

import pandas as pd

from dashboard import schema

EXCLUSION_RATES = (
    ("permanent_exclusion_rate_pct", "permanent_exclusions_count"),
    ("suspension_rate_pct", "suspensions_count"),
)
EXCLUSION_COUNTS = ("pupil_headcount", "permanent_exclusions_count", "suspensions_count")
GAP_COLUMNS = ("unit_id", "metric_id", "series", "period_label", "reason")
WALES_REASON = (
    "DfE's exclusion statistics cover schools in England only; Welsh school exclusions are "
    "published by the Welsh Government and are not in this data set"
)
RATE_DECIMALS = 5  # as many as DfE gives its own rates


def _gap(unit_id: str, metric_id: str, series: str, period: str, reason: str) -> dict[str, str]:
    return dict(zip(GAP_COLUMNS, (unit_id, metric_id, series, period, reason), strict=True))


def _observation(row: dict[str, object], **changes: object) -> dict[str, object]:
    base = {name: row.get(name, "") for name in schema.OBSERVATIONS.column_names}
    base.update(page="", baseline_value="", baseline_period_label="")
    base.update(changes)
    return base


def exclusion_observations(
    area: pd.DataFrame, units: pd.DataFrame
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Counts and recomputed rates per English unit and academic year, and England's."""
    rows: list[dict[str, object]] = []
    gaps: list[dict[str, object]] = []
    counts = area[area["metric_id"].isin(EXCLUSION_COUNTS)]
    local = counts[(counts["area_level"] == "local authority") & (counts["unit_id"] != "")]
    national = counts[counts["unit_id"] == "national"]
    english = set(local["unit_id"])
    for unit_id in units["unit_id"]:
        if unit_id not in english:
            series = area["series"].iloc[0] if len(area) else ""
            gaps.append(_gap(unit_id, "exclusions", series, "", WALES_REASON))
    groups = [(unit, frame) for unit, frame in local.groupby("unit_id", sort=True)]
    groups.append(("national", national))
    for unit_id, frame in groups:
        for period, year in frame.groupby("period_start", sort=True):
            first = year.iloc[0].to_dict()
            names = sorted(set(year["area_name"]))
            wide = year.pivot_table(
                index="area_name", columns="metric_id", values="value", aggfunc="first"
            )
            if unit_id == "national":
                geography = "England (all local authorities)"
                how = "England's counts as DfE gives them"
            else:
                geography = "Local authorities: " + ", ".join(names)
                how = f"the sum of the counts of its {len(names)} local authorities"
            unusable = wide[EXCLUSION_COUNTS[0]].isna() | (wide[EXCLUSION_COUNTS[0]] <= 0)
            if wide[list(EXCLUSION_COUNTS)].isna().any().any() or unusable.any():
                bad = ", ".join(sorted(wide.index[unusable | wide.isna().any(axis=1)]))
                for metric, _ in EXCLUSION_RATES:
                    reason = f"DfE gives a pupil headcount of 0 or no figure for {bad}"
                    gaps.append(
                        _gap(unit_id, metric, first["series"], first["period_label"], reason)
                    )
                continue
            totals = wide[list(EXCLUSION_COUNTS)].sum()
            slug = f"{first['series']}-{unit_id}-{period[:4]}"
            for metric in EXCLUSION_COUNTS:
                rows.append(
                    _observation(
                        first,
                        obs_id=f"{slug}-{metric}",
                        unit_id=unit_id,
                        metric_id=metric,
                        value=float(totals[metric]),
                        value_status="reported",
                        geography=geography,
                        note=f"All state-funded schools; {how}.",
                    )
                )
            for metric, numerator in EXCLUSION_RATES:
                rate = round(100 * float(totals[numerator]) / float(totals[EXCLUSION_COUNTS[0]]),
                             RATE_DECIMALS)  # fmt: skip
                rows.append(
                    _observation(
                        first,
                        obs_id=f"{slug}-{metric}",
                        unit_id=unit_id,
                        metric_id=metric,
                        value=rate,
                        value_status="reported",
                        geography=geography,
                        note=f"All state-funded schools; recomputed as 100 x {numerator} / "
                        f"pupil_headcount, where each is {how}.",
                    )
                )
    return rows, gaps


def knife_observations(
    area: pd.DataFrame, units: pd.DataFrame
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """ONS knife counts per unit (sum of its forces), series and period; England and Wales."""
    rows: list[dict[str, object]] = []
    gaps: list[dict[str, object]] = []
    knife = area[area["metric_id"] == "knife_offences_count"]
    forces = knife[knife["area_level"] == "force"]
    gmp_missing = set(
        forces.loc[(forces["area_code"] == "E23000005") & forces["value"].isna(), "series"]
        + "|"
        + forces.loc[(forces["area_code"] == "E23000005") & forces["value"].isna(), "period_end"]
    )
    codes = {
        u: str(c).split(";") for u, c in zip(units["unit_id"], units["pfa_codes"], strict=True)
    }
    for (series, end), frame in forces.groupby(["series", "period_end"], sort=True):
        by_code = frame.set_index("area_code")
        for unit_id, unit_codes in codes.items():
            present = by_code.loc[by_code.index.intersection(unit_codes)]
            first = present.iloc[0].to_dict()
            if len(present) != len(unit_codes) or present["value"].isna().any():
                reasons = sorted(set(present["missing_reason"]) - {""}) or ["force not listed"]
                reason = "; ".join(reasons)
                gaps.append(
                    _gap(unit_id, "knife_offences_count", series, first["period_label"], reason)
                )
                continue
            names = ", ".join(present["area_name"])
            how = "ONS's figure for the force area" if len(present) == 1 else "the sum of ONS's"
            how += "" if len(present) == 1 else f" figures for its {len(present)} force areas"
            rows.append(
                _observation(
                    first,
                    obs_id=f"{series}-{unit_id}-{end}-knife_offences_count",
                    unit_id=unit_id,
                    value=float(present["value"].sum()),
                    value_status="reported",
                    geography=f"Police force area: {names}",
                    note=f"{first['note']}; {how}.",
                )
            )
    for _, row in knife[knife["unit_id"] == "national"].iterrows():
        row = row.to_dict()
        if pd.isna(row["value"]):
            gaps.append(
                _gap("national", "knife_offences_count", row["series"], row["period_label"],
                     row["missing_reason"])
            )  # fmt: skip
            continue
        geography = row["geography"]
        key = f"{row['series']}|{row['period_end']}"
        if key in gmp_missing and "excluding" not in geography.lower():
            geography = "England and Wales; Greater Manchester Police has no figure in this table"
        rows.append(
            _observation(
                row,
                obs_id=f"{row['series']}-national-{row['period_end']}-knife_offences_count",
                value=float(row["value"]),
                value_status="reported",
                geography=geography,
                note=f"{row['note']}; ONS's national figure.",
            )
        )
    return rows, gaps


def format_value(value: object) -> str:
    """Numbers as plain text that reads back identically: 942, 0.18234, never 942.0."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(round(number, 10))


def to_csv_text(frame: pd.DataFrame, sort_by: list[str]) -> str:
    """A frame as CSV text with numbers formatted once, rows sorted: same input, same bytes."""
    out = frame.copy()
    for column in ("value", "row"):
        if column in out.columns:
            out[column] = [format_value(v) for v in out[column]]
    out = out.fillna("").astype(str).sort_values(sort_by, kind="mergesort")
    return out.to_csv(index=False, lineterminator="\n")


# --- knife rates per 100,000 residents -------------------------------------------------------

UPPER_TIER_LEVELS = ("County", "Unitary Authority", "Metropolitan District", "London Borough")
GMP_CODE = "E23000005"
POPULATION_WORDS = (
    "ONS mid-year population estimate for mid-{year} ({release} release), summed over the "
    "force area's local authorities"
)


def force_populations(population: pd.DataFrame, area_to_force: dict[str, str]) -> pd.DataFrame:
    """Residents per force area and mid-year, summed from ONS's upper-tier authority estimates.

    Each mid-year is taken from the latest release that gives it. A year in which any English or
    Welsh authority cannot be placed in a force (a code newer than the lookups) gives no force
    populations at all rather than short ones. England and Wales (code K04000001) is the sum of
    ONS's England and Wales rows. Columns: pfa_code, year, population, release.
    """
    rows = population[population["metric_id"] == "population"].copy()
    rows["year"] = rows["period_label"].str.extract(r"mid-(\d{4})", expand=False)
    rows["release"] = rows["series"].str.extract(r"mid(\d{4})$", expand=False)
    rows = rows[rows["year"].notna() & rows["release"].notna()]
    latest = rows.groupby("year")["release"].transform("max")
    rows = rows[rows["release"] == latest]
    out: list[dict[str, object]] = []
    for year, part in rows.groupby("year", sort=True):
        release = str(part["release"].iloc[0])
        upper = part[
            part["area_level"].isin(UPPER_TIER_LEVELS)
            & part["area_code"].astype(str).str[0].isin(["E", "W"])
        ]
        forces = upper["area_code"].map(area_to_force)
        countries = part[part["area_code"].isin(["E92000001", "W92000004"])]
        if forces.isna().any() or countries["value"].isna().any() or len(countries) != 2:
            continue
        sums = upper.assign(pfa_code=forces).groupby("pfa_code")["value"].sum()
        sums["K04000001"] = countries["value"].sum()
        out += [
            {"pfa_code": code, "year": str(year), "population": float(value), "release": release}
            for code, value in sums.items()
        ]
    return pd.DataFrame(out, columns=["pfa_code", "year", "population", "release"])


def _mid_year_within(period_start: str, period_end: str) -> str | None:
    """The mid-year (30 June) that falls inside a 12-month period, e.g. year ending March 2019
    -> '2018'; None for a period that is not about a year long."""
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if not 360 <= (end - start).days <= 366:
        return None
    for year in (start.year, end.year):
        if start <= pd.Timestamp(year, 6, 30) <= end:
            return str(year)
    return None


def knife_rate_observations(
    counts: list[dict[str, object]], populations: pd.DataFrame, units: pd.DataFrame
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Knife offences per 100,000 residents for every unit and national count row.

    The rate is recomputed from the unit's summed count and the summed population of its force
    areas for the mid-year inside the count's 12 months; a national count that leaves Greater
    Manchester out is divided by England and Wales less Greater Manchester. Each rate keeps the
    count's series (release), so rates of different releases are never joined either.
    """
    pairs = zip(units["unit_id"], units["pfa_codes"], strict=True)
    codes = {unit: str(code).split(";") for unit, code in pairs}
    codes["national"] = ["K04000001"]
    table = populations.set_index(["pfa_code", "year"])
    rows: list[dict[str, object]] = []
    gaps: list[dict[str, object]] = []
    for count in counts:
        if count["metric_id"] != "knife_offences_count":
            continue
        unit_id = str(count["unit_id"])
        year = _mid_year_within(str(count["period_start"]), str(count["period_end"]))
        wanted = [(code, year) for code in codes[unit_id]]
        if year is None or any(key not in table.index for key in wanted):
            gaps.append(
                _gap(unit_id, "knife_offences_rate_per_100k", str(count["series"]),
                     str(count["period_label"]), "no ONS population estimate for its mid-year")
            )  # fmt: skip
            continue
        population = float(sum(table.loc[key, "population"] for key in wanted))
        release = str(table.loc[wanted[0], "release"])
        words = POPULATION_WORDS.format(year=year, release=f"mid-{release}")
        excluding = "excluding greater manchester" in str(count["geography"]).lower()
        if unit_id == "national":
            words = "ONS mid-year population estimate for England and Wales, mid-" + year
            words += f" (mid-{release} release)"
            if excluding:
                population -= float(table.loc[(GMP_CODE, year), "population"])
                words += ", less Greater Manchester's, as the count leaves it out"
        rows.append(
            {
                **count,
                "obs_id": str(count["obs_id"]).replace(
                    "knife_offences_count", "knife_offences_rate_per_100k"
                ),
                "metric_id": "knife_offences_rate_per_100k",
                "value": round(100_000 * float(count["value"]) / population, 2),
                "qualifier": "exact",
                "note": f"{count['note']} Rate computed here: 100,000 x offences / residents "
                f"({population:,.0f}; {words}).",
            }
        )
    return rows, gaps
