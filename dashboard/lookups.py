"""Local authority (upper tier, as DfE reports them) -> police force area -> unit.

The table itself is `geo/la_to_force.csv`, built by `geo/make_la_lookup.py` from the ONS lookups
shipped in `data/raw/lookups/` and `data/raw/ons_crime/` (see `geo/README.md`). Force areas follow
whole upper-tier authorities, so every authority DfE has reported since 2006/07, including those
abolished or recoded since, belongs to exactly one force.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.config import PROJECT_ROOT

LA_LOOKUP_PATH = PROJECT_ROOT / "geo" / "la_to_force.csv"
LA_LOOKUP_COLUMNS = (
    "dfe_la_code",
    "la_code",
    "la_name",
    "first_year",
    "last_year",
    "pfa_code",
    "pfa_name",
    "basis",
    "note",
)


@dataclass(frozen=True)
class AuthorityForce:
    """One authority's force area, as the lookup gives it."""

    dfe_la_code: str
    la_code: str
    la_name: str
    pfa_code: str
    pfa_name: str


@lru_cache(maxsize=4)
def la_to_force(path: Path = LA_LOOKUP_PATH) -> dict[str, AuthorityForce]:
    """The lookup keyed by DfE's three-digit authority number (stable where ONS codes changed)."""
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    if not rows or tuple(rows[0]) != LA_LOOKUP_COLUMNS:
        raise ValueError(f"{path}: expected the columns {', '.join(LA_LOOKUP_COLUMNS)}")
    return {
        row["dfe_la_code"]: AuthorityForce(
            row["dfe_la_code"], row["la_code"], row["la_name"], row["pfa_code"], row["pfa_name"]
        )
        for row in rows
    }


def force_to_unit(units: pd.DataFrame) -> dict[str, str]:
    """Police force area code -> the unit whose area includes it (from units.csv `pfa_codes`)."""
    mapping: dict[str, str] = {}
    for unit_id, codes in zip(units["unit_id"], units["pfa_codes"], strict=True):
        for code in str(codes).split(";"):
            if code in mapping:
                raise ValueError(f"force {code} is in two units: {mapping[code]} and {unit_id}")
            mapping[code] = unit_id
    return mapping


def read_units(data_dir: Path | None = None) -> pd.DataFrame:
    """The unit table as text (unit_id, pfa_codes, start_year), enough to map forces to units."""
    path = (data_dir or PROJECT_ROOT / "data") / "units.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[["unit_id", "pfa_codes", "start_year"]]


DISTRICT_LOOKUP_PATH = PROJECT_ROOT / "geo" / "district_to_force.csv"


def upper_tier_to_force(
    la_path: Path = LA_LOOKUP_PATH, district_path: Path = DISTRICT_LOOKUP_PATH
) -> dict[str, str]:
    """ONS upper-tier authority code -> police force area code, for population sums.

    English authorities come from the DfE authority lookup (counties, unitary authorities,
    metropolitan districts, London boroughs); Welsh unitary authorities, which DfE does not
    cover, from the district lookup (in Wales each district is its own upper tier).
    """
    mapping = {row.la_code: row.pfa_code for row in la_to_force(la_path).values()}
    with district_path.open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["ltla24_code"].startswith("W"):
                mapping[row["ltla24_code"]] = row["pfa_code"]
    return mapping
