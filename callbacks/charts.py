"""The chart cards' callbacks: filters and switch in, figure, table and words out."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State
from flask_caching import Cache

from dashboard import ids, inputs
from dashboard.cache import cached, data_fingerprint, selection_key
from dashboard.charts import CHARTS, build_chart
from dashboard.datastore import DataStore
from dashboard.selection import Selection
from layouts.chart_card import data_table


def chart_outputs(chart: str, store: DataStore, selection: Selection) -> tuple[Any, ...]:
    """Figure (as a plain dict), table rows and caption, summary, subtitle and source line of
    one chart card.

    Why a dict: a cached go.Figure is re-validated when unpickled, which costs more than
    building the chart again; the dict is what Dash sends anyway. Why rows and not the table's
    components: the table is shown on request only, and building its cells was a third of a
    chart's first answer (`table_of` builds them when the table is shown).
    """
    result = build_chart(chart, store, selection)
    figure = result.figure_json()
    table = (result.table, f"{result.title}: {result.subtitle}")
    return figure, table, result.summary, result.subtitle, result.source_line


def table_of(rows_and_caption: tuple[pd.DataFrame, str]) -> Any:
    """The table alternative of a chart card, from what `chart_outputs` keeps."""
    rows, caption = rows_and_caption
    return data_table(rows, caption)


def register(app: Dash, store: DataStore, cache: Cache | None = None) -> None:
    """`cache` (from dashboard.cache.make_cache) keeps built cards; None builds every time."""
    known = inputs.known_for(store)

    for chart in CHARTS:
        register_chart(app, store, chart, cache, known)


def register_chart(
    app: Dash,
    store: DataStore,
    chart: str,
    cache: Cache | None,
    known: inputs.Choices,
) -> None:
    """The two callbacks of one chart card (string IDs, so one pair per chart)."""

    def outputs(unit_values, year_value, measure_value) -> tuple[Any, ...]:
        selection, _ = inputs.selection(unit_values, year_value, measure_value, known)
        # The data's fingerprint is read per request: it changes with every release.
        key = selection_key("chart", chart, selection, data_fingerprint(store))
        return cached(cache, key, lambda: chart_outputs(chart, store, selection))

    # The table is built in the page only while it is shown: hidden tables were most of the
    # elements of a page of charts, and all of it work for the browser.
    @app.callback(
        Output(ids.chart_graph(chart), "figure"),
        Output(ids.chart_table(chart), "children"),
        Output(ids.chart_summary(chart), "children"),
        Output(ids.chart_subtitle(chart), "children"),
        Output(ids.chart_source(chart), "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
        # Fires the first fill when the card appears.
        Input(ids.chart_graph(chart), "id"),
        State(ids.view_switch(chart), "value"),
    )
    def fill_chart(unit_values, year_value, measure_value, _graph_id, view):
        figure, table, *words = outputs(unit_values, year_value, measure_value)
        shown = inputs.choice(view, ("chart", "table"), "chart") == "table"
        return figure, table_of(table) if shown else None, *words

    @app.callback(
        Output(ids.chart_graph_box(chart), "hidden"),
        Output(ids.chart_table(chart), "hidden"),
        Output(ids.chart_table(chart), "children", allow_duplicate=True),
        Input(ids.view_switch(chart), "value"),
        State(ids.FILTER_UNIT_DROPDOWN, "value"),
        State(ids.FILTER_YEAR_DROPDOWN, "value"),
        State(ids.FILTER_MEASURE_DROPDOWN, "value"),
        prevent_initial_call=True,
    )
    def switch_chart_and_table(view, unit_values, year_value, measure_value):
        if inputs.choice(view, ("chart", "table"), "chart") != "table":
            return False, True, None
        return True, False, table_of(outputs(unit_values, year_value, measure_value)[1])
