"""Chooses the view for the path in the address bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from dash import Dash, Input, Output, html

from dashboard import catalogue, ids, inputs, rules
from dashboard.cache import data_fingerprint
from dashboard.charts import charts_for_view
from dashboard.datastore import DataStore
from dashboard.page_titles import page_title
from dashboard.revisions import last_updated, store_revision_entries
from dashboard.store.live import snapshot_of
from layouts.accessibility import accessibility_page
from layouts.compare import compare_page
from layouts.data_sources import data_page, methods_page
from layouts.investment import investment_page
from layouts.map_view import map_page
from layouts.pages import not_found
from layouts.profile import profile_page
from layouts.revisions import revisions_page
from layouts.status import quality_sections
from layouts.trends import trends_page
from layouts.units import units_page

UNIT_PREFIX = "/unit/"


def view_pages(store: DataStore, contact: str = "") -> dict[str, Callable[[], html.Div]]:
    """Path -> function building that view (called per request; layouts are cheap).

    What a page quotes from the data (the sources and counts of /data and /methods, the
    revisions log) is kept with the data version (`DataStore.derived`) and worked out while a
    release is prepared (dashboard/prepare.py), so no visitor waits for it.
    """
    quality = cache(
        lambda: quality_sections(
            rules.RULES,
            store.revisions.to_dict("records"),
            last_updated(store.revisions),
            contact,
        )
    )
    return {
        "/": map_page,
        "/trends": lambda: trends_page(charts_for_view("trends")),
        "/investment": lambda: investment_page(charts_for_view("investment")),
        "/compare": lambda: compare_page(charts_for_view("compare")),
        "/units": units_page,
        "/data": lambda: data_page(len(store.observations), catalogue.listed_sources(store)),
        "/methods": lambda: methods_page(catalogue.store_method_counts(store), quality()),
        "/accessibility": lambda: accessibility_page(contact),
        "/revisions": lambda: revisions_page(
            store_revision_entries(store), last_updated(store.revisions)
        ),
    }


def register(app: Dash, store: DataStore, contact: str = "") -> None:
    # Rebuilt when a release changes the data (counts, revisions log), once per data version.
    built: dict[str, dict[str, Callable[[], html.Div]]] = {}

    def current_pages() -> dict[str, Callable[[], html.Div]]:
        key = data_fingerprint(store)
        if key not in built:
            built.clear()
            # The request's own snapshot: the pages' figures are worked out on first use and
            # must come from the version in the key.
            snapshot = snapshot_of(store)
            built[key] = view_pages(snapshot, contact)
        return built[key]

    units = store.units.set_index("unit_id", drop=False)

    unit_names = dict(zip(store.units["unit_id"], store.units["name"], strict=True))

    @app.callback(
        Output(ids.PAGE_CONTAINER, "children"),
        Output(ids.PAGE_TITLE_STORE, "data"),
        Input(ids.URL_LOCATION, "pathname"),
    )
    def show_view(pathname):
        return view_for(pathname), page_title(inputs.path(pathname), unit_names)

    def view_for(pathname: object) -> html.Div:
        path = inputs.path(pathname)
        if path.startswith(UNIT_PREFIX):
            unit_id = path.removeprefix(UNIT_PREFIX)
            if unit_id in units.index:
                return profile_page(units.loc[unit_id].to_dict())
            return not_found(path, f"No unit is called '{inputs.shown(unit_id)}'.")
        page = current_pages().get(path)
        return page() if page else not_found(path)
