"""Reads the data tables once, validates them and hands out prepared, read-only frames.

Everything the callbacks need is computed here at start-up (joins, display text, citations),
so that a request only slices frames that already exist.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from dashboard import rules, schema
from dashboard.formatting import (
    LOWER_BOUNDS,
    UNIT_SOURCE_ID,
    UNIT_SUPPLIED_LABEL,
    UPPER_BOUNDS,
    citation,
    format_figure,
)
from dashboard.geography import load_boundaries
from dashboard.revisions import RevisionsError, load_revisions

log = logging.getLogger(__name__)
T = TypeVar("T")
OFFICIAL_GAP_COLUMNS = ("unit_id", "metric_id", "series", "period_label", "reason")


RELEASE_COLUMNS = (
    "release_id",
    "status",
    "created_at",
    "created_by",
    "command",
    "source_file",
    "sha256",
    "rows_added",
    "rows_changed",
    "rows_withdrawn",
    "reason",
    "published_at",
    "published_by",
    "withdrawn_at",
    "withdrawn_by",
)


# Every figure a release added, corrected or withdrew (the Revisions page lists them on demand).
CHANGE_COLUMNS = (
    "release_id",
    "obs_id",
    "unit_id",
    "metric_id",
    "value",
    "qualifier",
    "value_status",
    "period_label",
    "status",
    "reason",
    "old_value",
    "old_qualifier",
)


class DataError(Exception):
    """The bundled or configured data cannot be used; the message says where and why."""

    def __init__(self, problems: list[schema.Problem]) -> None:
        self.problems = problems
        shown = problems[:20]
        lines = [str(problem) for problem in shown]
        if len(problems) > len(shown):
            lines.append(f"... and {len(problems) - len(shown)} more problems")
        super().__init__("The data could not be loaded:\n  " + "\n  ".join(lines))


def read_table(directory: Path, spec: schema.TableSpec) -> pd.DataFrame:
    """Read one CSV as text, refusing files that are missing, empty or not UTF-8."""
    path = directory / spec.filename
    label = str(path)
    if not path.is_file():
        raise DataError([schema.Problem(label, "file not found")])
    if path.stat().st_size > schema.MAX_FILE_BYTES:
        rule = f"larger than {schema.MAX_FILE_BYTES // 1_000_000} MB: not a table of this app"
        raise DataError([schema.Problem(label, rule)])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        rule = (
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file with UTF-8 encoding"
        )
        raise DataError([schema.Problem(label, rule)]) from None
    if not text.strip():
        raise DataError([schema.Problem(label, "file is empty: a header row is required")])
    shape = schema.check_csv_shape(text, label)
    if shape:
        raise DataError(shape)
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError([schema.Problem(label, f"not a valid CSV file: {exc}")]) from None
    frame.columns = [str(name).strip() for name in frame.columns]
    return frame.map(str.strip) if len(frame) else frame


def _short_source_name(publisher: str, published: str) -> str:
    """'Association of Police and Crime Commissioners (APCC)', '2020' -> 'APCC 2020'."""
    match = re.search(r"\(([^)]+)\)\s*$", publisher)
    name = match.group(1) if match else publisher
    return f"{name} {published[:4]}"


def _to_number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", pd.NA), errors="raise").astype("Float64")


def _to_int(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", pd.NA), errors="raise").astype("Int64")


def _empty_to_na(column: pd.Series) -> pd.Series:
    return column.replace("", pd.NA).astype("string")


@dataclass(frozen=True)
class DataStore:
    """The validated tables and the frames derived from them, built once per process."""

    units: pd.DataFrame
    metrics: pd.DataFrame
    sources: pd.DataFrame
    observations: pd.DataFrame
    data_dir: Path
    # The 43 force areas as loaded GeoJSON (None when the store was loaded without them): kept
    # here so that chart builders, which get only the store, can make self-contained map figures.
    boundaries: dict[str, Any] | None = None
    # The revisions and corrections log (data/revisions.csv), newest first.
    revisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["date"]))
    # Periods for which a publisher gives a unit no official figure, with the publisher's reason
    # (data/official/gaps.csv, written by `make data`): views say so instead of drawing nothing.
    official_gaps: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(OFFICIAL_GAP_COLUMNS))
    )
    # Every load into the store (dashboard/store), newest first; empty for data read from files.
    releases: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RELEASE_COLUMNS))
    # The figures of every release after the first (text cells, old_ for what they replaced).
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    # The store's data version (grows with every publish or withdrawal) and the token naming
    # its database; 0 and "" for data read straight from files.
    data_version: int = 0
    store_epoch: str = ""

    @cached_property
    def fingerprint(self) -> str:
        """Names this data in cache keys: the store's epoch and version when it came from the
        store (cheap, and it changes with every release), else a hash of the tables."""
        if self.store_epoch:
            return f"{self.store_epoch[:8]}v{self.data_version}"
        digest = hashlib.sha256()
        for frame in (self.units, self.metrics, self.sources, self.observations):
            digest.update(frame.to_csv(index=False).encode("utf-8"))
        return digest.hexdigest()[:12]

    def derived(self, key: Hashable, compute: Callable[[], T], *, keep: bool = True) -> T:
        """A value worked out from this data the first time it is asked for, then kept with it.

        Why here: a DataStore is one data version (the store makes a new one for every
        release), so what is kept can never outlive its data, and views that need the same
        frame (the investment charts, the map, the headlines) share one computation instead of
        each repeating it on a release's first answers. Two threads asking at once may both
        compute; the values are equal, and either is kept.

        `keep=False` works it out without keeping it (unless it was kept before): for keys a
        visitor can vary without bound, such as any set of units, which would otherwise let
        requests grow the worker's memory at will.
        """
        memo = self.__dict__.setdefault("_derived", {})
        if key not in memo:
            if not keep:
                return compute()
            memo[key] = compute()
        return memo[key]

    @property
    def unit_ids(self) -> tuple[str, ...]:
        return tuple(self.units["unit_id"])

    @cached_property
    def financial_years(self) -> tuple[str, ...]:
        """Financial years that have at least one figure, oldest first."""
        years = self.observations["financial_year"].dropna().unique()
        return tuple(sorted(str(year) for year in years))

    @property
    def programme_years(self) -> tuple[str, ...]:
        """The years a user may filter by: from the programme's first year (2019/20) on."""
        return rules.programme_years(self.financial_years)

    @property
    def metric_ids(self) -> tuple[str, ...]:
        return tuple(self.metrics["metric_id"])


