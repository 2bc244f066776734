"""Unit names on the area map: short names, placed inside their areas, only where they fit, and
drawn from the app's own glyphs (nothing fetched from outside, on the page or in exports)."""

from __future__ import annotations

import base64
import itertools
import json
import math

import pandas as pd
import pytest

from dashboard.charts.map_view import coverage_for, labels_for
from dashboard.datastore import DataStore, load_store
from dashboard.figures.area_map import (
    ENGLAND_WALES_BOUNDS,
    NOMINAL_PLOT,
    build_area_map,
    fitted_view,
)
from dashboard.figures.map_labels import (
    BOX_PADDING,
    GLYPH_FILE,
    GLYPHS_URL,
    INSIDE_SHARE,
    LABEL_LAYER,
    LABEL_SIZE,
    TILE_SIZE,
    AreaLabel,
    glyph_advances,
    label_text,
    map_style,
    place_label,
    text_box,
)
from dashboard.geography import BOUNDARY_PATH, BOUNDARY_URL
from dashboard.selection import Selection
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def store_with_map() -> DataStore:
    return load_store(DATA_DIR, BOUNDARY_PATH)


@pytest.fixture(scope="module")
def real_labels(store_with_map) -> dict[str, AreaLabel]:
    labels = labels_for(store_with_map, coverage_for(store_with_map))
    return {label.unit_id: label for label in labels}


def _frame() -> pd.DataFrame:
    """Two hand-made forces: one VRU area with a value, one force without a unit."""
    return pd.DataFrame(
        {
            "pfa_code": ["W15000001", "E23000031"],
            "pfa_name": ["North Wales", "Surrey"],
            "unit_id": pd.array(["wales", None], dtype="string"),
            "unit_name": pd.array(["Wales VPU", None], dtype="string"),
            "value": [5.0, math.nan],
            "hover_text": ["Wales VPU: 5", ""],
        }
    )


WALES = AreaLabel("wales", "Wales", -3.9, 52.1, 4.5)


def _inside(point: tuple[float, float], polygons: list) -> bool:
    """Even-odd ray cast over every ring (a test's own check, not the module's)."""
    x, y = point
    crossings = 0
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    crossings += 1
    return crossings % 2 == 1


def _lon_lat(x: float, y: float) -> tuple[float, float]:
    return math.degrees(x), math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def test_names_are_the_short_place_names() -> None:
    assert (
        label_text(
            "London (Metropolitan Police area; excludes the City of London)",
            ["Metropolitan Police"],
        )
        == "London"
    )
    assert label_text("Kent (including Medway)", ["Kent"]) == "Kent"
    assert label_text("Leicester, Leicestershire and Rutland", ["Leicestershire"]) == (
        "Leicestershire"
    )
    assert (
        label_text(
            "Wales (North Wales, Gwent, South Wales and Dyfed-Powys)",
            [
                "North Wales",
                "Gwent",
            ],
        )
        == "Wales"
    )


def test_the_shipped_glyphs_cover_every_name_drawn(real_labels) -> None:
    advances = glyph_advances()
    assert len(real_labels) == 20, "every unit has a place for its name"
    missing = {c for label in real_labels.values() for c in label.text if c not in advances}
    assert missing <= {"\n"}, f"no glyph for {missing}"
    assert GLYPH_FILE.stat().st_size < 60_000, "one range of one font, kept small"


def test_page_map_asks_only_the_app_for_glyphs() -> None:
    figure = build_area_map(_frame(), BOUNDARY_URL, labels=[WALES])
    style = figure.layout.map.style
    assert style["glyphs"] == GLYPHS_URL
    assert GLYPHS_URL.startswith("/assets/"), "same origin as the page"
    assert "://" not in json.dumps(style), "no tiles, fonts or sprites from another host"


def test_exported_map_carries_its_glyphs_inside_the_figure() -> None:
    figure = build_area_map(_frame(), {"type": "FeatureCollection", "features": []})
    glyphs = figure.layout.map.style["glyphs"]
    assert glyphs.startswith("data:application/x-protobuf;base64,")
    payload, tokens = glyphs.removeprefix("data:application/x-protobuf;base64,").split("#")
    assert base64.b64decode(payload) == GLYPH_FILE.read_bytes()
    assert "{fontstack}" in tokens and "{range}" in tokens, "a style's glyphs URL needs both"


