"""Callbacks of the trends view: notes under each chart, and graph heights that fit the chart."""

from __future__ import annotations

from collections.abc import Iterable

from dash import Dash, Input, Output, html

from dashboard import ids, inputs
from dashboard.charts import charts_for_view
from dashboard.charts.trends import NOTES
from dashboard.datastore import DataStore

# Plotly ignores a figure's own height inside a responsive graph; the box must have it instead.
FIT_HEIGHT_JS = """
function (figure) {
    var height = figure && figure.layout && figure.layout.height;
    return {height: (height || 480) + "px"};
}
"""


def notes_list(notes: Iterable[str], heading: str = "Notes and figures not drawn") -> list:
    """A short heading and a bullet list, or nothing when there is nothing to say."""
    items = [html.Li(note) for note in notes]
    if not items:
        return []
    return [html.H3(heading, className="h6 mt-3 mb-1"), html.Ul(items, className="mb-0")]


def register_fitted_heights(app: Dash, charts: Iterable[str]) -> None:
    """Give each chart's graph box the height its figure asks for (tall small multiples)."""
    for chart in charts:
        app.clientside_callback(
            FIT_HEIGHT_JS,
            Output(ids.chart_graph(chart), "style"),
            Input(ids.chart_graph(chart), "figure"),
        )


def register(app: Dash, store: DataStore) -> None:
    register_fitted_heights(app, [spec.name for spec in charts_for_view("trends")])
    known = inputs.known_for(store)

    charts = [spec.name for spec in charts_for_view("trends")]

    @app.callback(
        [Output(ids.trends_notes(chart), "children") for chart in charts],
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
    )
    def fill_notes(units, year, measure):
        """What each chart leaves out and why, listed under it as text for everyone to see.

        One request fills every chart's notes: fewer round trips on load.
        """
        selection, _ = inputs.selection(units, year, measure, known)
        return [
            notes_list(NOTES[chart](store, selection)) if chart in NOTES else [] for chart in charts
        ]