def validate_tables(tables: dict[str, pd.DataFrame], directory: Path) -> None:
    """Check each table and the keys between them; raise one DataError listing every problem."""
    problems: list[schema.Problem] = []
    for spec in schema.TABLES:
        problems += schema.check_table(spec, tables[spec.name], str(directory / spec.filename))
    if problems:
        raise DataError(problems)
    units, metrics = tables["units"], tables["metrics"]
    observations, sources = tables["observations"], tables["sources"]
    obs_file = str(directory / schema.OBSERVATIONS.filename)
    units_file = str(directory / schema.UNITS.filename)
    source_ids = sources["source_id"]
    problems += schema.check_references(
        observations, "unit_id", [*units["unit_id"], schema.NATIONAL], obs_file, "units.csv"
    )
    problems += schema.check_references(
        observations, "metric_id", metrics["metric_id"], obs_file, "metrics.csv"
    )
    problems += schema.check_references(
        observations, "source_id", source_ids, obs_file, "sources.csv"
    )
    problems += schema.check_references(units, "source_id", source_ids, units_file, "sources.csv")
    problems += schema.check_unit_rows(units, units_file)
    problems += schema.check_metric_rows(metrics, str(directory / schema.METRICS.filename))
    problems += schema.check_observation_rows(observations, obs_file)
    problems += schema.check_units_areas(units, units_file)
    problems += schema.check_page_numbers(units, units_file)
    problems += schema.check_page_numbers(observations, obs_file)
    units_of_measure = dict(zip(metrics["metric_id"], metrics["unit_of_measure"], strict=True))
    value_problems, warnings = schema.check_values(observations, units_of_measure, obs_file)
    problems += value_problems
    for warning in warnings:
        log.warning("implausible figure, please check: %s", warning)
    if problems:
        raise DataError(problems)


