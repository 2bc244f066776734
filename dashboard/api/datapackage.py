"""Everything as a Frictionless Data Package: one CSV per table and a datapackage.json.

The same files are the command line's `dump -o FOLDER` (a backup anyone can read) and the
API's /api/v1/datapackage.zip (the open data download). The tables are the API's tables,
row for row and field for field (dashboard.api.tables), so a figure reads the same in the
package, the API, the data page's CSV and the charts.

Licence, as data/README.md states it: the official tables (DfE, ONS, gov.uk pages) are Crown
copyright under the Open Government Licence v3.0; every other figure is a fact reported by
the source cited on its row, whose own terms are in sources.licence (empty: not stated);
the tables' structure, notes and descriptions are the project's own.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import schema
from dashboard.api import http
from dashboard.api.rows import frame_of, sort_by_key
from dashboard.api.tables import (
    DATE,
    DATETIME,
    OBSERVATION_VERSIONS,
    OBSERVATIONS,
    RELEASES,
    TABLES,
    VERSION_STATUSES,
    Table,
    records,
)

PACKAGE_NAME = "vru-dashboard-figures"
DESCRIPTOR = "datapackage.json"
OGL = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
OGL_TEXT = "Open Government Licence v3.0"
LICENCE_NOTE = (
    "Figures from official statistics and government pages (the Department for Education, the "
    "Office for National Statistics, gov.uk: every source whose licence in sources.csv is the "
    "Open Government Licence v3.0) are Crown copyright, reused under that licence: 'Source: "
    "Department for Education / Office for National Statistics, licensed under the Open "
    "Government Licence v3.0'. Every other figure is a fact reported by the source cited on its "
    "row (the APCC report 'PCCs Making a Difference: VRUs in Focus', units' own pages, "
    "Parliament's pages under the Open Parliament Licence); that source's terms are in "
    "sources.csv's licence column, empty where the source states none. The tables' structure, "
    "notes and descriptions are the project's own."
)
# A fixed time inside the zip, so the same data gives the same bytes (and ETag) everywhere.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def field_schema(
    table: Table, frame: pd.DataFrame, resources: Collection[str] = tuple(TABLES)
) -> dict[str, Any]:
    """The Table Schema of one table, from its declarations (foreign keys to `resources`)."""
    fields = []
    for spec in table.fields_of(frame):
        entry: dict[str, Any] = {
            "name": spec.name,
            "type": spec.type,
            "description": spec.description,
        }
        if spec.type == DATE:
            entry["format"] = "%Y-%m-%d"
        if spec.type == DATETIME:
            entry["format"] = "%Y-%m-%dT%H:%M:%SZ"
        constraints: dict[str, Any] = {}
        if spec.required:
            constraints["required"] = True
        if spec.enum:
            constraints["enum"] = list(spec.enum)
        if spec.pattern:
            constraints["pattern"] = spec.pattern.removeprefix("^").removesuffix("$")
        if spec.name == table.key:
            constraints["unique"] = True
        if constraints:
            entry["constraints"] = constraints
        if spec.type == "boolean":
            entry["trueValues"] = ["true"]
            entry["falseValues"] = ["false"]
        fields.append(entry)
    names = {f["name"] for f in fields}
    foreign = [
        {"fields": key.field, "reference": {"resource": key.table, "fields": key.key}}
        for key in table.foreign_keys
        if key.field in names and key.table in resources
    ]
    found: dict[str, Any] = {"fields": fields, "primaryKey": table.key, "missingValues": [""]}
    if foreign:
        found["foreignKeys"] = foreign
    return found


def public_history(history: pd.DataFrame, releases: pd.DataFrame) -> pd.DataFrame:
    """Versions the public may read: those of published or withdrawn releases, never pending
    or rejected ones."""
    public = set(pd.to_numeric(releases["release_id"], errors="coerce").dropna().astype(int))
    keep = history["status"].isin(VERSION_STATUSES) & history["release_id"].isin(public)
    return history.loc[keep]


def package_tables(
    store: Any, history: pd.DataFrame | None = None
) -> dict[str, tuple[Table, pd.DataFrame]]:
    """The tables that go in the package: releases only when the store keeps them, every
    version of every figure when `history` (the store's) is given."""
    found = {}
    for name, table in TABLES.items():
        frame = sort_by_key(frame_of(store, table), table)
        if table is RELEASES and frame.empty:
            continue
        found[name] = (table, frame)
    if history is not None and "releases" in found:
        versions = public_history(history, found["releases"][1])
        found[OBSERVATION_VERSIONS.name] = (
            OBSERVATION_VERSIONS,
            sort_by_key(versions, OBSERVATION_VERSIONS),
        )
    return found


def store_history(store: Any) -> pd.DataFrame | None:
    """Every version of every figure, when `store` is (or follows) the SQL store."""
    source = getattr(store, "source", None)
    history = getattr(source, "history", None) or getattr(store, "history", None)
    return history() if callable(history) else None


def _sources_list(sources: pd.DataFrame) -> list[dict[str, str]]:
    listed = []
    for row in sources.itertuples(index=False):
        entry = {"title": str(row.title)}
        if str(row.url):
            entry["path"] = str(row.url)
        listed.append(entry)
    return listed


def descriptor(store: Any, tables: Mapping[str, tuple[Table, pd.DataFrame]]) -> dict[str, Any]:
    """datapackage.json: the package, its licences and sources, and each table's schema."""
    resources = []
    for name, (table, frame) in tables.items():
        schema_of = field_schema(table, frame, tuple(tables))
        description = table.description
        if table in (OBSERVATIONS, OBSERVATION_VERSIONS):
            description += (
                f" unit_id is a units.unit_id or '{schema.NATIONAL}' (national figures), so it "
                "has no foreign key. " + LICENCE_NOTE
            )
        resources.append(
            {
                "name": name,
                "title": table.title,
                "description": description,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema_of,
            }
        )
    found: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Violence Reduction Units of England and Wales: figures and sources",
        "description": (
            "Every figure the Violence Reduction Units dashboard shows, each with its "
            "qualifier, period, geography and source. Missing figures are empty, never 0. "
            + LICENCE_NOTE
        ),
        "licenses": [
            {**OGL, "title": OGL_TEXT + " (the official figures; see the description for the rest)"}
        ],
        "sources": _sources_list(store.sources),
        "resources": resources,
    }
    version = getattr(store, "data_version", None)
    if version is not None:
        found["version"] = f"{int(version)}.0.0"
    return found


def package_files(store: Any, history: pd.DataFrame | None = None) -> dict[str, bytes]:
    """File name -> bytes of the whole package (CSV files, then the descriptor)."""
    tables = package_tables(store, history)
    files: dict[str, bytes] = {}
    for name, (table, frame) in tables.items():
        text = http.frame_csv(table, frame, records(table, frame))
        files[f"{name}.csv"] = text.encode("utf-8")
    text = json.dumps(descriptor(store, tables), ensure_ascii=False, indent=2) + "\n"
    files[DESCRIPTOR] = text.encode("utf-8")
    return files


def package_zip(store: Any, history: pd.DataFrame | None = None) -> bytes:
    """The package as one zip (the same bytes for the same data)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in package_files(store, history).items():
            info = zipfile.ZipInfo(f"{PACKAGE_NAME}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


def _write_whole(path: Path, payload: bytes) -> None:
    """Write beside `path`, then rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)  # a package to share, not mkstemp's private 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_package(store: Any, folder: Path, history: pd.DataFrame | None = None) -> list[Path]:
    """Write the package into `folder` (created if needed); each file whole or not at all."""
    files = package_files(store, history)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, payload in files.items():
        path = folder / name
        _write_whole(path, payload)
        written.append(path)
    return written
