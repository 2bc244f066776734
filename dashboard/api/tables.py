"""The open tables, declared once: fields, types, keys and words.

The API's JSON and CSV, its OpenAPI description and the Data Package's table schemas are all
made from these declarations, so a field cannot mean one thing in the API and another in the
download. The observation fields are the data page's CSV download columns
(`dashboard.catalogue.CSV_COLUMNS`), in the same order, so a figure reads the same in both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.catalogue import CSV_COLUMNS

# Table Schema field types used here; OpenAPI types follow from them.
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)
YEAR_PATTERN = r"^\d{4}-\d{2}$"
ID_PATTERN = r"^[a-z0-9_]+$"


@dataclass(frozen=True)
class Field:
    """One column: its name, Table Schema type, meaning and constraints."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    table: str
    key: str


@dataclass(frozen=True)
class Table:
    """One open table: where its rows come from (a DataStore attribute) and its fields."""

    name: str
    title: str
    description: str
    key: str
    key_type: str
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Fields only present when the store provides them (release columns of the SQL store).
    optional: frozenset[str] = frozenset()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def fields_of(self, frame: pd.DataFrame) -> tuple[Field, ...]:
        """The declared fields this frame can fill (optional ones only when present)."""
        return tuple(f for f in self.fields if f.name not in self.optional or f.name in frame)


QUALIFIERS = ("exact", "approximately", "over", "at_least", "nearly", "under", "up_to")
VALUE_STATUSES = ("reported", "provisional", "chart_only", "alternative")
CATEGORIES = (
    "funding",
    "reach",
    "outcome",
    "activity",
    "enforcement",
    "organisation",
    "context",
)
RELEASE_STATUSES = ("pending", "published", "rejected", "withdrawn")

UNITS = Table(
    name="units",
    title="Violence Reduction Units",
    description="The 20 units: name, kind, the police force areas they cover, and the source "
    "each row was read from.",
    key="unit_id",
    key_type=STRING,
    fields=(
        Field(
            "unit_id", STRING, "Short identifier used in links (?unit=kent).", True, (), ID_PATTERN
        ),
        Field("name", STRING, "The unit's name as published.", True),
        Field("unit_type", STRING, "The kind of unit its name gives (VRU, VRP, VRN, ...).", True),
        Field("area_name", STRING, "The police force area(s) it covers, in words.", True),
        Field("pfa_codes", STRING, "ONS police force area codes it covers, ';'-separated.", True),
        Field("grant_recipient", STRING, "Whose force area receives the Home Office grant.", True),
        Field(
            "pcc", STRING, "Police and Crime Commissioner (or Mayor's office) named in the source."
        ),
        Field("lead", STRING, "The unit's head or director as named in the source."),
        Field("model_notes", STRING, "The unit's model and focus, in the project's own words."),
        Field(
            "start_year",
            STRING,
            "Financial year its Home Office VRU funding began.",
            True,
            (),
            YEAR_PATTERN,
        ),
        Field("source_id", STRING, "Where the row comes from (a sources.source_id).", True),
        Field("page", INTEGER, "Page of that source, for a document."),
        Field("url", STRING, "Web page the row was read from, for a unit with no page number."),
    ),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)

METRICS = Table(
    name="metrics",
    title="Measures",
    description="What each figure measures: label, kind of measure, unit of measure, and for "
    "money which kind of money (figures of different kinds are never added together).",
    key="metric_id",
    key_type=STRING,
    fields=(
        Field("metric_id", STRING, "Identifier of the measure.", True, (), ID_PATTERN),
        Field("label", STRING, "Short label for charts.", True),
        Field("category", STRING, "Kind of measure.", True, CATEGORIES),
        Field(
            "unit_of_measure",
            STRING,
            "What one unit of an observation's value is (gbp, people, percent, ...).",
            True,
        ),
        Field("reach_type", STRING, "For reach measures: who was reached."),
        Field("description", STRING, "What the measure is, in the project's own words.", True),
        Field("higher_is_better", BOOLEAN, "Direction of good; empty when neither."),
        Field(
            "money_kind",
            STRING,
            "For money: which kind of money (unit_grant, unit_spending, police_grant, ...).",
        ),
    ),
)

SOURCES = Table(
    name="sources",
    title="Sources",
    description="Every publication or web page a figure was read from, with its publisher and "
    "the terms it is published under where known.",
    key="source_id",
    key_type=STRING,
    fields=(
        Field("source_id", STRING, "Identifier of the source.", True),
        Field("title", STRING, "Title of the document or page.", True),
        Field("publisher", STRING, "Who published it.", True),
        Field(
            "published", STRING, "Date or year of publication (YYYY, YYYY-MM or YYYY-MM-DD).", True
        ),
        Field("url", STRING, "Where it can be found."),
        Field(
            "licence", STRING, "The terms it is published under, if known; empty when not stated."
        ),
    ),
)

