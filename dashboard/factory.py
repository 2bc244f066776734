"""Builds the Dash app: the one module that joins settings, data, layouts and callbacks."""

from __future__ import annotations

import dataclasses
import logging
import time
from importlib import resources
from pathlib import Path
from typing import Any

import dash
from flask import Response
from sqlalchemy.exc import SQLAlchemyError

from callbacks import (
    charts,
    compare,
    data_sources,
    embed,
    exports,
    filters,
    investment,
    map_view,
    navigation,
    profile,
    routing,
    trends,
    units,
)
from dashboard import grid_feed, limits, security, serving
from dashboard.api import install_api
from dashboard.auth import web as editor_web
from dashboard.cache import data_fingerprint, make_cache
from dashboard.charts import CHARTS, charts_for_view
from dashboard.config import PROJECT_ROOT, Settings
from dashboard.datastore import DataError, DataStore
from dashboard.embed import install_frame_policy, is_embed_request
from dashboard.geography import BOUNDARY_URL, load_boundaries, register_boundary_route
from dashboard.measures import DEFAULT_MEASURE, MEASURES
from dashboard.prepare import STEPS
from dashboard.revisions import last_updated
from dashboard.schema import Problem
from dashboard.store import Store
from dashboard.store.live import LiveStore
from dashboard.store.live import install as install_live_store
from layouts.chart_card import chart_card
from layouts.compare import compare_page
from layouts.data_sources import data_page
from layouts.embed import embed_shell
from layouts.investment import investment_page
from layouts.map_view import map_page
from layouts.profile import profile_page
from layouts.shell import page_shell
from layouts.status import status_line
from layouts.trends import other_cards, trends_page
from layouts.units import units_page

BOOTSTRAP_URL = "/vendor/bootstrap.min.css"
BOUNDARY_FILE = "police_force_areas.geojson"
APP_TITLE = "Violence Reduction Units dashboard"
DESCRIPTION = (
    "Funding, reach and outcomes of the 18 Violence Reduction Units of England and Wales: "
    "maps, trends and comparisons, each figure with its source."
)
ATTRIBUTION = (
    "Figures: APCC 'PCCs Making a Difference: VRUs in Focus' (2020) and the official sources "
    "named beside each figure."
)

# The page declares its language for screen readers (WCAG 3.1.1). Unlike Dash's default, the
# scripts sit in no <footer>: that made a second "contentinfo" landmark beside the site's own.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def _bootstrap_css() -> bytes:
    """Bootstrap 5 CSS from an installed package, so the page needs no CDN."""
    files = resources.files("flask_bootstrap") / "static" / "bootstrap5" / "css"
    return (files / "bootstrap.min.css").read_bytes()


def _serve_vendor_css(server, css: bytes) -> None:
    def bootstrap_css() -> Response:
        response = Response(css, mimetype="text/css")
        response.cache_control.public = True
        response.cache_control.max_age = 86400
        return response

    server.add_url_rule(BOOTSTRAP_URL, "vendor_bootstrap_css", bootstrap_css)


def _unit_options(store: DataStore) -> list[dict[str, str]]:
    return [
        {"label": name, "value": unit_id}
        for unit_id, name in zip(store.units["unit_id"], store.units["name"], strict=True)
    ]


def _year_options(store: DataStore) -> list[dict[str, str]]:
    return [{"label": year.replace("-", "/"), "value": year} for year in store.programme_years]


def _measure_options() -> list[dict[str, str]]:
    return [{"label": m.label, "value": m.measure_id} for m in MEASURES]


log = logging.getLogger(__name__)


def open_store(settings: Settings, geo_path: Path) -> LiveStore:
    """The store of the settings, migrated and seeded on first start, as the app's live data."""
    started = time.perf_counter()
    store = Store.from_settings(settings, geo_path)
    try:
        store.ensure_ready()
        first = store.snapshot()
    except SQLAlchemyError as error:
        where = store.url.split("@")[-1]
        reason = (
            f"the database cannot be used: {type(error).__name__}: {str(error).splitlines()[0]}"
        )
        raise DataError([Problem(where, reason)]) from None
    live = LiveStore(store, first, settings.store_poll_seconds, preparers=STEPS)
    log.info(
        "store ready in %.2f s: data version %d", time.perf_counter() - started, live.data_version
    )
    return live


def _layout(store: DataStore | LiveStore, first_shell: Any, embed_page: Any) -> Any:
    """Dash's layout function: the embed shell for /embed/ pages, else the page shell, whose
    filters and footer ('Data last updated') follow the newest release."""
    shells = {data_fingerprint(store): first_shell}

    def layout() -> Any:
        if is_embed_request():
            return embed_page
        key = data_fingerprint(store)
        if key not in shells:
            shells.clear()  # one shell per data version is all a worker keeps
            shells[key] = page_shell(
                _unit_options(store),
                _year_options(store),
                _measure_options(),
                DEFAULT_MEASURE,
                status_line(last_updated(store.revisions), ATTRIBUTION),
            )
        return shells[key]

    return layout


