"""Callbacks of the data view: the grid follows the unit and year filters; CSV of what is shown."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, no_update

from dashboard import catalogue, grid_feed, ids, inputs
from dashboard.datastore import DataStore
from layouts.data_sources import sources_list

CSV_FILENAME = "vru-figures.csv"


def register(app: Dash, store: DataStore) -> None:
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.DATA_SOURCES_CONTAINER, "children"),
        Input(ids.DATA_SOURCES_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
    def list_sources(n_clicks):
        """The sources table, built when asked for (the page opens without it). The button
        stays, so keyboard focus is not lost when the list appears."""
        if not inputs.clicks(n_clicks):
            return no_update
        rows = catalogue.source_rows(store.sources, store.observations).to_dict("records")
        return sources_list(rows)

    @app.callback(
        Output(ids.DATA_GRID_PICK, "data"),
        Output(ids.DATA_COUNT_TEXT, "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
    )
    def pick_rows(unit_values, year_value):
        """Which rows the filters keep; the rows themselves come once per data version from
        their own address (dashboard/grid_feed.py), not with every change of a filter."""
        selection, _ = inputs.selection(unit_values, year_value, None, known)
        units, year = selection.units, selection.year
        payload = grid_feed.selection_payload(store, units=units, year=year)
        shown = len(store.observations) if payload["pick"] is None else len(payload["pick"])
        sentence = catalogue.count_sentence(shown, len(store.observations), units, year)
        return payload, sentence

    # Fetches the rows body (kept by the browser) and gives the grid the picked rows; marks the
    # box "grid-ready", which shows the grid once it has laid them out (grid_settle.js).
    app.clientside_callback(
        ClientsideFunction(namespace="vru", function_name="gridRows"),
        Output(ids.DATA_OBSERVATIONS_TABLE, "rowData"),
        Output(ids.DATA_GRID_CONTAINER, "className"),
        Output(ids.DATA_GRID_PROBLEM, "children"),
        Input(ids.DATA_GRID_PICK, "data"),
    )

    @app.callback(
        Output(ids.DATA_CSV_DOWNLOAD, "data"),
        Input(ids.DATA_CSV_BUTTON, "n_clicks"),
        State(ids.FILTER_UNIT_DROPDOWN, "value"),
        State(ids.FILTER_YEAR_DROPDOWN, "value"),
        State(ids.DATA_OBSERVATIONS_TABLE, "virtualRowData"),
        prevent_initial_call=True,
    )
    def download_csv(n_clicks, unit_values, year_value, shown_rows):
        """Rebuild the rows on the server from the filters; the grid only says which and in
        what order (its own column filters and sort), so a client cannot add rows."""
        if not inputs.clicks(n_clicks):
            return no_update
        selection, _ = inputs.selection(unit_values, year_value, None, known)
        rows = catalogue.observation_rows(
            store.observations, store.sources, units=selection.units, year=selection.year
        )
        shown_ids = inputs.record_ids(shown_rows, len(store.observations))
        text = catalogue.observations_csv(catalogue.rows_in_order(rows, shown_ids))
        return dcc.send_string(text, CSV_FILENAME, type="text/csv")