_OBSERVATION_FIELDS = (
    Field("obs_id", STRING, "Stable identifier of the figure.", True),
    Field(
        "unit_id",
        STRING,
        "The unit the figure is about (a units.unit_id), or 'national' for the whole programme or"
        " England and Wales.",
        True,
    ),
    Field(
        "unit_name", STRING, "The unit's name ('National programme' for national figures).", True
    ),
    Field("metric_id", STRING, "What it measures (a metrics.metric_id).", True),
    Field(
        "metric_label",
        STRING,
        "The measure's label as the dashboard shows it (money that is not the unit's own says so).",
        True,
    ),
    Field("category", STRING, "Kind of measure.", True, CATEGORIES),
    Field("unit_of_measure", STRING, "What one unit of value is.", True),
    Field(
        "value",
        NUMBER,
        "The figure in unit_of_measure; empty only when value_status is chart_only (never 0 for "
        "missing).",
    ),
    Field(
        "qualifier",
        STRING,
        "How the source states it: exact, approximately, over, at_least, nearly, under, up_to. It"
        " belongs with the value.",
        True,
        QUALIFIERS,
    ),
    Field(
        "value_status",
        STRING,
        "reported, provisional, chart_only (the source shows it only as a chart) or alternative "
        "(another row is preferred; see note).",
        True,
        VALUE_STATUSES,
    ),
    Field(
        "value_text",
        STRING,
        "The figure as the dashboard writes it, with its qualifier ('over 1,200').",
        True,
    ),
    Field("period_label", STRING, "The period in the source's words.", True),
    Field("period_start", DATE, "First day of the period, where it can be known."),
    Field("period_end", DATE, "Last day of the period, where it can be known."),
    Field(
        "financial_year",
        STRING,
        "The financial year (April-March) the figure belongs to, when exactly one.",
        False,
        (),
        YEAR_PATTERN,
    ),
    Field("baseline_value", NUMBER, "For a 'from X to Y' change: X, the earlier value."),
    Field("baseline_period_label", STRING, "The period of the baseline, in the source's words."),
    Field(
        "geography",
        STRING,
        "The area the figure covers when it is not the unit's whole area; for national figures, "
        "which forces are counted.",
    ),
    Field(
        "series",
        STRING,
        "Figures of the same unit, measure and series may be drawn on one line; another release "
        "or definition is another series.",
    ),
    Field("source_id", STRING, "Where it comes from (a sources.source_id).", True),
    Field("source_title", STRING, "Title of that source.", True),
    Field("page", INTEGER, "Page of the source, for documents."),
    Field("url", STRING, "Web address the figure was read from, for web sources."),
    Field(
        "citation", STRING, "Short citation as the dashboard shows it ('APCC 2020, p. 12').", True
    ),
    Field("note", STRING, "Context, in the project's own words."),
    Field("release_id", INTEGER, "The release (load) that published this version of the figure."),
    Field(
        "supplied_by",
        STRING,
        "Empty for published sources; 'unit' for management information a unit supplied.",
    ),
)

OBSERVATIONS = Table(
    name="observations",
    title="Figures",
    description="One figure per row, as published by its source, with its qualifier, period, "
    "geography and citation. Figures of different periods, definitions, geographies or "
    "bounds must not be added, ranked or coloured together without saying so.",
    key="obs_id",
    key_type=STRING,
    fields=_OBSERVATION_FIELDS,
    foreign_keys=(
        ForeignKey("metric_id", "metrics", "metric_id"),
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("release_id", "releases", "release_id"),
    ),
    optional=frozenset({"release_id", "supplied_by"}),
)