def _with_official(tables: dict[str, pd.DataFrame], directory: Path) -> pd.DataFrame:
    """observations.csv plus the official series built by `make data`, each checked alone."""
    spec = schema.OFFICIAL_OBSERVATIONS
    official = read_table(directory, spec)
    label = str(directory / spec.filename)
    problems = schema.check_table(spec, official, label)
    if problems:
        raise DataError(problems)
    units, metrics, sources = tables["units"], tables["metrics"], tables["sources"]
    problems += schema.check_references(
        official, "unit_id", [*units["unit_id"], schema.NATIONAL], label, "units.csv"
    )
    problems += schema.check_references(
        official, "metric_id", metrics["metric_id"], label, "metrics.csv"
    )
    problems += schema.check_references(
        official, "source_id", sources["source_id"], label, "sources.csv"
    )
    problems += schema.check_observation_rows(official, label)
    clash = set(official["obs_id"]) & set(tables["observations"]["obs_id"])
    problems += [
        schema.Problem(label, "obs_id is also in observations.csv", None, "obs_id", obs_id)
        for obs_id in sorted(clash)
    ]
    if problems:
        raise DataError(problems)
    return pd.concat([tables["observations"], official], ignore_index=True)


def _prepare_observations(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Typed observations joined to their unit, metric and source, with display text."""
    obs = tables["observations"].copy()
    for column in ("value", "baseline_value"):
        obs[column] = _to_number(obs[column])
    obs["page"] = _to_int(obs["page"])
    for column in ("period_start", "period_end"):
        obs[column] = pd.to_datetime(obs[column].replace("", pd.NA), format="%Y-%m-%d")
    for column in ("financial_year", "baseline_period_label", "geography", "series", "url", "note"):
        obs[column] = _empty_to_na(obs[column])

    units = tables["units"][["unit_id", "name", "unit_type"]].rename(columns={"name": "unit_name"})
    national = pd.DataFrame(
        {"unit_id": [schema.NATIONAL], "unit_name": ["National programme"], "unit_type": [""]}
    )
    metrics = tables["metrics"].rename(columns={"label": "metric_label"})
    if "money_kind" not in metrics.columns:
        metrics = metrics.assign(money_kind="")
    # Money that is not the unit's own says so in its label wherever it is shown (rules.py).
    metrics["metric_label"] = [
        f"{label} ({rules.MONEY_KIND_WORDS[kind]})"
        if kind and kind not in rules.UNIT_MONEY and kind in rules.MONEY_KIND_WORDS
        else label
        for label, kind in zip(metrics["metric_label"], metrics["money_kind"], strict=True)
    ]
    metrics = metrics[
        [
            "metric_id",
            "metric_label",
            "category",
            "unit_of_measure",
            "reach_type",
            "higher_is_better",
            "money_kind",
        ]
    ]
    sources = tables["sources"].copy()
    sources["source_short"] = [
        UNIT_SUPPLIED_LABEL
        if source_id == UNIT_SOURCE_ID
        else _short_source_name(publisher, published)
        for source_id, publisher, published in zip(
            sources["source_id"], sources["publisher"], sources["published"], strict=True
        )
    ]
    sources = sources[["source_id", "title", "source_short"]].rename(
        columns={"title": "source_title"}
    )
    obs = (
        obs.merge(pd.concat([units, national]), on="unit_id", how="left", validate="many_to_one")
        .merge(metrics, on="metric_id", how="left", validate="many_to_one")
        .merge(sources, on="source_id", how="left", validate="many_to_one")
    )
    obs["reach_type"] = _empty_to_na(obs["reach_type"])
    obs["money_kind"] = _empty_to_na(obs["money_kind"])
    obs["is_lower_bound"] = obs["qualifier"].isin(LOWER_BOUNDS)
    obs["is_upper_bound"] = obs["qualifier"].isin(UPPER_BOUNDS)
    obs["value_text"] = [
        format_figure(None if pd.isna(v) else float(v), u, q, s)
        for v, u, q, s in zip(
            obs["value"],
            obs["unit_of_measure"],
            obs["qualifier"],
            obs["value_status"],
            strict=True,
        )
    ]
    obs["citation"] = [
        citation(short, None if pd.isna(page) else int(page), None if pd.isna(url) else url)
        for short, page, url in zip(obs["source_short"], obs["page"], obs["url"], strict=True)
    ]
    return obs


def _prepare_units(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    units = tables["units"].copy()
    units["page"] = _to_int(units["page"])
    units["pfa_code_list"] = units["pfa_codes"].str.split(";")
    for column in ("pcc", "lead", "model_notes", "url"):
        units[column] = _empty_to_na(units[column])
    return units.sort_values("name", key=lambda s: s.str.lower()).reset_index(drop=True)


def _prepare_metrics(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    metrics = tables["metrics"].copy()
    metrics["reach_type"] = _empty_to_na(metrics["reach_type"])
    metrics["money_kind"] = _empty_to_na(metrics["money_kind"])
    metrics["higher_is_better"] = metrics["higher_is_better"].map(
        {"true": True, "false": False, "": pd.NA}
    )
    return metrics


def _official_gaps(data_dir: Path) -> pd.DataFrame:
    """The publishers' gaps listed by `make data`, or none when the file is not there."""
    path = data_dir / "official" / "gaps.csv"
    if not path.is_file():
        return pd.DataFrame(columns=list(OFFICIAL_GAP_COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(frame.columns) != OFFICIAL_GAP_COLUMNS:
        rule = f"expected the columns {', '.join(OFFICIAL_GAP_COLUMNS)}"
        raise DataError([schema.Problem(str(path), rule)])
    return frame


def read_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of `data_dir` as text, validated (observations include the official series);
    raise DataError listing every problem."""
    tables = {spec.name: read_table(data_dir, spec) for spec in schema.TABLES}
    validate_tables(tables, data_dir)
    official = data_dir / schema.OFFICIAL_OBSERVATIONS.filename
    if official.is_file():
        tables["observations"] = _with_official(tables, data_dir)
    return tables


def prepare_store(
    tables: dict[str, pd.DataFrame],
    data_dir: Path,
    *,
    boundaries: dict[str, Any] | None = None,
    revisions: pd.DataFrame | None = None,
    **extra: Any,
) -> DataStore:
    """The app's frames from validated text tables (from the files or from the store)."""
    store = DataStore(
        units=_prepare_units(tables),
        metrics=_prepare_metrics(tables),
        sources=tables["sources"].copy(),
        observations=_prepare_observations(tables),
        data_dir=data_dir,
        boundaries=boundaries,
        revisions=revisions if revisions is not None else pd.DataFrame(columns=["date"]),
        **({"official_gaps": _official_gaps(data_dir)} | extra),
    )
    log.info(
        "loaded %d units, %d metrics, %d observations, %d sources",
        len(store.units),
        len(store.metrics),
        len(store.observations),
        len(store.sources),
    )
    return store


def load_store(data_dir: Path, geo_path: Path | None = None) -> DataStore:
    """Read, validate and prepare every table in `data_dir`; raise DataError on any problem.

    With `geo_path`, the force boundaries are loaded (and checked) too.
    """
    tables = read_tables(data_dir)
    try:
        revisions = load_revisions(data_dir)
    except RevisionsError as error:
        raise DataError([error.problem]) from None
    return prepare_store(
        tables,
        data_dir,
        boundaries=load_boundaries(geo_path) if geo_path is not None else None,
        revisions=revisions,
    )
