"""One callback serves every chart card: filters and switch in, figure, table and words out."""

from __future__ import annotations

from dash import MATCH, Dash, Input, Output

from dashboard import ids
from dashboard.charts import CHARTS, build_chart
from dashboard.datastore import DataStore
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection
from layouts.chart_card import data_table


def register(app: Dash, store: DataStore) -> None:
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
        chart = graph_id["chart"]
        if chart not in CHARTS:
            return {}, "Unknown chart.", "", "", ""
        selection = Selection(
            tuple(unit_values or ()), year_value or None, measure_value or DEFAULT_MEASURE
        )
        result = build_chart(chart, store, selection)
        table = data_table(result.table, f"{result.title}: {result.subtitle}")
        return result.figure, table, result.summary, result.subtitle, result.source_line

    @app.callback(
        Output(ids.chart_graph_box(MATCH), "hidden"),
        Output(ids.chart_table(MATCH), "hidden"),
        Input(ids.view_switch(MATCH), "value"),
    )
    def switch_chart_and_table(view):
        return view == "table", view != "table"
