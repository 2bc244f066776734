"""The frame around every view: header, navigation, shared filters, notices and footer."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from layouts.exports import slides_bar

NAV_LINKS: tuple[tuple[str, str], ...] = (
    ("Map", "/"),
    ("Trends", "/trends"),
    ("Investment and reach", "/investment"),
    ("Compare", "/compare"),
    ("Units", "/units"),
    ("Data and sources", "/data"),
)
FOOTER_LINKS: tuple[tuple[str, str], ...] = (
    ("Methods and data quality", "/methods"),
    ("Revisions", "/revisions"),
    ("Accessibility statement", "/accessibility"),
)


def _labelled(
    label: str, label_id: str, control_id: str, control: object, width: int = 4
) -> dbc.Col:
    # The box keeps the height of a loaded dropdown while its script is still on its way, so
    # the filter bar does not grow (and push the page down) when the dropdowns appear.
    return dbc.Col(
        [
            html.Label(label, id=label_id, htmlFor=control_id, className="form-label fw-semibold"),
            html.Div(control, className="filter-control"),
        ],
        xs=12,
        md=width,
    )


def filter_bar(
    unit_options: Sequence[dict[str, str]],
    year_options: Sequence[dict[str, str]],
    measure_options: Sequence[dict[str, str]],
    default_measure: str,
) -> html.Section:
    """Unit, year and measure pickers; their values are mirrored in the URL by a callback."""
    return html.Section(
        dbc.Row(
            [
                _labelled(
                    "Units",
                    ids.FILTER_UNIT_LABEL,
                    ids.FILTER_UNIT_DROPDOWN,
                    dcc.Dropdown(
                        id=ids.FILTER_UNIT_DROPDOWN,
                        options=list(unit_options),
                        multi=True,
                        placeholder="All units",
                    ),
                    width=5,
                ),
                _labelled(
                    "Financial year",
                    ids.FILTER_YEAR_LABEL,
                    ids.FILTER_YEAR_DROPDOWN,
                    dcc.Dropdown(
                        id=ids.FILTER_YEAR_DROPDOWN,
                        options=list(year_options),
                        placeholder="All years",
                    ),
                    width=2,
                ),
                _labelled(
                    "Measure",
                    ids.FILTER_MEASURE_LABEL,
                    ids.FILTER_MEASURE_DROPDOWN,
                    dcc.Dropdown(
                        id=ids.FILTER_MEASURE_DROPDOWN,
                        options=list(measure_options),
                        value=default_measure,
                        clearable=False,
                    ),
                    width=3,
                ),
                dbc.Col(
                    dbc.Button(
                        "Reset filters",
                        id=ids.FILTER_RESET_BUTTON,
                        color="secondary",
                        outline=True,
                        className="mt-md-4",
                    ),
                    xs=12,
                    md=2,
                ),
            ],
            className="g-3 align-items-end",
        ),
        className="filters border rounded p-3 mb-3 bg-light",
        **{"aria-label": "Filters"},
    )


def page_shell(
    unit_options: Sequence[dict[str, str]],
    year_options: Sequence[dict[str, str]],
    measure_options: Sequence[dict[str, str]],
    default_measure: str,
    attribution: object,
) -> html.Div:
    """The whole page around the view container."""
    return html.Div(
        [
            dcc.Location(id=ids.URL_LOCATION, refresh=False),
            dcc.Store(id=ids.PAGE_TITLE_STORE),
            # Says which page opened after a navigation (focus moves to its heading as well).
            html.Div(
                id=ids.PAGE_ANNOUNCE_TEXT,
                role="status",
                className="visually-hidden",
                **{"aria-live": "polite", "aria-atomic": "true"},
            ),
            html.A("Skip to main content", href="#main", className="visually-hidden-focusable"),
            html.Header(
                dbc.Container(
                    [
                        html.P("Violence Reduction Units", className="h4 mb-0 text-white"),
                        html.Nav(
                            [
                                dcc.Link(label, href=href, className="nav-link text-white px-2")
                                for label, href in NAV_LINKS
                            ],
                            id=ids.NAV_MAIN_CONTAINER,
                            className="nav",
                            **{"aria-label": "Main", "data-current": ""},
                        ),
                    ],
                    className="d-flex flex-wrap justify-content-between align-items-center py-2",
                ),
                className="site-header mb-3",
            ),
            dbc.Container(
                [
                    html.Div(id=ids.PAGE_NOTICE, role="status", **{"aria-live": "polite"}),
                    filter_bar(unit_options, year_options, measure_options, default_measure),
                    slides_bar(),
                    html.Main(id="main", children=html.Div(id=ids.PAGE_CONTAINER), tabIndex="-1"),
                ]
            ),
            html.Footer(
                dbc.Container(
                    [
                        html.Nav(
                            [
                                dcc.Link(label, href=href, className="me-3")
                                for label, href in FOOTER_LINKS
                            ],
                            id=ids.NAV_FOOTER_CONTAINER,
                            className="small mb-2",
                            **{"aria-label": "About this site", "data-current": ""},
                        ),
                        html.P(attribution, className="small mb-0"),
                    ]
                ),
                className="site-footer mt-4 py-3 border-top",
            ),
        ]
    )


def notices(messages: Sequence[str]) -> list[dbc.Alert]:
    """Visible notes about parts of the link that could not be used."""
    return [dbc.Alert(message, color="warning", className="py-2") for message in messages]
