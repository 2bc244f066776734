"""Chooses the view for the path in the address bar."""

from __future__ import annotations

from dash import Dash, Input, Output, html

from dashboard import ids
from dashboard.datastore import DataStore
from layouts.units import units_page


def register(app: Dash, store: DataStore) -> None:
    @app.callback(Output(ids.PAGE_CONTAINER, "children"), Input(ids.URL_LOCATION, "pathname"))
    def show_view(pathname):
        if pathname in (None, "", "/"):
            return units_page()
        return html.Div(
            [
                html.H1("Page not found", className="h2"),
                html.P(f"There is no page at {pathname}."),
                html.A("Go to the units overview", href="/"),
            ]
        )