RELEASES = Table(
    name="releases",
    title="Releases",
    description="Every load of figures: what was loaded, from which file (with its SHA-256), "
    "by whom, when, and how many rows it added, changed and withdrew.",
    key="release_id",
    key_type=INTEGER,
    fields=(
        Field("release_id", INTEGER, "Identifier of the release.", True),
        Field(
            "status", STRING, "pending, published, rejected or withdrawn.", True, RELEASE_STATUSES
        ),
        Field("created_at", DATETIME, "When the release was made (UTC)."),
        Field("created_by", STRING, "The command or account that made it."),
        Field("command", STRING, "The command that loaded it."),
        Field("source_file", STRING, "The file loaded."),
        Field("sha256", STRING, "SHA-256 of that file."),
        Field("rows_added", INTEGER, "Figures added."),
        Field("rows_changed", INTEGER, "Figures superseded by a correction."),
        Field("rows_withdrawn", INTEGER, "Figures withdrawn."),
        Field("reason", STRING, "Why (for a correction, rejection or withdrawal)."),
        Field("published_at", DATETIME, "When it was published (UTC)."),
        Field("published_by", STRING, "Who published it."),
        Field("withdrawn_at", DATETIME, "When it was withdrawn (UTC), if it was."),
        Field("withdrawn_by", STRING, "Who withdrew it."),
    ),
    optional=frozenset({"withdrawn_at", "withdrawn_by"}),
)

_RAW = {f.name: f for f in _OBSERVATION_FIELDS}
VERSION_STATUSES = ("current", "superseded", "withdrawn")
OBSERVATION_VERSIONS = Table(
    name="observation_versions",
    title="Every version of every figure",
    description="The history behind the figures: each version a release published, including "
    "those a correction superseded or a withdrawal ended, with the release and the reason. "
    "Nothing is deleted, so 'as published on <date>' can be rebuilt from this table. Only in "
    "a package made from the store.",
    key="version_id",
    key_type=INTEGER,
    fields=(
        Field("version_id", INTEGER, "Identifier of this version.", True),
        *(
            _RAW[name]
            for name in (
                "obs_id",
                "unit_id",
                "metric_id",
                "value",
                "qualifier",
                "value_status",
                "period_label",
                "period_start",
                "period_end",
                "financial_year",
                "baseline_value",
                "baseline_period_label",
                "geography",
                "series",
                "source_id",
                "page",
                "url",
                "note",
            )
        ),
        Field("status", STRING, "current, superseded or withdrawn.", True, VERSION_STATUSES),
        Field("release_id", INTEGER, "The release that published this version.", True),
        Field("supersedes", INTEGER, "The version_id this one replaced, for a correction."),
        Field("ended_by_release", INTEGER, "The release that superseded or withdrew it."),
        Field("reason", STRING, "Why it was corrected or withdrawn."),
        Field("supplied_by", STRING, "'unit' for management information a unit supplied."),
        Field("published_at", DATETIME, "When its release was published (UTC)."),
    ),
    foreign_keys=(
        ForeignKey("release_id", "releases", "release_id"),
        ForeignKey("metric_id", "metrics", "metric_id"),
        ForeignKey("source_id", "sources", "source_id"),
    ),
)

TABLES: Mapping[str, Table] = {t.name: t for t in (UNITS, METRICS, SOURCES, OBSERVATIONS, RELEASES)}
# Tables of the package only (not served page by page by the API).
PACKAGE_ONLY: Mapping[str, Table] = {OBSERVATION_VERSIONS.name: OBSERVATION_VERSIONS}
# The observation fields the data page's CSV download has, in its order (checked by a test).
DOWNLOAD_FIELDS: tuple[str, ...] = CSV_COLUMNS


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return isinstance(value, str) and value == ""


def json_value(value: Any, kind: str) -> Any:
    """One cell as JSON: null when missing (never 0 or ''), numbers as numbers, dates ISO."""
    if _missing(value):
        return None
    if kind == NUMBER:
        number = float(value)
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == INTEGER:
        return int(value)
    if kind == BOOLEAN:
        if isinstance(value, str):
            return value.lower() == "true"
        return bool(value)
    if kind == DATE:
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)[:10]
    if kind == DATETIME:
        if hasattr(value, "isoformat"):
            stamp = pd.Timestamp(value)
            if stamp.tzinfo is not None:
                stamp = stamp.tz_convert("UTC").tz_localize(None)
            return stamp.isoformat(timespec="seconds") + "Z"
        return str(value)
    return str(value)


def column_values(column: pd.Series, kind: str) -> list[Any]:
    """A whole column as JSON values (what `json_value` gives each cell, column at a time)."""
    missing = column.isna().to_numpy()
    values = column.to_numpy(dtype=object)
    if kind == STRING:
        return [
            None if gone or value == "" else str(value)
            for gone, value in zip(missing, values, strict=True)
        ]
    return [
        None if gone else json_value(value, kind)
        for gone, value in zip(missing, values, strict=True)
    ]


def records(table: Table, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as JSON-ready dicts of the table's fields."""
    fields = table.fields_of(frame)
    names = [f.name for f in fields]
    columns = [column_values(frame[f.name], f.type) for f in fields]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