def create_app(
    settings: Settings | None = None,
    store: DataStore | LiveStore | None = None,
    figures: Store | None = None,
) -> dash.Dash:
    """A ready-to-serve app. Its data comes from the store (dashboard/store) unless a DataStore
    is given (tests, or `load_store` of a data folder): then it is fixed for the app's life.

    `figures` is the database store the editor pages write to: by default the live store's
    own, or (with a fixed DataStore and sign-in switched on) the store of the settings."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    limits.install_rate_limit()
    geo_path = settings.geo_dir / BOUNDARY_FILE
    store = store or open_store(settings, geo_path)
    if not isinstance(store, LiveStore) and store.boundaries is None:
        # Loaded once, here: the map's chart builder needs them for self-contained exports.
        store = dataclasses.replace(store, boundaries=load_boundaries(geo_path))
    bootstrap_css = _bootstrap_css()

    app = dash.Dash(
        __name__,
        title=APP_TITLE,
        serve_locally=True,
        compress=True,
        # Versioned address, so browsers may keep the 232 KB file for a year.
        external_stylesheets=[serving.fingerprinted_url(BOOTSTRAP_URL, bootstrap_css)],
        suppress_callback_exceptions=True,
        update_title=None,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": DESCRIPTION},
        ],
    )
    app.index_string = INDEX_STRING
    _serve_vendor_css(app.server, bootstrap_css)
    register_boundary_route(app.server, geo_path)
    serving.configure_static_serving(
        app, static_paths=[BOUNDARY_URL], cache_dir=settings.asset_cache_dir
    )
    # Limits first: every later hook and callback sees only bodies that passed them.
    limits.install_limits(app, max_body=settings.max_body, deadline_seconds=settings.timeout)
    # One cache per app (per worker process, or shared through Redis): charts are pure functions
    # of the selection, so a result built for one user serves every other user.
    if isinstance(store, LiveStore):
        install_live_store(app.server, store)
    cache = make_cache(app.server, settings)
    serving.register_health_route(app.server, store, cache)
    grid_feed.register_rows_route(app.server, store)
    if settings.callback_cache:
        code = serving.code_fingerprint(PROJECT_ROOT)
        # Read per request: a release changes the data's fingerprint, so no answer outlives it.
        serving.cache_callback_responses(app.server, cache, lambda: data_fingerprint(store) + code)

    shell = page_shell(
        _unit_options(store),
        _year_options(store),
        _measure_options(),
        DEFAULT_MEASURE,
        status_line(last_updated(store.revisions), ATTRIBUTION),
    )
    # /embed/<chart> pages get a bare shell (no navigation or filters) and may be framed by the
    # configured origins; every other page refuses to be framed.
    embed_page = embed_shell(ATTRIBUTION)
    app.layout = _layout(store, shell, embed_page)
    install_frame_policy(app.server, settings.embed_origins)
    # Every view's components, so Dash can check callbacks that target views not shown yet.
    paged = {spec.name for view in ("trends", "investment") for spec in charts_for_view(view)}
    app.validation_layout = dash.html.Div(
        [
            shell,
            embed_page,
            units_page(),
            map_page(),
            data_page(0, []),
            profile_page(store.units.iloc[0].to_dict()),
            compare_page(()),
            trends_page(charts_for_view("trends")),
            *other_cards(charts_for_view("trends")),
            investment_page(charts_for_view("investment")),
            *(chart_card(name, spec.title) for name, spec in CHARTS.items() if name not in paged),
        ]
    )
    routing.register(app, store, contact=settings.contact)
    for module in (
        filters, units, map_view, trends, investment, profile, compare, data_sources, navigation,
    ):  # fmt: skip
        module.register(app, store)
    charts.register(app, store, cache=cache)
    exports.register(app, store, cache=cache, contact=settings.contact)
    embed.register(app, store, cache=cache)
    # The open data API (/api/v1) reads the same store as the views.
    install_api(app.server, store)
    # Editors: sign-in, upload, review, admin (Flask routes; off without VRU_SECRET_KEY).
    if settings.secret_key and figures is None:
        figures = store.source if isinstance(store, LiveStore) else Store.from_settings(settings)
    editor_web.register(app.server, settings, figures)
    # Last: the policy's script hashes must cover every clientside callback registered above.
    security.install_security_headers(
        app, pages=routing.view_pages(store), unit_ids=store.unit_ids, https=settings.https
    )
    return app
