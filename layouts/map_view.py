"""The map view (home): force areas coloured by the chosen measure, with headline figures."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.charts.map_view import BOUNDARY_SOURCE, MAP_CHART
from layouts.exports import export_menu
from layouts.graph_config import graph_config
from layouts.pages import page_heading

INTRO = (
    "Each Violence Reduction Unit area is coloured by the measure chosen above; grey areas "
    "have no unit. Hover over an area for its figure, period and source, and click it (or use "
    "the Units picker) to select that unit: the headline figures and the other pages follow."
)
GRAPH_HEIGHT = "600px"
# Config of the map's graph: see layouts/graph_config.py (no cloud upload, one download menu).


def _view_switch() -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend("Show the map as", className="visually-hidden"),
            dbc.RadioItems(
                id=ids.MAP_VIEW_RADIO,
                options=[
                    {"label": "Chart", "value": "chart"},
                    {"label": "Table", "value": "table"},
                ],
                value="chart",
                inline=True,
                inputClassName="me-1",
            ),
        ],
        className="mb-2 no-print",
    )


def map_card() -> html.Section:
    """The map with its title, subtitle, summary, chart/table switch and source lines."""
    return html.Section(
        [
            html.H2("Map of VRU areas", id=ids.MAP_TITLE_TEXT, className="h4 mb-1"),
            html.P(id=ids.MAP_SUBTITLE_TEXT, className="chart-subtitle text-body-secondary mb-1"),
            html.P(
                id=ids.MAP_SUMMARY_TEXT, className="chart-summary mb-2", **{"aria-live": "polite"}
            ),
            _view_switch(),
            export_menu(MAP_CHART, "Map of VRU areas"),
            dbc.Row(
                [
                    dbc.Col(
                        html.Div(
                            dcc.Graph(
                                id=ids.MAP_AREA_GRAPH,
                                # The page scrolls over the map; zoom stays on the map's buttons.
                                config=graph_config(scroll_zoom=False),
                                style={"height": GRAPH_HEIGHT},
                            ),
                            id=ids.MAP_AREA_CONTAINER,
                            style={"minHeight": GRAPH_HEIGHT},
                            # A name for the map canvas (assets/a11y.js); MapLibre calls it "Map".
                            **{"data-map-label": "Map of England and Wales by police force area"},
                        ),
                        xs=12,
                        md=7,
                    ),
                    dbc.Col(
                        html.Nav(
                            [
                                html.H3("Units and their figures", className="h6 mb-1"),
                                html.Div(id=ids.MAP_UNITS_CONTAINER),
                            ],
                            className="map-unit-list",
                            **{"aria-label": "VRU units and their figures"},
                        ),
                        xs=12,
                        md=5,
                    ),
                ],
                className="g-2",
            ),
            html.Div(id=ids.MAP_TABLE_CONTAINER, hidden=True),
            html.P(id=ids.MAP_SOURCE_TEXT, className="small text-body-secondary mt-2 mb-1"),
            html.P(
                BOUNDARY_SOURCE,
                className="small text-body-secondary mb-0",
            ),
        ],
        className="chart-card border rounded p-3 mb-4",
        **{"aria-labelledby": ids.MAP_TITLE_TEXT},
    )


def headline_card() -> html.Section:
    """Headline figures for the current selection, and links to the chosen units' profiles."""
    return html.Section(
        [
            html.H2("Headline figures", id=ids.MAP_HEADLINE_TITLE_TEXT, className="h4"),
            html.Div(id=ids.MAP_HEADLINE_CONTAINER, **{"aria-live": "polite"}),
            html.Div(id=ids.MAP_PROFILE_CONTAINER),
        ],
        className="border rounded p-3 mb-4 bg-light",
        **{"aria-labelledby": ids.MAP_HEADLINE_TITLE_TEXT},
    )


def map_page() -> html.Div:
    """The home view; every figure and word in it is filled by callbacks/map_view.py."""
    return html.Div(
        [
            *page_heading("Violence Reduction Units across England and Wales", INTRO),
            # What the browser has drawn (measure, year, units): None until the first figure,
            # so the callback knows whether to send a whole figure or only new values.
            dcc.Store(id=ids.MAP_DRAWN_STORE, storage_type="memory"),
            dbc.Row(
                [
                    dbc.Col(map_card(), xs=12, lg=8),
                    dbc.Col(headline_card(), xs=12, lg=4),
                ]
            ),
        ]
    )


def headline_list(headlines: Sequence[tuple[str, str, str]]) -> html.Dl:
    """(label, figure, how it was made) as a description list: read in order by screen readers."""
    items: list = []
    for label, value_text, detail in headlines:
        items.append(html.Dt(label, className="fw-semibold mb-0"))
        items.append(
            html.Dd(
                [
                    html.Span(value_text, className="fs-4 d-block"),
                    html.Span(detail, className="small text-body-secondary"),
                ],
                className="mb-3",
            )
        )
    return html.Dl(items, className="mb-0")


def profile_links(targets: Sequence[tuple[str, str]]) -> list:
    """Links to the chosen units' profiles, or a hint on how to choose one."""
    if not targets:
        return [
            html.P(
                "Click a unit's area on the map, or choose units above, to open a profile.",
                className="small mb-0",
            )
        ]
    return [
        html.Ul(
            [
                html.Li(dcc.Link(f"Open {name} profile", href=f"/unit/{unit_id}"))
                for unit_id, name in targets
            ],
            className="list-unstyled mb-0",
        )
    ]


def unit_list(rows: Sequence[tuple[str, str, str]]) -> html.Ul:
    """(unit_id, name, figure in words) as links to the profiles: every unit, even the small
    ones that are hard to find on the map, in reading and Tab order."""
    return html.Ul(
        [
            html.Li(
                [
                    dcc.Link(name, href=f"/unit/{unit_id}", className="fw-semibold"),
                    html.Span(f": {figure}", className="text-body-secondary"),
                ],
                className="mb-1",
            )
            for unit_id, name, figure in rows
        ],
        className="list-unstyled small mb-0",
    )
