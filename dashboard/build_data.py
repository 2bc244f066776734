"""`make data`: rebuild data/official/*.csv and data/observations_official.csv from data/raw/.

Every raw file is checked against its SHA-256 in data/raw/MANIFEST.csv first, then read by its
importer; the outputs are sorted and formatted so that a rerun writes the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import time
from pathlib import Path

import pandas as pd

from dashboard import official, schema
from dashboard.config import PROJECT_ROOT
from dashboard.importers import (
    AREA_COLUMNS,
    ImportRefused,
    dfe_exclusions,
    ons_pfa_tables,
    ons_population,
)
from dashboard.lookups import read_units, upper_tier_to_force

DATA = PROJECT_ROOT / "data"
RAW = DATA / "raw"
OBSERVATIONS_FILE = "observations_official.csv"
# The area tables leave out the url and note repeated on every row (sources.csv and the manifest
# give them once), which keeps the committed tables small.
AREA_OUTPUT = [name for name in AREA_COLUMNS if name not in ("url", "note")]
AREA_SORT = ["series", "metric_id", "area_level", "area_code", "area_name", "period_end"]
OBS_SORT = ["unit_id", "metric_id", "series", "period_end", "obs_id"]


def manifest(raw: Path = RAW) -> list[dict[str, str]]:
    with (raw / "MANIFEST.csv").open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def check_manifest(raw: Path = RAW) -> list[dict[str, str]]:
    """Every listed file is present with its recorded SHA-256 (a changed file stops the build)."""
    entries = manifest(raw)
    for entry in entries:
        digest = hashlib.sha256((raw / entry["file"]).read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise ImportRefused(entry["file"], f"SHA-256 is {digest}, not {entry['sha256']}")
    return entries


def _timed(log: list[str], label: str, reader, *args, **kwargs) -> pd.DataFrame:
    started = time.perf_counter()
    frame = reader(*args, **kwargs)
    log.append(f"{label}: {len(frame)} rows in {time.perf_counter() - started:.1f} s")
    return frame


def build(raw: Path = RAW, data: Path = DATA) -> list[str]:
    """Import every raw file the project uses and write the derived tables; return a log."""
    entries = check_manifest(raw)
    log: list[str] = []
    kinds = {entry["file"]: entry["importer"] for entry in entries}
    dfe, knife, population = [], [], []
    for name, kind in sorted(kinds.items()):
        path = raw / name
        if kind == "dfe-exclusions":
            dfe.append(_timed(log, name, dfe_exclusions.import_file, path, data))
        elif kind == "ons-pfa-tables":
            knife.append(_timed(log, name, ons_pfa_tables.import_file, path, data))
        elif kind == "ons-population":
            year = next((e["mid_year"] for e in entries if e["file"] == name), "")
            population.append(
                _timed(log, name, ons_population.import_file, path, int(year) if year else None)
            )
    units = read_units(data)
    dfe_rows = pd.concat(dfe, ignore_index=True)
    knife_rows = pd.concat(knife, ignore_index=True)
    excl_obs, excl_gaps = official.exclusion_observations(dfe_rows, units)
    knife_obs, knife_gaps = official.knife_observations(knife_rows, units)
    population_rows = pd.concat(population, ignore_index=True)
    populations = official.force_populations(population_rows, upper_tier_to_force())
    rate_obs, rate_gaps = official.knife_rate_observations(knife_obs, populations, units)
    knife_obs += rate_obs
    knife_gaps += rate_gaps
    observations = pd.DataFrame(
        excl_obs + knife_obs, columns=list(schema.OBSERVATIONS.column_names)
    )
    gaps = pd.DataFrame(excl_gaps + knife_gaps, columns=list(official.GAP_COLUMNS))
    folder = data / "official"
    folder.mkdir(exist_ok=True)
    outputs = {
        folder / "dfe_exclusions_by_area.csv": official.to_csv_text(
            dfe_rows[AREA_OUTPUT], AREA_SORT
        ),
        folder / "ons_knife_by_area.csv": official.to_csv_text(knife_rows[AREA_OUTPUT], AREA_SORT),
        folder / "ons_population_by_area.csv": official.to_csv_text(
            population_rows[AREA_OUTPUT], AREA_SORT
        ),
        folder / "gaps.csv": official.to_csv_text(gaps, list(official.GAP_COLUMNS)),
        data / OBSERVATIONS_FILE: official.to_csv_text(observations, OBS_SORT),
    }
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8", newline="")
        log.append(f"wrote {path.relative_to(data.parent)}: {text.count(chr(10)) - 1} rows")
    return log
