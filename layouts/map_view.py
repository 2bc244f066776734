"""The map view (home): force areas coloured by the chosen measure, with headline figures."""

from __future__ import annotations

from dash import html

from layouts.pages import page_heading


def map_page() -> html.Div:
    return html.Div(page_heading("Map of VRU areas", "The map is being built."))
