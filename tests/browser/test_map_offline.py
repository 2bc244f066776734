"""The map works with no network beyond the app: 43 areas drawn, a non-blank canvas, no leaks."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from PIL import Image
from playwright.sync_api import Page, Route

pytestmark = pytest.mark.browser

GRAPH = "#map-area-graph .js-plotly-plot"
APP_HOST = "127.0.0.1"


def test_map_draws_all_43_force_areas_offline(page: Page, live_server, console_errors):
    refused: list[str] = []

    def only_the_app(route: Route) -> None:
        if urlparse(route.request.url).hostname == APP_HOST:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    page.goto(f"{live_server.url}/")
    page.wait_for_function(
        """(sel) => { const gd = document.querySelector(sel);
            return gd && gd.calcdata && gd._fullLayout.map
                && gd._fullLayout.map._subplot.map.loaded(); }""",
        arg=GRAPH,
        timeout=30_000,
    )
    # The map can report itself loaded before the boundary file has arrived and been matched.
    page.wait_for_function(
        """(sel) => { const gd = document.querySelector(sel);
            let matched = 0;
            for (let i = 0; i < 3; i++) {
                gd.calcdata[i].forEach((point) => { if (point.fIn || point.geojson) matched++; });
            }
            return matched === 43; }""",
        arg=GRAPH,
        timeout=30_000,
    )
    drawn = page.evaluate(
        """(sel) => { const gd = document.querySelector(sel);
            // Traces 0-2 fill the main map (not a VRU area, no data, values); 3 is an outline.
            const found = new Set();
            for (let i = 0; i < 3; i++) {
                const trace = gd._fullData[i];
                gd.calcdata[i].forEach((point, k) => {
                    // A point has its feature once the GeoJSON has arrived and matched.
                    if (point.fIn || point.geojson) found.add(trace.locations[k]);
                });
            }
            return {
                found: Array.from(found),
                listed: gd.data.slice(0, 3).flatMap(t => Array.from(t.locations)),
                geojson: gd.data[0].geojson,
            };
        }""",
        GRAPH,
    )
    assert drawn["geojson"] == "/geo/police_force_areas.geojson", "geometry by URL, fetched once"
    assert len(set(drawn["listed"])) == 43
    assert len(drawn["found"]) == 43, "every force matched a feature of the boundary file"
    assert "E23000034" in drawn["found"], "the City of London is drawn"

    picture = Image.open(io.BytesIO(page.locator("#map-area-graph").screenshot())).convert("L")
    pixels = picture.tobytes()
    inked = sum(1 for value in pixels if value < 235)
    assert inked / len(pixels) > 0.15, f"the map canvas looks blank ({inked} inked pixels)"
    assert refused == [], f"requests left the app: {refused}"
    assert console_errors == []
