"""Downloads: each chart's images and data, its embed code, and the view's slide deck."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from flask_caching import Cache

from dashboard import export, ids, inputs
from dashboard.cache import cached, data_fingerprint, selection_key
from dashboard.charts import CHARTS, build_chart, charts_for_view
from dashboard.charts.base import ChartResult
from dashboard.datastore import DataStore
from dashboard.embed import embed_height, embed_snippet
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection, to_query
from layouts.exports import EMBED_KEY
from layouts.shell import NAV_LINKS

log = logging.getLogger(__name__)

UNIT_PREFIX = "/unit/"
# The views whose charts make the slide deck, by path; a unit's profile is /unit/<unit_id>.
VIEW_PATHS: dict[str, str] = {
    "/": "map",
    "/trends": "trends",
    "/investment": "investment",
    "/compare": "compare",
}
PROFILE_VIEW = "profile"
VIEW_TITLES: dict[str, str] = {href: label for label, href in NAV_LINKS}


def view_for_path(pathname: str | None, unit_ids: Sequence[str]) -> tuple[str | None, str | None]:
    """(view, unit_id) for a page: ('trends', None), ('profile', 'kent'), or (None, None)."""
    path = inputs.path(pathname)
    if path.startswith(UNIT_PREFIX):
        unit_id = path.removeprefix(UNIT_PREFIX)
        return (PROFILE_VIEW, unit_id) if unit_id in unit_ids else (None, None)
    return VIEW_PATHS.get(path), None


def selection_for(
    pathname: Any,
    unit_values: Any,
    year_value: Any,
    measure_value: Any,
    known: inputs.Choices,
) -> Selection:
    """The filters as the page applies them: a unit's profile is about that unit only.

    Every value is parsed (dashboard.inputs), so the file's filters line names only units,
    a year and a measure that exist.
    """
    _, unit_id = view_for_path(pathname, known.units)
    selection, _ = inputs.selection(unit_values, year_value, measure_value, known)
    if unit_id:
        return Selection((unit_id,), selection.year, selection.measure)
    return selection


def deck_title(store: DataStore, view: str, unit_id: str | None, pathname: str | None) -> str:
    if unit_id:
        name = store.units.set_index("unit_id").loc[unit_id, "name"]
        return f"{name}: profile"
    path = inputs.path(pathname)
    return f"VRU briefing: {VIEW_TITLES.get(path, view.title())}"


def embed_code_notice(snippet: str, copied: bool) -> list:
    """The embed code in a read-only box (selectable by keyboard), with what just happened."""
    lead = "Embed code copied. " if copied else ""
    return [
        html.P(
            f"{lead}Paste this HTML into your page to show the chart with these filters:",
            className="mb-1",
        ),
        html.Textarea(
            snippet,
            readOnly=True,
            rows=3,
            className="form-control form-control-sm font-monospace",
            **{"aria-label": "Embed code"},
        ),
    ]


def register(app: Dash, store: DataStore, cache: Cache | None = None, contact: str = "") -> None:
    """`cache` keeps rendered images (Chromium work) keyed by chart, filters and data;
    `contact` (the VRU_CONTACT setting) is named on every spreadsheet's cover."""
    renderer = export.ImageRenderer(keep_open=True)
    unit_ids = store.unit_ids
    known = inputs.known_for(store)

    def image_bytes(chart: str, format_name: str, selection: Selection) -> bytes:
        def draw() -> bytes:
            return export.chart_image(build_chart(chart, store, selection), format_name, renderer)

        key = selection_key(format_name, chart, selection, data_fingerprint(store))
        return cached(cache, key, draw)

    def slide_pictures(
        results: Sequence[ChartResult], selection: Selection
    ) -> dict[str, list[bytes]]:
        """Each chart's slide PNGs (one per slide it takes) from the cache where drawn before;
        the rest in one batch."""

        def key(result: ChartResult) -> str:
            return selection_key("slides", result.chart, selection, data_fingerprint(store))

        shown = [result for result in results if export.has_marks(result)]
        pictures = {r.chart: cache.get(key(r)) for r in shown} if cache is not None else {}
        missing = [result for result in shown if pictures.get(result.chart) is None]
        drawn = export.slide_pictures(missing, renderer)
        if cache is not None:
            for result in missing:
                cache.set(key(result), drawn[result.chart])
        return {**pictures, **drawn}

    def _snippet(chart: str, selection: Selection, href: Any) -> str:
        """The iframe code; the site's address comes from the page's own URL (not the request,
        so a cached answer never carries another host's address)."""
        origin = inputs.origin(href)
        query = to_query(selection, default_measure=DEFAULT_MEASURE)
        height = embed_height(
            build_chart(chart, store, selection).figure_json()["layout"].get("height")
        )
        return embed_snippet(origin, chart, query, CHARTS[chart].title, height)

    def register_chart(chart: str) -> None:
        """The Download menu and embed button of one chart (string IDs: one set per chart)."""
        # Button id -> format, for every entry of the menu.
        buttons = {
            ids.export_button(chart, key): key
            for key in (*(fmt.key for fmt in export.EXPORT_FORMATS), EMBED_KEY)
        }

        @app.callback(
            Output(ids.export_download(chart), "data"),
            Output(ids.export_notice(chart), "children"),
            *(Input(button_id, "n_clicks") for button_id in buttons),
            State(ids.FILTER_UNIT_DROPDOWN, "value"),
            State(ids.FILTER_YEAR_DROPDOWN, "value"),
            State(ids.FILTER_MEASURE_DROPDOWN, "value"),
            State(ids.URL_LOCATION, "pathname"),
            State(ids.URL_LOCATION, "href"),
            prevent_initial_call=True,
        )
        def download_chart(*args):
            *clicks, unit_values, year_value, measure_value, pathname, href = args
            trigger = ctx.triggered_id
            format_name = buttons.get(trigger) if isinstance(trigger, str) else None
            if format_name is None or not inputs.any_clicks(clicks):
                return no_update, no_update
            selection = selection_for(pathname, unit_values, year_value, measure_value, known)
            if format_name == EMBED_KEY:
                snippet = _snippet(chart, selection, href)
                return no_update, embed_code_notice(snippet, copied=False)
            fmt = export.FORMATS.get(format_name)
            if fmt is None:
                return no_update, "Unknown download format."
            try:
                if fmt.is_image:
                    payload = image_bytes(chart, format_name, selection)
                else:
                    context = export.export_context(store, selection, contact=contact)
                    payload = export.chart_file(
                        build_chart(chart, store, selection), format_name, context
                    )
            except export.ExportError as error:
                log.warning("export of %s as %s failed: %s", chart, format_name, error)
                return no_update, f"The file could not be made: {error}"
            suffix = fmt.size.key if fmt.size else ""
            filename = export.export_filename(chart, selection, fmt.extension, suffix)
            return dcc.send_bytes(payload, filename), f"Downloaded {filename} ({fmt.label})."

        @app.callback(
            Output(ids.export_embed_store(chart), "data"),
            Output(ids.export_notice(chart), "children", allow_duplicate=True),
            Input(ids.export_embed_button(chart), "n_clicks"),
            State(ids.FILTER_UNIT_DROPDOWN, "value"),
            State(ids.FILTER_YEAR_DROPDOWN, "value"),
            State(ids.FILTER_MEASURE_DROPDOWN, "value"),
            State(ids.URL_LOCATION, "pathname"),
            State(ids.URL_LOCATION, "href"),
            prevent_initial_call=True,
        )
        def copy_embed_code(_clicks, unit_values, year_value, measure_value, pathname, href):
            selection = selection_for(pathname, unit_values, year_value, measure_value, known)
            snippet = _snippet(chart, selection, href)
            return snippet, embed_code_notice(snippet, copied=True)

        # The browser writes to the clipboard; the code also stays visible in the status line for
        # anyone whose browser refuses.
        # (dashboard/assets/clientside.js: one definition, not one <script> per chart)
        app.clientside_callback(
            ClientsideFunction(namespace="vru", function_name="copySnippet"),
            Input(ids.export_embed_store(chart), "data"),
            prevent_initial_call=True,
        )

    for chart in CHARTS:
        register_chart(chart)

    @app.callback(
        Output(ids.EXPORT_SLIDES_CONTAINER, "hidden"),
        Input(ids.URL_LOCATION, "pathname"),
    )
    def show_slides_button(pathname):
        view, _ = view_for_path(pathname, unit_ids)
        return view is None or not charts_for_view(view)

    @app.callback(
        Output(ids.EXPORT_SLIDES_DOWNLOAD, "data"),
        Output(ids.EXPORT_SLIDES_NOTICE, "children"),
        Input(ids.EXPORT_SLIDES_BUTTON, "n_clicks"),
        State(ids.FILTER_UNIT_DROPDOWN, "value"),
        State(ids.FILTER_YEAR_DROPDOWN, "value"),
        State(ids.FILTER_MEASURE_DROPDOWN, "value"),
        State(ids.URL_LOCATION, "pathname"),
        prevent_initial_call=True,
        running=[
            (Output(ids.EXPORT_SLIDES_BUTTON, "disabled"), True, False),
            (Output(ids.EXPORT_SLIDES_PROGRESS, "hidden"), False, True),
        ],
    )
    def download_slides(clicks, unit_values, year_value, measure_value, pathname):
        view, unit_id = view_for_path(pathname, unit_ids)
        specs = charts_for_view(view) if view else []
        if not inputs.clicks(clicks) or not specs:
            return no_update, "This page has no charts to put on slides."
        selection = selection_for(pathname, unit_values, year_value, measure_value, known)
        results, failed = export.build_results(store, selection, [s.name for s in specs])
        try:
            pictures = slide_pictures(results, selection)
            glance = export.unit_glance(store, selection, renderer)
        except export.ExportError as error:
            log.warning("slides for %s failed: %s", pathname, error)
            return no_update, f"The slides could not be made: {error}"
        deck = export.build_deck(
            results,
            title=deck_title(store, view, unit_id, pathname),
            context=export.export_context(store, selection, contact=contact),
            pictures=pictures,
            failed=failed,
            glance=glance,
        )
        filename = export.export_filename(f"{view}-slides", selection, "pptx")
        slides = export.deck_slide_count(results, failed, glance=glance is not None)
        return dcc.send_bytes(deck, filename), f"Downloaded {filename} ({slides} slides)."
