"""One callback serves every chart card: filters and switch in, figure, table and words out."""

from __future__ import annotations

from typing import Any

from dash import MATCH, Dash, Input, Output
from flask_caching import Cache

from dashboard import ids, inputs
from dashboard.cache import cached, data_fingerprint, selection_key
from dashboard.charts import build_chart
from dashboard.datastore import DataStore
from dashboard.selection import Selection
from layouts.chart_card import data_table


def chart_outputs(chart: str, store: DataStore, selection: Selection) -> tuple[Any, ...]:
    """Figure (as a plain dict), table, summary, subtitle and source line of one chart card.

    Why a dict: a cached go.Figure is re-validated when unpickled, which costs more than
    building the chart again; the dict is what Dash sends anyway.
    """
    result = build_chart(chart, store, selection)
    table = data_table(result.table, f"{result.title}: {result.subtitle}")
    figure = result.figure.to_plotly_json()
    return figure, table, result.summary, result.subtitle, result.source_line


def register(app: Dash, store: DataStore, cache: Cache | None = None) -> None:
    """`cache` (from dashboard.cache.make_cache) keeps built cards; None builds every time."""
    fingerprint = data_fingerprint(store) if cache is not None else ""
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.chart_graph(MATCH), "figure"),
        Output(ids.chart_table(MATCH), "children"),
        Output(ids.chart_summary(MATCH), "children"),
        Output(ids.chart_subtitle(MATCH), "children"),
        Output(ids.chart_source(MATCH), "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
        Input(ids.chart_graph(MATCH), "id"),
    )
    def fill_chart(unit_values, year_value, measure_value, graph_id):
        chart = inputs.chart_of(graph_id, known.charts)
        if chart is None:
            return {}, "Unknown chart.", "", "", ""
        selection, _ = inputs.selection(unit_values, year_value, measure_value, known)
        key = selection_key("chart", chart, selection, fingerprint)
        return cached(cache, key, lambda: chart_outputs(chart, store, selection))

    @app.callback(
        Output(ids.chart_graph_box(MATCH), "hidden"),
        Output(ids.chart_table(MATCH), "hidden"),
        Input(ids.view_switch(MATCH), "value"),
    )
    def switch_chart_and_table(view):
        table = inputs.choice(view, ("chart", "table"), "chart") == "table"
        return table, not table
