"""The project's 2011 district -> police force table, checked against ONS when available."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
LOOKUP = REPO / "geo" / "district_to_force.csv"
BOUNDARIES = REPO / "geo" / "police_force_areas.geojson"
SHARED = REPO.parent / "shared" / "reference" / "geo"
REFERENCE_LAD11 = SHARED / "lad11_to_pfa.csv"
ONS_2024 = SHARED / "ons_ltla24_csp24_pfa24_lookup.csv"
# Forces whose ONS name the project writes out in words.
DISPLAY_NAMES = {"London, City of": "City of London", "Devon & Cornwall": "Devon and Cornwall"}


@pytest.fixture(scope="module")
def lookup() -> pd.DataFrame:
    return pd.read_csv(LOOKUP, dtype=str, keep_default_na=False)


def _shared(path: Path) -> pd.DataFrame:
    if not path.exists():
        pytest.skip(f"reference file not present: {path}")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_table_has_every_2011_district_once(lookup: pd.DataFrame) -> None:
    assert list(lookup.columns) == [
        "lad11_name",
        "ltla24_code",
        "ltla24_name",
        "match",
        "note",
        "pfa_code",
        "pfa_name",
    ]
    assert len(lookup) == 348
    assert lookup["lad11_name"].is_unique
    assert (lookup["ltla24_code"].str[0] == "W").sum() == 22
    assert set(lookup["match"]) == {"same", "name_variant", "renamed", "merged"}


def test_table_forces_are_the_forces_on_the_map(lookup: pd.DataFrame) -> None:
    collection = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    on_map = {
        f["properties"]["pfa_code"]: f["properties"]["pfa_name"] for f in collection["features"]
    }
    in_table = dict(zip(lookup["pfa_code"], lookup["pfa_name"], strict=True))
    assert in_table == on_map


def test_each_force_name_has_one_code(lookup: pd.DataFrame) -> None:
    pairs = lookup[["pfa_code", "pfa_name"]].drop_duplicates()
    assert pairs["pfa_code"].is_unique and pairs["pfa_name"].is_unique


def test_unchanged_districts_keep_their_name(lookup: pd.DataFrame) -> None:
    same = lookup[lookup["match"] == "same"]
    assert (same["lad11_name"] == same["ltla24_name"]).all()
    changed = lookup[lookup["match"] != "same"]
    assert (changed["note"] != "").all()


def test_agrees_with_independent_2011_list() -> None:
    reference = _shared(REFERENCE_LAD11).set_index("lad11_name")
    ours = pd.read_csv(LOOKUP, dtype=str, keep_default_na=False).set_index("lad11_name")
    assert sorted(ours.index) == sorted(reference.index)
    differs = ours["pfa_code"] != reference.loc[ours.index, "pfa_code"]
    assert not differs.any(), f"force differs for {sorted(ours.index[differs])}"


def test_agrees_with_ons_2024_lookup(lookup: pd.DataFrame) -> None:
    ons = _shared(ONS_2024).drop_duplicates("ltla24_code").set_index("ltla24_code")
    for row in lookup.itertuples():
        assert row.ltla24_code in ons.index, f"{row.lad11_name}: {row.ltla24_code} not in ONS"
        expected = ons.loc[row.ltla24_code]
        assert row.ltla24_name == expected["ltla24_name"], row.lad11_name
        assert row.pfa_code == expected["pfa24_code"], row.lad11_name
        name = DISPLAY_NAMES.get(expected["pfa24_name"], expected["pfa24_name"])
        assert row.pfa_name == name, row.lad11_name
