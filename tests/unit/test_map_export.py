"""The map as exported (SVG and PNG, Download menu and CLI path): the same map as the screen,
no stray axes, every force area inside the frame, England and Wales filling it."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from dashboard import export
from dashboard.charts import build_chart
from dashboard.charts.map_view import MAP_CHART
from dashboard.datastore import DataStore, load_store
from dashboard.figures.area_map import ENGLAND_WALES_BOUNDS
from dashboard.geography import BOUNDARY_ATTRIBUTION, BOUNDARY_PATH
from dashboard.measures import DEFAULT_MEASURE
from dashboard.selection import Selection
from tests.conftest import DATA_DIR

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.fixture(scope="module")
def store_with_map() -> DataStore:
    return load_store(DATA_DIR, BOUNDARY_PATH)


@pytest.fixture(scope="module")
def map_svg(store_with_map) -> bytes:
    result = build_chart(MAP_CHART, store_with_map, Selection(measure=DEFAULT_MEASURE))
    with export.ImageRenderer() as renderer:
        return renderer.render_many([export.image_job(result, "svg")])[0]


def _classes(root: ET.Element) -> list[str]:
    return [element.get("class") or "" for element in root.iter()]


def _map_picture(svg: bytes) -> Image.Image:
    """The drawn map: plotly puts the WebGL canvas of a map into the SVG as a PNG image."""
    root = ET.fromstring(svg)
    for image in root.iter(f"{SVG}image"):
        href = image.get(f"{XLINK}href") or image.get("href") or ""
        if href.startswith("data:image/png;base64,"):
            return Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))).convert("RGB")
    raise AssertionError("no map picture in the SVG")


def test_exported_map_svg_has_no_cartesian_axes_or_ticks(map_svg):
    root = ET.fromstring(map_svg)
    classes = _classes(root)
    assert not [c for c in classes if re.fullmatch(r"[xy]\d*tick", c)]
    for layer in root.iter(f"{SVG}g"):
        if layer.get("class") in {"xaxislayer-above", "yaxislayer-above"}:
            assert not list(layer.iter(f"{SVG}text")), "axis labels on a map"


def test_exported_map_keeps_every_force_inside_the_frame(map_svg):
    """Nothing is cut off: the map picture's outermost pixels are background on every side."""
    picture = _map_picture(map_svg)
    width, height = picture.size
    pixels = picture.load()
    edge = [(x, y) for x in range(width) for y in (0, 1, height - 2, height - 1)]
    edge += [(x, y) for y in range(height) for x in (0, 1, width - 2, width - 1)]
    touched = [(x, y) for x, y in edge if pixels[x, y] != (255, 255, 255)]
    assert not touched, f"{len(touched)} edge pixels are drawn, e.g. {touched[:3]}"


def test_exported_map_fills_its_frame(map_svg):
    """England and Wales reach nearly from the top of the map's box to its bottom."""
    picture = _map_picture(map_svg)
    drawn = Image.eval(picture.convert("L"), lambda v: 255 if v < 250 else 0).getbbox()
    assert drawn is not None
    _left, top, _right, bottom = drawn
    assert (bottom - top) / picture.size[1] >= 0.85


def test_exported_map_attribution_is_in_the_source_line_not_over_the_map(map_svg):
    root = ET.fromstring(map_svg)
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Contains OS data" in texts
    # Only the source legend carries it: no annotation layer text at the foot of the plot.
    for layer in root.iter(f"{SVG}g"):
        if (layer.get("class") or "").startswith("annotation"):
            assert BOUNDARY_ATTRIBUTION not in "".join(layer.itertext())


def test_bounds_contain_every_boundary_point(store_with_map):
    west, south, east, north = ENGLAND_WALES_BOUNDS
    points = []

    def walk(coordinates):
        if isinstance(coordinates[0], int | float):
            points.append(coordinates)
        else:
            for inner in coordinates:
                walk(inner)

    for feature in store_with_map.boundaries["features"]:
        walk(feature["geometry"]["coordinates"])
    assert all(west <= x <= east and south <= y <= north for x, y in points)
