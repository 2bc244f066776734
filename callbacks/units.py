"""Fills the units overview from the filters."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import catalogue, ids, inputs, transforms
from dashboard.datastore import DataStore
from layouts.units import overview_table


def register(app: Dash, store: DataStore) -> None:
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.UNITS_OVERVIEW_CONTAINER, "children"),
        Output(ids.UNITS_SUMMARY_TEXT, "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
    )
    def show_units(unit_values, year_value):
        selection, _ = inputs.selection(unit_values, year_value, None, known)
        overview = catalogue.units_overview(store, units=selection.units, year=selection.year)
        return overview_table(overview.to_dict("records")), transforms.overview_sentence(
            overview, selection.year, len(store.units)
        )