def test_names_are_drawn_over_the_areas_and_outlines() -> None:
    figure = build_area_map(_frame(), BOUNDARY_URL, labels=[WALES])
    assert {trace.below for trace in figure.data} == {LABEL_LAYER}
    layers = figure.layout.map.style["layers"]
    symbol_ids = [layer["id"] for layer in layers if layer["type"] == "symbol"]
    assert symbol_ids[0] == LABEL_LAYER


def test_a_map_without_names_still_has_the_layer_its_traces_go_below() -> None:
    style = map_style([])
    assert [layer["id"] for layer in style["layers"] if layer["type"] == "symbol"] == [LABEL_LAYER]
    assert style["sources"][LABEL_LAYER]["data"]["features"] == []


def test_each_name_is_legible_with_a_halo_and_shown_from_the_zoom_it_fits() -> None:
    labels = [WALES, AreaLabel("merseyside", "Merseyside", -2.9, 53.4, 7.5)]
    layers = [layer for layer in map_style(labels)["layers"] if layer["type"] == "symbol"]
    assert {layer["minzoom"] for layer in layers} == {4.5, 7.5}
    for layer in layers:
        assert layer["layout"]["text-size"] >= 12
        assert layer["paint"]["text-halo-width"] >= 1
        assert layer["layout"]["text-allow-overlap"] is False, "names never collide"
    # The larger area's name (smaller minzoom) is the upper layer: it wins a collision.
    assert layers[-1]["filter"] == ["==", ["get", "unit_id"], "wales"]


def test_a_name_is_centred_in_a_square_and_fits_from_the_zoom_the_sum_gives() -> None:
    square = [[[[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0]]]]
    [(lon, lat, zoom)] = place_label(square, [(100.0, 12.0)])
    assert abs(lon) < 0.1 and abs(lat) < 0.1
    half_width = math.radians(1.0) * TILE_SIZE / (2 * math.pi)  # px at zoom 0
    expected = math.log2((100 * INSIDE_SHARE / 2 + BOX_PADDING) / half_width)
    assert expected - 0.01 <= zoom <= expected + 0.15


def test_only_large_areas_are_named_at_the_pages_zoom(real_labels) -> None:
    zoom = fitted_view(ENGLAND_WALES_BOUNDS, *NOMINAL_PLOT)["zoom"]
    shown = {unit for unit, label in real_labels.items() if label.minzoom <= zoom}
    assert "wales" in shown
    assert {"merseyside", "london", "west_midlands", "cleveland"}.isdisjoint(shown), (
        "small metropolitan areas rely on the list and the hover"
    )


def test_every_name_lies_in_its_own_area_from_its_zoom_on(store_with_map, real_labels) -> None:
    coverage = coverage_for(store_with_map)
    shapes = {
        feature["properties"]["pfa_code"]: (
            feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "MultiPolygon"
            else [feature["geometry"]["coordinates"]]
        )
        for feature in store_with_map.boundaries["features"]
    }
    advances = glyph_advances()
    per_px_at_zero = 2 * math.pi / TILE_SIZE
    for unit_id, label in real_labels.items():
        codes = coverage.loc[coverage["unit_id"] == unit_id, "pfa_code"]
        polygons = [polygon for code in codes for polygon in shapes[code]]
        width, height = text_box(label.text, advances, LABEL_SIZE)
        scale = per_px_at_zero / 2**label.minzoom
        x, y = _mercator(label.lon, label.lat)
        half_w, half_h = width * INSIDE_SHARE / 2 * scale, height / 2 * scale
        for dx in (-half_w, 0, half_w):
            for dy in (-half_h, 0, half_h):
                assert _inside(_lon_lat(x + dx, y + dy), polygons), (
                    f"{label.text!r} leaves its area at its zoom {label.minzoom}"
                )


def test_the_decks_locator_names_only_its_own_unit_and_only_where_it_fits(
    store_with_map,
) -> None:
    from dashboard.export.slides import locator_job
    from dashboard.figures.locator_map import LOCATOR_VIEW

    for unit_id, name, drawn in (("wales", "Wales", True), ("merseyside", "Merseyside", False)):
        job = locator_job(store_with_map, Selection((unit_id,)))
        assert job is not None
        style = job[1].figure.layout.map.style
        assert style["glyphs"].startswith("data:"), "the image is drawn with no app behind it"
        features = style["sources"][LABEL_LAYER]["data"]["features"]
        assert [feature["properties"]["name"] for feature in features] == [name]
        [layer] = [layer for layer in style["layers"] if layer["type"] == "symbol"]
        assert (layer["minzoom"] <= LOCATOR_VIEW["zoom"]) is drawn
