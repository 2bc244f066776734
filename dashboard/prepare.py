"""Work done once per data version before a worker serves it (a release's cold start).

Why: after a release every cache is cold, and the views' shared frames (the map's figures for
every measure and year, the data grid's records, the funding-and-reach pairs, the place names)
used to be worked out by whichever visitor came first, for seconds. The live store
(dashboard/store/live.py) runs `prepare` on each new snapshot in the background and switches
to it only when it is done, and gunicorn's master runs it on the first snapshot before it
forks. Everything here goes through `DataStore.derived`, so what is prepared is exactly what
the views would have worked out on first use (the same keys and the same functions).
"""

from __future__ import annotations

from dashboard import catalogue, transforms
from dashboard.charts import compare, investment
from dashboard.charts.headlines import published_totals_for
from dashboard.charts.map_view import first_map_figure, map_data_for
from dashboard.datastore import DataStore
from dashboard.selection import Selection


def prepare(store: DataStore) -> None:
    """Work out, for this data version, what the views share (see the module docstring)."""
    if store.boundaries is not None:
        map_data_for(store).work_out_all()
        first_map_figure(store, Selection())  # the map as a page first draws it
        compare.prepare(store)
    published_totals_for(store)
    catalogue.grid_for(store)
    for year in (None, *store.programme_years):  # /units for every year the filter offers
        catalogue.units_overview(store, year=year)
    # The /investment views' pairs for every reach measure the filters offer, all years.
    for metric in (None, *transforms.REACH_METRICS.values()):
        investment.pairs_table(store, Selection((), None, metric))
