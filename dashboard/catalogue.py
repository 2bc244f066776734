"""Rows of the data table, the sources list and the counts of the methods page (pure pandas).

The data view lists every figure as stored, with the place it was read; nothing here
computes a new number. Functions take the prepared frames of the DataStore and never
mutate them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from dashboard import transforms
from dashboard.datastore import DataStore
from dashboard.export import neutralise_cell
from dashboard.formatting import QUALIFIER_WORDS
from dashboard.transforms import observations_for

# (field of a grid row, column heading): the columns the data view shows, in order.
GRID_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit_name", "Unit"),
    ("metric_label", "Measure"),
    ("value_text", "Figure"),
    ("period_label", "Period"),
    ("geography", "Geography"),
    ("series", "Series"),
    ("source_title", "Source"),
    ("location", "Page or web address"),
    ("note", "Note"),
)

# Columns of the CSV download: identifiers and raw values for analysts, next to the words.
CSV_COLUMNS: tuple[str, ...] = (
    "obs_id",
    "unit_id",
    "unit_name",
    "metric_id",
    "metric_label",
    "category",
    "unit_of_measure",
    "value",
    "qualifier",
    "value_status",
    "value_text",
    "period_label",
    "period_start",
    "period_end",
    "financial_year",
    "baseline_value",
    "baseline_period_label",
    "geography",
    "series",
    "source_id",
    "source_title",
    "page",
    "url",
    "citation",
    "note",
)


def _host(url: str) -> str:
    """'https://www.gov.uk/x' -> 'gov.uk': a short, readable name for a link."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def location_text(page: object, url: object) -> str:
    """Where a figure was read, in words: 'p. 12' for a document page, else the web host."""
    if not _missing(page):
        return f"p. {int(page)}"  # type: ignore[arg-type]
    if not _missing(url):
        return _host(str(url))
    return ""


def location_markdown(page: object, url: object, source_url: object) -> str:
    """The 'page or web address' cell: a Markdown link when there is an address to follow.

    A page of a document links to the document when the source has an address; the APCC
    report has none, so its pages are plain text.
    """
    text = location_text(page, url)
    target = url if not _missing(url) else source_url
    if _missing(target) or not str(target):
        return text
    # Pointy brackets keep brackets inside an address from ending the link early.
    return f"[{text}](<{target}>)"


def observation_rows(
    observations: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    units: Sequence[str] = (),
    year: str | None = None,
) -> pd.DataFrame:
    """The figures matching the global filters, one row each, with display columns added.

    Uses the same unit and year rules as every chart (`transforms.observations_for`), so a
    figure with no known period drops out when a year is chosen. Sorted by unit, measure
    and period so the table reads in a stable order.
    """
    chosen = observations_for(observations, units=units, year=year)
    source_urls = sources.set_index("source_id")["url"].replace("", pd.NA)
    rows = chosen.copy()
    rows["source_url"] = rows["source_id"].map(source_urls)
    rows["location"] = [
        location_markdown(page, url, source_url)
        for page, url, source_url in zip(rows["page"], rows["url"], rows["source_url"], strict=True)
    ]
    return rows.sort_values(
        ["unit_name", "metric_label", "period_start", "obs_id"], na_position="last"
    ).reset_index(drop=True)


