"""Derive geo/la_to_force.csv: each local authority DfE reports -> its police force area.

Run by `make data` (stdlib only); the output is sorted and written with fixed line endings, so a
rerun gives the same bytes and a change shows as a diff.

    python geo/make_la_lookup.py

The authorities are every (old_la_code, new_la_code, la_name) in the DfE exclusions file. Their
force comes, in this order, from:
- `lad17`: the ONS "LAD (Jan 2017) to CSP to PFA" lookup (unitaries, metropolitan districts,
  London boroughs, Welsh authorities);
- `csp25`: the local authority codes of ONS table C2, year ending June 2025 (unitaries created
  since 2017: Dorset, BCP, Buckinghamshire, the Northamptonshires, Cumberland, Westmorland and
  Furness, North Yorkshire, Somerset);
- `former_code`: an earlier ONS code of the same authority (Gateshead, Northumberland);
- `county`: a shire county, listed below by hand; each lies wholly inside one force area.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
DFE = RAW / "dfe" / "exc_nat_region_la.csv"
LAD17 = RAW / "lookups" / "LAD17_CSP17_PFA17_Jan2017_v2.csv"
C2 = RAW / "ons_crime" / "ons_csp_tableC2_ye_jun2025_sheet_export.csv"
FORCES = ROOT / "geo" / "district_to_force.csv"
OUT = ROOT / "geo" / "la_to_force.csv"
COLUMNS = (
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

# Shire counties (upper tier) -> the force area covering the whole county.
COUNTIES: dict[str, str] = {
    "Bedfordshire": "E23000026",  # county council until 2009, then Bedford and Central Beds
    "Buckinghamshire": "E23000029",
    "Cambridgeshire": "E23000023",
    "Cheshire": "E23000006",  # county council until 2009, then two unitaries
    "Cumbria": "E23000002",
    "Derbyshire": "E23000018",
    "Devon": "E23000035",
    "Dorset": "E23000039",
    "East Sussex": "E23000033",
    "Essex": "E23000028",
    "Gloucestershire": "E23000037",
    "Hampshire": "E23000030",
    "Hertfordshire": "E23000027",
    "Kent": "E23000032",
    "Lancashire": "E23000003",
    "Leicestershire": "E23000021",
    "Lincolnshire": "E23000020",
    "Norfolk": "E23000024",
    "North Yorkshire": "E23000009",
    "Northamptonshire": "E23000022",
    "Nottinghamshire": "E23000019",
    "Oxfordshire": "E23000029",
    "Somerset": "E23000036",
    "Staffordshire": "E23000015",
    "Suffolk": "E23000025",
    "Surrey": "E23000031",
    "Warwickshire": "E23000017",
    "West Sussex": "E23000033",
    "Worcestershire": "E23000016",
}
# Earlier ONS codes of authorities that kept their area (recoded in 2013).
FORMER_CODES = {"E08000020": "E08000037", "E06000048": "E06000057"}


def _read(path: Path, skip: int = 0) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        for _ in range(skip):
            stream.readline()
        reader = csv.reader(stream)
        header = [" ".join(name.split()) for name in next(reader)]
        return [dict(zip(header, row, strict=False)) for row in reader]


def _year(period: str) -> str:
    return f"{period[:4]}/{period[4:]}"


def build() -> list[dict[str, str]]:
    forces = {row["pfa_code"]: row["pfa_name"] for row in _read(FORCES)}
    by_code = {row["LAD17CD"]: (row["PFA17CD"], "lad17") for row in _read(LAD17)}
    for row in _read(C2, skip=7):
        code, pfa = row.get("Local Authority code", ""), row.get("Police Force Area code", "")
        if code and pfa and code not in by_code:
            by_code[code] = (pfa, "csp25")
    seen: dict[str, dict[str, str]] = {}
    others: dict[str, set[str]] = {}
    for row in _read(DFE):
        if row["geographic_level"] != "Local authority":
            continue
        number, code, name = row["old_la_code"], row["new_la_code"], row["la_name"]
        year = _year(row["time_period"])
        if number in seen:
            entry = seen[number]
            entry["first_year"] = min(entry["first_year"], year)
            if year > entry["last_year"]:
                entry["last_year"] = year
                entry["la_name"] = name
                entry["la_code"] = "" if code == "x" else code
            others[number].add(code)
            continue
        note = ""
        if code in by_code:
            pfa, basis = by_code[code]
        elif code in FORMER_CODES and FORMER_CODES[code] in by_code:
            pfa, basis = by_code[FORMER_CODES[code]][0], "former_code"
            note = f"an earlier code of {FORMER_CODES[code]}"
        elif name in COUNTIES:
            pfa, basis = COUNTIES[name], "county"
            note = "shire county, wholly inside one force area"
        else:
            sys.exit(f"no force area for DfE authority {number} {code} {name}")
        seen[number] = {
            "dfe_la_code": number,
            "la_code": "" if code == "x" else code,
            "la_name": name,
            "first_year": year,
            "last_year": year,
            "pfa_code": pfa,
            "pfa_name": forces[pfa],
            "basis": basis,
            "note": note,
        }
        others[number] = {code}
    for number, codes in others.items():
        entry = seen[number]
        codes.discard("x")
        if len(codes) > 1:
            forces_of = {by_code.get(FORMER_CODES.get(code, code), (None,))[0] for code in codes}
            forces_of.discard(None)
            if forces_of - {entry["pfa_code"]}:
                sys.exit(f"DfE authority {number} has codes in two force areas: {sorted(codes)}")
            entry["note"] = "; ".join(
                filter(None, [entry["note"], "DfE codes over time: " + " ".join(sorted(codes))])
            )
    return sorted(seen.values(), key=lambda entry: entry["dfe_la_code"])


def main() -> int:
    rows = build()
    with OUT.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} authorities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
