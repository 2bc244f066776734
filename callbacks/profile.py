"""Fills the unit profile from the address (/unit/<unit_id>) and the year filter.

Why its own callbacks: the generic chart cards follow the shared unit filter, but a profile's unit
is in the path. So the profile has its own card IDs (ids.profile_*), and the callbacks here turn
the path into `Selection(units=(unit_id,), year=...)` and call the same ChartSpec builders that
exports and embeds use.
"""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids, inputs
from dashboard.charts import build_chart
from dashboard.charts import profile as profile_charts
from dashboard.charts.base import ChartResult
from dashboard.datastore import DataStore
from dashboard.export import has_marks
from dashboard.selection import Selection
from dashboard.store.live import snapshot_of
from layouts.chart_card import data_table
from layouts.profile import (
    figure_tables,
    graph_box_style,
    official_series_note,
    profile_graph,
    sources_list,
)

PROFILE_CHARTS = tuple(spec.name for spec in profile_charts.SPECS)

UNIT_PREFIX = "/unit/"
# Sets a chart's in-view store once its box comes near the window (dashboard/assets/clientside.js).
DRAW_WHEN_VISIBLE = ClientsideFunction(namespace="vru", function_name="drawWhenVisible")


def unit_from_path(pathname: str | None, unit_ids: tuple[str, ...]) -> str | None:
    """'/unit/northumbria' -> 'northumbria' when the unit exists, else None."""
    path = inputs.path(pathname)
    if not path.startswith(UNIT_PREFIX):
        return None
    unit_id = path.removeprefix(UNIT_PREFIX)
    return unit_id if unit_id in unit_ids else None


def register(app: Dash, store: DataStore) -> None:
    known = inputs.known_for(store)

    # The map has its own callback: the page would otherwise hold back the tables until the
    # graph library has loaded.
    @app.callback(
        Output(ids.PROFILE_AREA_GRAPH, "figure"),
        Output(ids.PROFILE_AREA_TEXT, "children"),
        Input(ids.URL_LOCATION, "pathname"),
    )
    def show_area_map(pathname):
        unit_id = unit_from_path(pathname, store.unit_ids)
        if unit_id is None:
            raise PreventUpdate
        return profile_charts.area_map_for(snapshot_of(store), unit_id)

    @app.callback(
        Output(ids.PROFILE_DETAILS_SOURCE_TEXT, "children"),
        Output(ids.PROFILE_FIGURES_CONTAINER, "children"),
        Output(ids.PROFILE_SOURCES_CONTAINER, "children"),
        Output(ids.PROFILE_YEAR_NOTICE, "children"),
        Input(ids.URL_LOCATION, "pathname"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
    )
    def fill_profile(pathname, year_value):
        unit_id = unit_from_path(pathname, store.unit_ids)
        if unit_id is None:
            raise PreventUpdate
        year_value, _ = inputs.year(year_value, known.years)
        found = profile_charts.profile_details(snapshot_of(store), unit_id, year_value)
        notice = (
            f"Showing figures for the financial year {year_value.replace('-', '/')} only (and "
            "longer periods that include it). Clear the year filter to see every figure."
            if year_value
            else ""
        )
        tables = figure_tables(list(found.groups))
        if found.earlier:
            tables.append(official_series_note(found.earlier, unit_id))
        return found.details, tables, sources_list(found.sources), notice

    for chart in PROFILE_CHARTS:
        register_profile_chart(app, store, chart, known)


def profile_figure_outputs(result: ChartResult) -> tuple[Any, bool]:
    """(figure, whether the card's switch, download menu, graph and table are hidden).

    A chart with nothing to draw is not drawn at all, and its card is the one line of its
    summary ('No people reached figures for this unit; see the sources below.'): a blank 450 px
    plot overflowed its card while the page settled, and offered a download and embed code of
    nothing.
    """
    if has_marks(result):
        return result.figure_json(), False
    return {}, True


def register_profile_chart(app: Dash, store: DataStore, chart: str, known: inputs.Choices) -> None:
    """Callbacks of one profile chart card (string IDs, so one set per chart)."""

    def built(pathname, year_value) -> ChartResult:
        unit_id = unit_from_path(pathname, store.unit_ids)
        if unit_id is None:
            raise PreventUpdate
        year, _ = inputs.year(year_value, known.years)
        return build_chart(chart, store, Selection((unit_id,), year))

    def table_of(result: ChartResult) -> Any:
        return data_table(result.table, f"{result.title}: {result.subtitle}")

    # The graph is drawn only once its box comes into view (most of the page's elements and
    # drawing time were the three charts below the first screen).
    app.clientside_callback(
        DRAW_WHEN_VISIBLE,
        Output(ids.profile_in_view_store(chart), "data"),
        Input(ids.profile_graph_box(chart), "id"),
        State(ids.profile_in_view_store(chart), "id"),
    )

    # Words, table and the card's shape at once, the graph when it is in view: both build the
    # same chart, so they always agree. The table is put in the page only while it is shown;
    # an empty chart's card is its summary alone from the start, and a card with a chart
    # keeps the chart's height before it is drawn, so nothing below it moves.
    @app.callback(
        Output(ids.profile_table(chart), "children"),
        Output(ids.profile_summary(chart), "children"),
        Output(ids.profile_subtitle(chart), "children"),
        Output(ids.profile_source(chart), "children"),
        Output(ids.profile_body_box(chart), "hidden"),
        Output(ids.profile_graph_box(chart), "style"),
        Input(ids.URL_LOCATION, "pathname"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.profile_graph_box(chart), "id"),
        State(ids.profile_view_switch(chart), "value"),
    )
    def fill_profile_chart_words(pathname, year_value, _box_id, view):
        result = built(pathname, year_value)
        # Whether it draws and how tall, read from the plot: writing the figure out is the
        # graph's own callback's work.
        hidden = not has_marks(result)
        table = table_of(result) if view == "table" else None
        words = (result.summary, result.subtitle, result.source_line)
        return table, *words, hidden, graph_box_style(None if hidden else result.height)

    @app.callback(
        Output(ids.profile_graph_box(chart), "children"),
        Input(ids.URL_LOCATION, "pathname"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.profile_in_view_store(chart), "data"),
        # Not called when the card appears (it is not in view yet: a wasted round trip per
        # card), only when the store says it is seen, or the year changes.
        prevent_initial_call=True,
    )
    def fill_profile_chart_figure(pathname, year_value, in_view):
        if in_view is not True:
            raise PreventUpdate
        figure, hidden = profile_figure_outputs(built(pathname, year_value))
        return None if hidden else profile_graph(chart, figure)

    @app.callback(
        Output(ids.profile_graph_box(chart), "hidden"),
        Output(ids.profile_table(chart), "hidden"),
        Output(ids.profile_table(chart), "children", allow_duplicate=True),
        Input(ids.profile_view_switch(chart), "value"),
        State(ids.URL_LOCATION, "pathname"),
        State(ids.FILTER_YEAR_DROPDOWN, "value"),
        prevent_initial_call=True,
    )
    def switch_profile_chart_and_table(view, pathname, year_value):
        if inputs.choice(view, ("chart", "table"), "chart") != "table":
            return False, True, None
        return True, False, table_of(built(pathname, year_value))
