"""Work done once per data version before a worker serves it (a release's cold start).

Why: after a release every cache is cold, and the views' shared frames (the map's figures for
every measure and year, the data grid's records, the funding-and-reach pairs, the official
series of every area) used to be worked out by whichever visitor came first, for seconds.
The live store (dashboard/store/live.py) runs these steps on each new snapshot in a background
thread, in this order (the first page's needs first), and serves it once they are done or its
time budget is spent (the rest then follow); gunicorn's master runs them all on the first
snapshot before it forks. Everything goes through `DataStore.derived`, so what is prepared is
exactly what the views would have worked out on first use (the same keys and functions).
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard import catalogue, grid_feed
from dashboard.charts import compare, investment, official_trends, profile
from dashboard.charts.headlines import headlines_for, published_totals_for
from dashboard.charts.map_view import (
    first_map_figure,
    map_data_for,
    map_texts_for,
    prepare_value_patches,
    unit_rows_for,
)
from dashboard.datastore import DataStore
from dashboard.measures import MEASURE_IDS
from dashboard.revisions import store_revision_entries
from dashboard.selection import Selection


def _first_map(store: DataStore) -> None:
    """The map as the first page draws it (the default measure's frames) and its headlines."""
    if store.boundaries is not None:
        first_map_figure(store, Selection())
        compare.prepare(store)
    published_totals_for(store)


def _other_map_measures(store: DataStore) -> None:
    """Every other measure's frames and value patches, for a change of the measure or year
    filter."""
    if store.boundaries is None:
        return
    map_data_for(store).work_out_all()
    prepare_value_patches(store)


def _map_words(store: DataStore) -> None:
    """The words and headlines beside the map for every measure and year, with and without a
    chosen year."""
    if store.boundaries is None:
        return
    data = map_data_for(store)
    for measure_id in MEASURE_IDS:
        for year in (None, *data.years):
            selection = Selection((), year, measure_id)
            map_texts_for(store, selection)
            unit_rows_for(store, selection)
            headlines_for(store, selection)


def _units(store: DataStore) -> None:
    for year in (None, *store.programme_years):  # /units for every year the filter offers
        catalogue.units_overview(store, year=year)


def _pages(store: DataStore) -> None:
    """What /data, /methods and /revisions quote from the data (sources, counts, the log)."""
    catalogue.listed_sources(store)
    catalogue.store_method_counts(store)
    store_revision_entries(store)


# Keep each step short: a step begun within the live store's budget runs to its end before
# the release is served, so a long one would hold the release back (the per-year and per-unit
# steps, seconds of work, come last and run only once the worker is idle).
STEPS: tuple[Callable[[DataStore], object], ...] = (
    _first_map,
    grid_feed.prepare,
    official_trends.prepare,
    investment.prepare,
    _units,
    _pages,
    _other_map_measures,
    _map_words,
    profile.prepare,
    compare.prepare_comparisons,
    official_trends.prepare_units,
    profile.prepare_years,
    compare.prepare_years,
)


def prepare(store: DataStore) -> None:
    """Every step, now (tests, and anything that wants a snapshot fully prepared)."""
    for step in STEPS:
        step(store)
