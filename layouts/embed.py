"""The page served at /embed/<chart>: one chart with its words, source and table; no navigation."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from layouts.graph_config import graph_config

TABLE_SUMMARY = "Show the figures as a table"


def embed_shell(attribution: str) -> html.Div:
    """One chart card that fills its frame; a callback fills it from the address."""
    return html.Div(
        [
            dcc.Location(id=ids.EMBED_URL_LOCATION, refresh=False),
            html.Main(
                [
                    html.Div(id=ids.EMBED_PAGE_NOTICE, role="status", **{"aria-live": "polite"}),
                    html.H1(id=ids.EMBED_TITLE_TEXT, className="h5 mb-1"),
                    html.P(id=ids.EMBED_SUBTITLE_TEXT, className="small text-body-secondary mb-1"),
                    html.P(id=ids.EMBED_SUMMARY_TEXT, className="small mb-2"),
                    dcc.Graph(
                        id=ids.EMBED_CHART_GRAPH,
                        config=graph_config(toolbar=False),
                        style={"height": "clamp(240px, 60vh, 640px)"},  # until filled
                    ),
                    html.Details(
                        [
                            html.Summary(TABLE_SUMMARY),
                            html.Div(id=ids.EMBED_TABLE_CONTAINER),
                        ],
                        className="small mt-1",
                    ),
                    html.P(
                        [
                            html.Span(id=ids.EMBED_SOURCE_TEXT),
                            " ",
                            html.A(
                                "Open in the VRU dashboard",
                                id=ids.EMBED_DASHBOARD_LINK,
                                href="/",
                                target="_blank",
                                rel="noopener",
                            ),
                        ],
                        className="small text-body-secondary mt-2 mb-1",
                    ),
                    html.P(attribution, className="small text-body-secondary mb-0"),
                ],
                className="embed-page container-fluid p-2",
            ),
        ]
    )