def grid_records(rows: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts for the grid: text columns, the id, and the raw value for sorting.

    Missing text becomes '' (shown as an empty cell), a missing value None (sorted last).
    """
    fields = ["obs_id", *(name for name, _ in GRID_COLUMNS)]
    records = []
    for row in rows.itertuples(index=False):
        record: dict[str, object] = {
            name: "" if _missing(getattr(row, name)) else str(getattr(row, name)) for name in fields
        }
        record["value"] = None if _missing(row.value) else float(row.value)
        records.append(record)
    return records


def grid_for(
    store: DataStore, *, units: Sequence[str] = (), year: str | None = None
) -> tuple[list[dict[str, object]], int]:
    """`grid_records(observation_rows(...))` for the filters, and how many rows that is.

    Every figure's record is written once per data version (kept with the store) and the
    filters only pick which, in the table's order: a record depends on its own row alone, and
    the order (by unit, measure, period and id, ids unique) is the same for any subset. So the
    first answer after a release costs one pass over the table, not one per filter.
    """

    def every_record() -> tuple[list[str], dict[str, dict[str, object]]]:
        rows = observation_rows(store.observations, store.sources)
        records = grid_records(rows)
        return list(rows["obs_id"]), {str(r["obs_id"]): r for r in records}

    order, by_id = store.derived(("grid_records",), every_record)
    chosen = set(observations_for(store.observations, units=units, year=year)["obs_id"])
    records = [by_id[obs_id] for obs_id in order if obs_id in chosen]
    return records, len(records)


def units_overview(
    store: DataStore, *, units: Sequence[str] = (), year: str | None = None
) -> pd.DataFrame:
    """`transforms.unit_overview` for the filters, every unit's row written once per data
    version and year (a row depends on its own unit's figures alone), then picked."""
    every = store.derived(
        ("units-overview", year),
        lambda: transforms.unit_overview(store.observations, store.units, year=year),
    )
    if not units:
        return every.copy()
    return every[every["unit_id"].isin(units)].reset_index(drop=True)


def rows_in_order(rows: pd.DataFrame, obs_ids: Sequence[str] | None) -> pd.DataFrame:
    """The rows named by `obs_ids`, in that order (the table's own sort and filter).

    Ids not among `rows` are ignored, so a client can never widen what the filters allow.
    None means no narrowing: every row, in its own order.
    """
    if obs_ids is None:
        return rows
    by_id = rows.set_index("obs_id", drop=False)
    wanted = [obs_id for obs_id in dict.fromkeys(obs_ids) if obs_id in by_id.index]
    return by_id.loc[wanted].reset_index(drop=True)


def _csv_cell(value: object) -> object:
    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 4800000, not 4800000.0
    return neutralise_cell(value)


def observations_csv(rows: pd.DataFrame) -> str:
    """The rows as CSV text, with text cells that a spreadsheet would run as formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows[list(CSV_COLUMNS)].itertuples(index=False):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def count_sentence(shown: int, total: int, units: Sequence[str], year: str | None) -> str:
    """'37 of 393 figures match the filters (2 units; financial year 2019/20).'"""
    if not units and not year:
        return f"All {total} figures are listed."
    parts = []
    if units:
        parts.append("1 unit" if len(units) == 1 else f"{len(units)} units")
    if year:
        parts.append(
            f"financial year {year.replace('-', '/')}; figures with no known period are left out"
        )
    noun = "figure matches" if shown == 1 else "figures match"
    return f"{shown} of {total} {noun} the filters ({'; '.join(parts)})."


def source_rows(sources: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Every source with the number of figures read from it, most used first."""
    counts = observations["source_id"].value_counts()
    rows = sources[["source_id", "title", "publisher", "published", "url", "licence"]].copy()
    rows["figures"] = rows["source_id"].map(counts).fillna(0).astype(int)
    return rows.sort_values(
        ["figures", "title"], ascending=[False, True], key=_sort_key
    ).reset_index(drop=True)


def listed_sources(store: DataStore) -> list[dict]:
    """`source_rows` of the store as the data page lists them, once per data version (shared:
    never change it)."""
    return store.derived(
        ("listed-sources",),
        lambda: source_rows(store.sources, store.observations).to_dict("records"),
    )


def store_method_counts(store: DataStore) -> MethodCounts:
    """`method_counts` of the store, once per data version."""
    return store.derived(
        ("method-counts",), lambda: method_counts(store.observations, store.sources, store.units)
    )


def _sort_key(column: pd.Series) -> pd.Series:
    return column.str.lower() if pd.api.types.is_string_dtype(column) else column


@dataclass(frozen=True)
class MethodCounts:
    """Numbers the methods page quotes, all counted from the loaded tables."""

    figures: int
    units: int
    metrics: int
    sources: int
    from_pages: int
    from_web: int
    report_figures: int
    report_pages: int
    chart_only: int
    provisional: int
    qualified: int
    by_qualifier: tuple[tuple[str, int], ...]
    series: int
    multi_series_measures: int
    national: int
    by_category: tuple[tuple[str, int], ...]


def method_counts(
    observations: pd.DataFrame, sources: pd.DataFrame, units: pd.DataFrame
) -> MethodCounts:
    """Count what the methods page describes, so its numbers always match the data.

    The 'report' is every source without a web address that figures cite by page (the APCC
    report); `multi_series_measures` counts unit-and-measure pairs that appear in more than
    one series, the cases the series rule keeps apart.
    """
    with_page = observations["page"].notna()
    pageless_sources = set(sources.loc[sources["url"].eq(""), "source_id"])
    from_report = with_page & observations["source_id"].isin(pageless_sources)
    qualifiers = observations.loc[observations["qualifier"].ne("exact"), "qualifier"]
    by_qualifier = tuple(
        (QUALIFIER_WORDS.get(name, name.replace("_", " ")), int(count))
        for name, count in qualifiers.value_counts().sort_index().items()
    )
    series_per_pair = observations.dropna(subset=["series"]).groupby(["unit_id", "metric_id"])[
        "series"
    ]
    by_category = tuple(
        (str(name), int(count))
        for name, count in observations["category"].value_counts().sort_index().items()
    )
    return MethodCounts(
        figures=len(observations),
        units=len(units),
        metrics=int(observations["metric_id"].nunique()),
        sources=len(sources),
        from_pages=int(with_page.sum()),
        from_web=int(observations["url"].notna().sum()),
        report_figures=int(from_report.sum()),
        report_pages=int(observations.loc[from_report, "page"].nunique()),
        chart_only=int(observations["value_status"].eq("chart_only").sum()),
        provisional=int(observations["value_status"].eq("provisional").sum()),
        qualified=len(qualifiers),
        by_qualifier=by_qualifier,
        series=int(observations["series"].nunique()),
        multi_series_measures=int((series_per_pair.nunique() > 1).sum()),
        national=int(observations["unit_id"].eq("national").sum()),
        by_category=by_category,
    )
