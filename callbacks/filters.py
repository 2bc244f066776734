"""Keeps the filter widgets and the URL query string in step, both ways."""

from __future__ import annotations

from dash import Dash, Input, Output, ctx, no_update

from dashboard import ids, inputs
from dashboard.datastore import DataStore
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import to_query
from layouts.shell import notices


def register(app: Dash, store: DataStore) -> None:
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.URL_LOCATION, "search"),
        Output(ids.FILTER_UNIT_DROPDOWN, "value"),
        Output(ids.FILTER_YEAR_DROPDOWN, "value"),
        Output(ids.FILTER_MEASURE_DROPDOWN, "value"),
        Output(ids.PAGE_NOTICE, "children"),
        Input(ids.URL_LOCATION, "search"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
        Input(ids.FILTER_RESET_BUTTON, "n_clicks"),
    )
    def sync_filters_and_url(search, unit_values, year_value, measure_value, _reset):
        """The URL wins on load and on back/forward; a widget change rewrites the URL."""
        trigger = ctx.triggered_id
        if trigger == ids.FILTER_RESET_BUTTON:
            return "", [], None, DEFAULT_MEASURE, []
        if trigger in (
            ids.FILTER_UNIT_DROPDOWN,
            ids.FILTER_YEAR_DROPDOWN,
            ids.FILTER_MEASURE_DROPDOWN,
        ):
            selection, messages = inputs.selection(unit_values, year_value, measure_value, known)
            query = to_query(selection, default_measure=DEFAULT_MEASURE)
            return query, no_update, no_update, no_update, notices(messages)
        selection, messages = inputs.query_selection(search, known)
        return (
            no_update,
            list(selection.units),
            selection.year,
            selection.measure,
            notices(messages),
        )
