"""Callbacks of the map view: draw once, then patch values and outlines; clicks pick a unit."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dash import Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids, inputs
from dashboard.charts.headlines import headlines_for
from dashboard.charts.map_view import (
    MapData,
    coloraxis_for,
    first_map_figure,
    map_data_for,
    map_table,
    map_texts_for,
    measure_for,
    profile_targets,
    selected_updates,
    unit_for_location,
    unit_rows_for,
    value_patch,
    value_updates,
    web_map_figure,
)
from dashboard.datastore import DataStore
from dashboard.revisions import changed_on, with_change_date
from dashboard.selection import Selection
from dashboard.store.live import snapshot_of
from layouts.chart_card import data_table
from layouts.map_view import headline_list, profile_links, unit_list


def drawn_state(data: MapData, selection: Selection) -> dict[str, Any]:
    """What a figure shows, small enough to keep in the page's own store."""
    measure_id, year = data.key(selection)
    return {"measure": measure_id, "year": year, "units": list(selection.units)}


def map_figure_update(
    data: MapData,
    selection: Selection,
    drawn: Mapping[str, Any] | None,
    whole: Callable[[], Any] | None = None,
    values: Callable[[], tuple[Mapping[int, Mapping[str, Any]], Any]] | None = None,
) -> tuple[Any, Any]:
    """(figure or Patch, new drawn state) for the map, given what the browser already has.

    The first call of a page sends the whole figure, whose boundaries are only a URL. Later
    calls send a Patch: new values of the value traces when the measure or year changed, new
    outlines when the units changed, nothing at all when nothing did. `whole` gives the whole
    figure (default: drawn now; the page passes the one kept with the data version), and
    `values` the value traces' new properties and colour axis (likewise).
    """
    state = drawn_state(data, selection)
    if not drawn:
        return (whole or (lambda: web_map_figure(data, selection)))(), state
    patch = Patch()
    changed = False
    if (drawn.get("measure"), drawn.get("year")) != (state["measure"], state["year"]):
        updates, coloraxis = (
            values() if values else (value_updates(data, selection), coloraxis_for(data, selection))
        )
        for index, properties in updates.items():
            for name, value in properties.items():
                patch["data"][index][name] = value
        # The whole colour axis: its ticks, range and log or linear scale follow the values.
        patch["layout"]["coloraxis"] = coloraxis
        changed = True
    if list(drawn.get("units") or []) != state["units"]:
        for index, properties in selected_updates(data.coverage, selection.units).items():
            for name, value in properties.items():
                patch["data"][index][name] = value
        changed = True
    if not changed:
        return no_update, no_update
    return patch, state


def units_after_click(
    data: MapData, click_data: Mapping[str, Any] | None, current: Sequence[str] | None
) -> list[str] | None:
    """The unit picker's new value after a click on the map (None: leave it as it is).

    A click on a unit's area selects that unit alone; a second click on the only selected unit
    clears the selection. Forces without a unit are not selectable.
    """
    location, custom = inputs.clicked_point(click_data)
    unit_id = unit_for_location(data.coverage, location) if location else None
    if unit_id is None:
        unit_id = custom
    known = tuple(data.coverage["unit_id"].dropna().unique())
    if unit_id is None or unit_id not in known:
        return None
    chosen, _ = inputs.units(current, known)
    return [] if list(chosen) == [unit_id] else [unit_id]


def register(app: Dash, store: DataStore) -> None:
    """Wire the map. Its frames are kept with each data version (dashboard.prepare works them
    out before a release is served)."""
    known = inputs.known_for(store)

    def current() -> MapData:
        data = snapshot_of(store)
        return map_data_for(data)

    def selection_from(unit_values: Any, year_value: Any, measure_value: Any) -> Selection:
        """The widgets' values parsed (dashboard.inputs), with the map's own measure rule."""
        selection, _ = inputs.selection(unit_values, year_value, measure_value, known)
        return Selection(selection.units, selection.year, measure_for(selection))

    @app.callback(
        Output(ids.MAP_AREA_GRAPH, "figure"),
        Output(ids.MAP_DRAWN_STORE, "data"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
        State(ids.MAP_DRAWN_STORE, "data"),
    )
    def draw_map(unit_values, year_value, measure_value, drawn):
        selection = selection_from(unit_values, year_value, measure_value)
        snapshot = snapshot_of(store)
        whole = functools.partial(first_map_figure, snapshot, selection)
        values = functools.partial(value_patch, snapshot, selection)
        return map_figure_update(current(), selection, inputs.store_data(drawn), whole, values)

    @app.callback(
        Output(ids.MAP_TITLE_TEXT, "children"),
        Output(ids.MAP_SUBTITLE_TEXT, "children"),
        Output(ids.MAP_SUMMARY_TEXT, "children"),
        Output(ids.MAP_SOURCE_TEXT, "children"),
        Output(ids.MAP_HEADLINE_CONTAINER, "children"),
        Output(ids.MAP_PROFILE_CONTAINER, "children"),
        Output(ids.MAP_UNITS_CONTAINER, "children"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
    )
    def describe_map(unit_values, year_value, measure_value):
        selection = selection_from(unit_values, year_value, measure_value)
        snapshot = snapshot_of(store)
        texts = map_texts_for(snapshot, selection)
        headlines = [(h.label, h.value_text, h.detail) for h in headlines_for(snapshot, selection)]
        return (
            texts.title,
            texts.subtitle,
            texts.summary,
            with_change_date(texts.source_line, changed_on(store, selection.units)),
            headline_list(headlines),
            profile_links(profile_targets(map_data_for(snapshot), selection)),
            unit_list(unit_rows_for(snapshot, selection)),
        )

    @app.callback(
        Output(ids.MAP_TABLE_CONTAINER, "children"),
        Output(ids.MAP_TABLE_CONTAINER, "hidden"),
        Output(ids.MAP_AREA_CONTAINER, "hidden"),
        Input(ids.MAP_VIEW_RADIO, "value"),
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
    )
    def switch_map_and_table(view, unit_values, year_value, measure_value):
        """The table is built only while it is shown; the map stays drawn underneath."""
        if inputs.choice(view, ("chart", "table"), "chart") != "table":
            if ctx.triggered_id not in (None, ids.MAP_VIEW_RADIO):
                raise PreventUpdate
            return no_update, True, False
        selection = selection_from(unit_values, year_value, measure_value)
        data = current()
        texts = data.texts_for(selection)
        table = data_table(map_table(data.units_for(selection)), f"{texts.title}: {texts.subtitle}")
        return table, False, True

    @app.callback(
        Output(ids.FILTER_UNIT_DROPDOWN, "value", allow_duplicate=True),
        Input(ids.MAP_AREA_GRAPH, "clickData"),
        State(ids.FILTER_UNIT_DROPDOWN, "value"),
        prevent_initial_call=True,
    )
    def select_clicked_unit(click_data, unit_values):
        chosen = units_after_click(current(), click_data, unit_values)
        return no_update if chosen is None else chosen
