"""Fills the compare view's own parts: who is compared, and what cannot be compared.

The comparison chart itself is a ChartSpec (dashboard/charts/compare.py) filled by the generic
chart callback from the shared filters: the focus unit is the first unit in the Units filter
(`?unit=` in the address), any further units are the ones it is compared with.
"""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids, inputs
from dashboard.charts.compare import focus_and_peers, unmatched_figures
from dashboard.datastore import DataStore
from layouts.compare import focus_text, unmatched_table


def register(app: Dash, store: DataStore) -> None:
    units = store.units.set_index("unit_id", drop=False)
    known = inputs.known_for(store)
    unit_rows = store.units[["unit_id", "name"]].to_dict("records")

    @app.callback(
        Output(ids.COMPARE_FOCUS_TEXT, "children"),
        Output(ids.COMPARE_UNMATCHED_CONTAINER, "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
    )
    def show_focus_and_gaps(unit_values, year_value):
        selection, _ = inputs.selection(unit_values, year_value, None, known)
        focus, peers = focus_and_peers(store, selection)
        if focus is None:
            return focus_text(None, (), unit_rows), unmatched_table([], None)
        name = str(units.loc[focus, "name"])
        peer_names = [str(units.loc[p, "area_name"]) for p in peers]
        unmatched = unmatched_figures(store, selection)
        return (
            focus_text({"unit_id": focus, "name": name}, peer_names, unit_rows),
            unmatched_table(unmatched.to_dict("records"), name),
        )
