"""The framework floor: a bare Dash app with one dropdown and one graph, served like the dashboard.

The benchmark measures it with the same client as the dashboard, so the dashboard's figures can
be read as multiples of what Dash itself costs on this machine. It uses Dash's defaults (with
compression on, as any production Dash app would) and nothing of the dashboard's.
Serve it with `gunicorn -c gunicorn.conf.py bench.floor_app:server`.
"""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

CATEGORIES = [f"Area {number}" for number in range(1, 19)]
SERIES = {
    "first": [float(3 * n % 17 + 1) for n in range(18)],
    "second": [float(5 * n % 13 + 2) for n in range(18)],
    "third": [float(7 * n % 11 + 3) for n in range(18)],
}


def create_floor_app() -> Dash:
    """One dropdown driving one bar chart: the least a Dash page with a chart can be."""
    app = Dash(__name__, compress=True, title="Framework floor")
    app.layout = html.Div(
        [
            html.H1("Framework floor"),
            html.Label("Series", htmlFor="floor-series-dropdown"),
            dcc.Dropdown(
                id="floor-series-dropdown",
                options=[{"label": name, "value": name} for name in SERIES],
                value="first",
                clearable=False,
            ),
            dcc.Graph(id="floor-chart-graph"),
        ]
    )

    @app.callback(Output("floor-chart-graph", "figure"), Input("floor-series-dropdown", "value"))
    def draw(series: str) -> go.Figure:
        figure = go.Figure(go.Bar(x=CATEGORIES, y=SERIES.get(series, SERIES["first"])))
        figure.update_layout(title=f"Series {series}", margin={"l": 40, "r": 10, "t": 40})
        return figure

    return app


app = create_floor_app()
server = app.server
