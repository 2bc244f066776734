"""Chooses the view for the path in the address bar."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.charts import charts_for_view
from dashboard.datastore import DataStore
from layouts.investment import investment_page
from layouts.pages import not_found
from layouts.units import units_page


def register(app: Dash, store: DataStore) -> None:
    pages = {
        "/": units_page,
        "/units": units_page,
        "/investment": lambda: investment_page(charts_for_view("investment")),
    }

    @app.callback(Output(ids.PAGE_CONTAINER, "children"), Input(ids.URL_LOCATION, "pathname"))
    def show_view(pathname):
        page = pages.get((pathname or "/").rstrip("/") or "/")
        return page() if page else not_found(pathname)
