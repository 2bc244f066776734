"""Which rows an API request gets: the endpoints' filters, the same selection rules as the
views, a stable order and paging (pure pandas over the DataStore's frames)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import schema
from dashboard.api.query import Filter, Problem, Query, QueryError
from dashboard.api.tables import (
    CATEGORIES,
    INTEGER,
    METRICS,
    OBSERVATIONS,
    RELEASES,
    SOURCES,
    TABLES,
    UNITS,
    Table,
)
from dashboard.transforms import observations_for

# Releases the public may read: pending and rejected loads are the editors' business.
PUBLIC_RELEASES = ("published", "withdrawn")


@dataclass(frozen=True)
class Endpoint:
    """A list endpoint: its table and the filters it takes (also what OpenAPI describes)."""

    table: Table
    filters: tuple[Filter, ...] = ()
    summary: str = ""


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(UNITS, (), "The 20 units."),
    Endpoint(
        METRICS,
        (Filter("category", "Only measures of these kinds (repeat or comma-separate)."),),
        "What figures measure.",
    ),
    Endpoint(SOURCES, (), "Where figures were read."),
    Endpoint(
        OBSERVATIONS,
        (
            Filter(
                "unit",
                "Only figures about these units (unit_id; 'national' for national figures).",
            ),
            Filter(
                "year",
                "Only figures of these financial years (2019-20 or 2019/20): stated for the year "
                "or with a dated period overlapping it, as the dashboard's year filter does; "
                "figures with no known period are left out.",
                "year",
            ),
            Filter("metric", "Only figures of these measures (metric_id)."),
            Filter("category", "Only figures of measures of these kinds."),
            Filter("release", "Only figures published by these releases (release_id).", "integer"),
        ),
        "Figures, one per row, with qualifier, period, geography and source.",
    ),
    Endpoint(
        RELEASES,
        (Filter("status", "Only releases with this status (published or withdrawn)."),),
        "Every published or withdrawn load of figures.",
    ),
)
BY_NAME: Mapping[str, Endpoint] = {e.table.name: e for e in ENDPOINTS}


def releases_of(store: Any) -> pd.DataFrame:
    """The store's public releases (an empty frame for a store that keeps none)."""
    frame = getattr(store, "releases", None)
    if not isinstance(frame, pd.DataFrame) or "release_id" not in frame:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in RELEASES.field_names})
    return frame.loc[frame["status"].isin(PUBLIC_RELEASES)] if "status" in frame else frame


def frame_of(store: Any, table: Table) -> pd.DataFrame:
    """The whole table as the store holds it."""
    if table is RELEASES:
        return releases_of(store)
    return getattr(store, table.name)


def known_values(store: Any, endpoint: Endpoint) -> dict[str, Collection[str]]:
    """The values each filter of `endpoint` accepts, from the data as it is now."""
    known: dict[str, Collection[str]] = {}
    for spec in endpoint.filters:
        if spec.name == "unit":
            known["unit"] = {*store.unit_ids, schema.NATIONAL}
        elif spec.name == "year":
            known["year"] = set(store.financial_years)
        elif spec.name == "metric":
            known["metric"] = set(store.metric_ids)
        elif spec.name == "category":
            known["category"] = set(CATEGORIES)
        elif spec.name == "release":
            known["release"] = {str(int(r)) for r in releases_of(store)["release_id"].dropna()}
        elif spec.name == "status":
            known["status"] = set(PUBLIC_RELEASES)
    return known


def prepared(store: Any, table: Table) -> pd.DataFrame:
    """The table narrowed to its declared fields and sorted by key (the order cursors page
    through); filters keep this order."""
    frame = frame_of(store, table)
    return sort_by_key(frame[[f.name for f in table.fields_of(frame)]], table)


def filtered(frame: pd.DataFrame, endpoint: Endpoint, query: Query) -> pd.DataFrame:
    """The rows of a prepared table that match the query's filters, in key order."""
    table = endpoint.table
    if table is OBSERVATIONS:
        years = query.values("year")
        common = {
            "units": query.values("unit"),
            "metrics": query.values("metric"),
            "categories": query.values("category"),
        }
        if years:
            # One year at a time through the views' own rule, so a figure is in the API for a
            # year exactly when the dashboard shows it for that year.
            chosen = set().union(
                *(observations_for(frame, year=year, **common).index for year in years)
            )
            frame = frame.loc[frame.index.isin(chosen)]
        else:
            frame = observations_for(frame, **common)
        releases = query.values("release")
        if releases and "release_id" in frame:
            wanted = {int(r) for r in releases}
            frame = frame.loc[frame["release_id"].isin(wanted)]
        elif releases:
            frame = frame.iloc[0:0]
    elif query.values("category") and "category" in frame:
        frame = frame.loc[frame["category"].isin(query.values("category"))]
    if query.values("status") and "status" in frame:
        frame = frame.loc[frame["status"].isin(query.values("status"))]
    return frame


def sort_by_key(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Rows in the order of their key: the order cursors page through."""
    if table.key not in frame or frame.empty:
        return frame.reset_index(drop=True)
    if table.key_type == INTEGER:
        order = pd.to_numeric(frame[table.key], errors="coerce")
        return (
            frame.assign(_order=order)
            .sort_values("_order")
            .drop(columns="_order")
            .reset_index(drop=True)
        )
    return frame.sort_values(table.key, key=lambda s: s.astype(str)).reset_index(drop=True)


@dataclass(frozen=True)
class Page:
    rows: pd.DataFrame
    total: int
    next_key: str | None  # the key after which the next page starts (None: last page)
    offset: int | None  # the offset of this page, when paged by offset


def page_of(frame: pd.DataFrame, table: Table, query: Query) -> Page:
    """One page of key-ordered rows: after the cursor's key, or from the offset."""
    total = len(frame)
    start = query.offset
    offset: int | None = query.offset
    if query.after is not None:
        offset = None
        keys = frame[table.key]
        if table.key_type == INTEGER:
            try:
                after: Any = int(query.after)
            except ValueError:
                raise QueryError(
                    [Problem("cursor", "not a cursor of this API: use a 'next' link.")]
                ) from None
            start = int((pd.to_numeric(keys, errors="coerce") <= after).sum())
        else:
            start = int((keys.astype(str) <= query.after).sum())
    rows = frame.iloc[start : start + query.limit]
    more = start + query.limit < total
    next_key = str(rows[table.key].iloc[-1]) if more and len(rows) else None
    return Page(rows, total, next_key, offset)


def find_row(store: Any, table: Table, key: str) -> pd.DataFrame:
    """The row with this key (empty when there is none)."""
    frame = frame_of(store, table)
    if table.key_type == INTEGER:
        if not (key.isascii() and key.isdigit()) or len(key) > 12:
            return frame.iloc[0:0]
        return frame.loc[pd.to_numeric(frame[table.key], errors="coerce") == int(key)]
    return frame.loc[frame[table.key].astype(str) == key]


__all__ = ["BY_NAME", "ENDPOINTS", "TABLES", "Endpoint", "Page", "filtered", "page_of"]
