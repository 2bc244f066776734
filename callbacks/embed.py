"""Fills the /embed/<chart> page from its address: the chart, its words, table and source."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output
from flask_caching import Cache

from dashboard import ids, inputs
from dashboard.cache import cached, data_fingerprint, selection_key
from dashboard.charts import CHARTS, build_chart
from dashboard.datastore import DataStore
from dashboard.embed import embed_chart_name
from dashboard.figures.theme import empty_figure
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection, to_query
from layouts.chart_card import data_table
from layouts.shell import notices

# Where each view lives in the full dashboard, for the "Open in the VRU dashboard" link.
FILL_HEIGHT = "clamp(240px, 60vh, 640px)"
VIEW_PATHS = {"map": "/", "trends": "/trends", "investment": "/investment", "compare": "/compare"}


def dashboard_link(chart: str, selection: Selection) -> str:
    """The full view that shows this chart, with the same filters."""
    query = to_query(selection, default_measure=DEFAULT_MEASURE)
    view = CHARTS[chart].view
    if view == "profile" and len(selection.units) == 1:
        return f"/unit/{selection.units[0]}{query}"
    return VIEW_PATHS.get(view, "/") + query


def embed_outputs(chart: str, store: DataStore, selection: Selection) -> tuple[Any, ...]:
    """Title, subtitle, summary, figure (as a dict), graph style, table, source line, link."""
    result = build_chart(chart, store, selection)
    table = data_table(result.table, f"{result.title}: {result.subtitle}")
    return (
        result.title,
        result.subtitle,
        result.summary,
        result.figure_json(),
        graph_style(result.figure_json()["layout"].get("height")),
        table,
        result.source_line,
        dashboard_link(chart, selection),
    )


def graph_style(figure_height: int | None) -> dict[str, str]:
    """A chart with rows of its own (rankings, small multiples) keeps its height and the frame
    scrolls; others fill most of the frame."""
    return {"height": f"{int(figure_height)}px"} if figure_height else {"height": FILL_HEIGHT}


def register(app: Dash, store: DataStore, cache: Cache | None = None) -> None:
    known = inputs.known_for(store)

    @app.callback(
        Output(ids.EMBED_TITLE_TEXT, "children"),
        Output(ids.EMBED_SUBTITLE_TEXT, "children"),
        Output(ids.EMBED_SUMMARY_TEXT, "children"),
        Output(ids.EMBED_CHART_GRAPH, "figure"),
        Output(ids.EMBED_CHART_GRAPH, "style"),
        Output(ids.EMBED_TABLE_CONTAINER, "children"),
        Output(ids.EMBED_SOURCE_TEXT, "children"),
        Output(ids.EMBED_DASHBOARD_LINK, "href"),
        Output(ids.EMBED_PAGE_NOTICE, "children"),
        Input(ids.EMBED_URL_LOCATION, "pathname"),
        Input(ids.EMBED_URL_LOCATION, "search"),
    )
    def fill_embed(pathname, search):
        asked = embed_chart_name(inputs.path(pathname))
        chart = inputs.chart_name(asked, known.charts)
        if chart is None:
            message = f"There is no chart called '{inputs.shown(asked or '')}'."
            figure = empty_figure("Chart not found")
            return "Chart not found", "", message, figure, graph_style(None), "", "", "/", []
        selection, messages = inputs.query_selection(search, known)
        key = selection_key("embed", chart, selection, data_fingerprint(store))
        outputs = cached(cache, key, lambda: embed_outputs(chart, store, selection))
        return (*outputs, notices(messages))
