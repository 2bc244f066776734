"""Callbacks of the trends view: the open tab's cards, the notes under each chart, and graph
heights that fit the chart."""

from __future__ import annotations

from collections.abc import Iterable

from dash import ClientsideFunction, Dash, Input, Output, html

from dashboard import ids, inputs
from dashboard.charts import charts_for_view
from dashboard.charts.official_trends import TREND_NOTES as NOTES
from dashboard.datastore import DataStore
from layouts.trends import TOPICS, topic_cards

# Plotly ignores a figure's own height inside a responsive graph; the box must have it instead
# (dashboard/assets/clientside.js: defined once there, not one <script> per chart).
FIT_HEIGHT = ClientsideFunction(namespace="vru", function_name="fitHeight")
# Four panels to a row become two on a phone (the figure says how, in layout.meta).
NARROW_PANELS = ClientsideFunction(namespace="vru", function_name="narrowPanels")


def notes_list(notes: Iterable[str], heading: str = "Notes and figures not drawn") -> list:
    """A short heading and a bullet list, or nothing when there is nothing to say."""
    items = [html.Li(note) for note in notes]
    if not items:
        return []
    return [html.H3(heading, className="h6 mt-3 mb-1"), html.Ul(items, className="mb-0")]


def register_fitted_heights(app: Dash, charts: Iterable[str]) -> None:
    """Give each chart's graph box the height its figure asks for (tall small multiples), and
    lay small multiples out two to a row on a phone."""
    for chart in charts:
        app.clientside_callback(
            FIT_HEIGHT,
            Output(ids.chart_graph(chart), "style"),
            Input(ids.chart_graph(chart), "figure"),
        )
        app.clientside_callback(
            NARROW_PANELS,
            Output(ids.chart_graph(chart), "figure", allow_duplicate=True),
            Input(ids.chart_graph(chart), "figure"),
            prevent_initial_call=True,
        )


def register_notes(app: Dash, store: DataStore, chart: str) -> None:
    """One chart's notes, filled when its card appears (only the open tab's cards exist)."""
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.trends_notes(chart), "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
        Input(ids.trends_notes(chart), "id"),
    )
    def fill_notes(units, year, measure, _notes_id):
        """What the chart leaves out and why, listed under it as text for everyone to see."""
        selection, _ = inputs.selection(units, year, measure, known)
        return notes_list(NOTES[chart](store, selection)) if chart in NOTES else []


def register(app: Dash, store: DataStore) -> None:
    specs = charts_for_view("trends")
    register_fitted_heights(app, [spec.name for spec in specs])
    for spec in specs:
        register_notes(app, store, spec.name)
    topics = tuple(value for value, _, _ in TOPICS)

    @app.callback(
        Output(ids.TRENDS_TOPIC_CONTAINER, "children"),
        Input(ids.TRENDS_TOPIC_RADIO, "value"),
        prevent_initial_call=True,
    )
    def open_topic(topic):
        """Only the open tab's charts are in the page, so only they are built and drawn."""
        return topic_cards(inputs.choice(topic, topics, topics[0]), specs)
