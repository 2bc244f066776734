"""Unit names drawn on the area map, each only where it fits inside its own area.

Why this shape: plotly's map (MapLibre) draws text only from glyph files named by the map
style's `glyphs` URL, and its text traces have no halo. So the labels are a symbol layer of a
map style built here: white halo, the app's own glyphs (dashboard/assets/glyphs, built by
tools/make_glyphs.py), one layer per unit whose `minzoom` is the zoom at which the name's box
fits inside the unit's area. MapLibre then shows a name only when it fits (on a phone fewer,
on a wide screen more), keeps names from colliding, and re-decides whenever the zoom changes
(assets/map_fit.js, the reader's own zoom). The text is drawn into the map canvas, so screen
readers do not read it twice: the list of units beside the map says the same in words.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

LABEL_FONT = "Open Sans Semibold"
GLYPH_DIR = Path(__file__).resolve().parent.parent / "assets" / "glyphs" / LABEL_FONT
GLYPH_FILE = GLYPH_DIR / "0-255.pbf"
# Served by Dash from dashboard/assets; fetched once per page (then cached by the browser).
GLYPHS_URL = "/assets/glyphs/{fontstack}/{range}.pbf"
LABEL_LAYER = "unit-labels"  # the id of the first label layer: the map's traces go below it
LABEL_SIZE = 12  # px: the least the house style allows on screen
LABEL_COLOUR = "#1b1b1b"
HALO_COLOUR = "#ffffff"
HALO_WIDTH = 1.6
LINE_HEIGHT = 1.2  # ems, MapLibre's default
INK_HEIGHT = 1.0  # ems a line's letters take up
BOX_PADDING = 1.5  # px kept clear between a name's box and its area's edge
# A name may overhang its area's edges at its ends (as on any atlas), but this share of its
# width and all of its height must lie inside the area; its anchor is always inside.
INSIDE_SHARE = 0.55
GRID = 24  # candidate points per side of an area's bounding box
CHECKED = 8  # best candidates checked against every edge
COARSE_EDGES = 150  # about this many edges per area in the first search
GLYPH_SIZE = 24  # px the glyph metrics are stated at
MAX_LABEL_ZOOM = 12.0  # a name that fits nowhere below this is never drawn
TILE_SIZE = 512
BACKGROUND = {"id": "white-bg", "type": "background", "paint": {"background-color": "#ffffff"}}


@dataclass(frozen=True)
class AreaLabel:
    """A unit's name, where it goes (longitude, latitude) and the zoom from which it fits."""

    unit_id: str
    text: str
    lon: float
    lat: float
    minzoom: float


def glyph_advances(path: Path = GLYPH_FILE) -> dict[str, float]:
    """Advance width (px at 24 px) of each character in a glyph protobuf: what MapLibre uses to
    set the text, so a name's width here is the width drawn."""
    data = path.read_bytes()
    advances: dict[str, float] = {}

    def varint(buf: bytes, pos: int) -> tuple[int, int]:
        shift = result = 0
        while True:
            byte = buf[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result, pos
            shift += 7

    def fields(buf: bytes) -> Iterable[tuple[int, int | bytes]]:
        pos = 0
        while pos < len(buf):
            key, pos = varint(buf, pos)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, pos = varint(buf, pos)
                yield number, value
            elif wire == 2:
                size, pos = varint(buf, pos)
                yield number, buf[pos : pos + size]
                pos += size
            else:
                raise ValueError(f"{path}: unexpected protobuf wire type {wire}")

    for number, stack in fields(data):
        if number != 1 or not isinstance(stack, bytes):
            continue
        for part, glyph in fields(stack):
            if part != 3 or not isinstance(glyph, bytes):
                continue
            values = dict(fields(glyph))
            code, advance = values.get(1), values.get(7)
            if isinstance(code, int) and isinstance(advance, int):
                advances[chr(code)] = float(advance)
    return advances


def text_box(
    text: str, advances: Mapping[str, float], size: float = LABEL_SIZE
) -> tuple[float, float]:
    """(width, height) in px of `text` (lines split on newlines) at `size` px."""
    lines = text.split("\n")
    scale = size / GLYPH_SIZE
    width = max(sum(advances.get(char, GLYPH_SIZE * 0.6) for char in line) for line in lines)
    # A line's ink is about one em tall (capitals and descenders); lines are LINE_HEIGHT apart.
    return width * scale, ((len(lines) - 1) * LINE_HEIGHT + INK_HEIGHT) * size


def label_text(area_name: str, force_names: Sequence[str]) -> str:
    """The short place name of a unit: its force's name when that is how the area is known
    ("Kent" for "Kent (including Medway)"), else the area's name before any bracket
    ("London" for the Metropolitan Police area, "Wales" for its four forces)."""
    place = area_name.split(" (")[0].strip()
    if len(force_names) == 1 and force_names[0] in place:
        return force_names[0]
    return place.split(",")[0].strip()


def text_options(text: str) -> list[str]:
    """The name on one line, and (for names of several words) broken once near its middle."""
    words = text.split()
    options = [text]
    if len(words) > 1:
        best = min(
            range(1, len(words)),
            key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
        )
        options.append(" ".join(words[:best]) + "\n" + " ".join(words[best:]))
    return options


def _mercator(points: np.ndarray) -> np.ndarray:
    """Longitude, latitude in degrees to Web Mercator (x in radians, y the Mercator ordinate)."""
    lon, lat = np.radians(points[:, 0]), np.radians(points[:, 1])
    return np.stack([lon, np.log(np.tan(math.pi / 4 + lat / 2))], axis=1)


def _edges(polygons: Sequence[Sequence[Sequence[Sequence[float]]]], step: int = 1) -> np.ndarray:
    """Every ring edge of the polygons as rows (x1, y1, x2, y2) in Mercator; with `step`, an
    outline through every step-th point (rings stay closed), for a quick first search."""
    rows = []
    for polygon in polygons:
        for ring in polygon:
            points = _mercator(np.asarray(ring, dtype=float)[:, :2])
            if step > 1 and len(points) > 4 * step:
                points = np.vstack([points[:-1:step], points[-1:]])
            rows.append(np.hstack([points[:-1], points[1:]]))
    return np.vstack(rows)


def _runs(edges: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, ...]:
    """The points inside the polygons (even-odd), and for each the free run left, right, down
    and up to the nearest edge along the horizontal and vertical lines through it."""
    x1, y1, x2, y2 = (edges[:, i][None, :] for i in range(4))
    px, py = xs[:, None], ys[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_x = np.where((y1 <= py) != (y2 <= py), x1 + (py - y1) * (x2 - x1) / (y2 - y1), np.nan)
    inside = (cross_x > px).sum(axis=1) % 2 == 1
    cross_x, px, py = cross_x[inside], px[inside], py[inside]
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_y = np.where((x1 <= px) != (x2 <= px), y1 + (px - x1) * (y2 - y1) / (x2 - x1), np.nan)
    gap = np.where(cross_x < px, px - cross_x, np.inf)
    left = gap.min(axis=1)
    right = np.where(cross_x > px, cross_x - px, np.inf).min(axis=1)
    down = np.where(cross_y < py, py - cross_y, np.inf).min(axis=1)
    up = np.where(cross_y > py, cross_y - py, np.inf).min(axis=1)
    return xs[inside], ys[inside], left, right, down, up


def _fits(edges: np.ndarray, x: float, y: float, half_w: float, half_h: float) -> bool:
    """True when the box (Mercator half sizes) about (x, y) has no edge inside it."""
    x1, y1, x2, y2 = edges.T
    low_x, high_x, low_y, high_y = x - half_w, x + half_w, y - half_h, y + half_h
    # An edge meets the box if it crosses one of its sides, or lies wholly within it.
    inside1 = (x1 > low_x) & (x1 < high_x) & (y1 > low_y) & (y1 < high_y)
    if inside1.any():
        return False
    for side_x in (low_x, high_x):
        with np.errstate(divide="ignore", invalid="ignore"):
            hit = (x1 <= side_x) != (x2 <= side_x)
            at = y1 + (side_x - x1) * (y2 - y1) / (x2 - x1)
        if (hit & (at > low_y) & (at < high_y)).any():
            return False
    for side_y in (low_y, high_y):
        with np.errstate(divide="ignore", invalid="ignore"):
            hit = (y1 <= side_y) != (y2 <= side_y)
            at = x1 + (side_y - y1) * (x2 - x1) / (y2 - y1)
        if (hit & (at > low_x) & (at < high_x)).any():
            return False
    return True


def place_label(
    polygons: Sequence[Sequence[Sequence[Sequence[float]]]],
    boxes: Sequence[tuple[float, float]],
    grid: int = GRID,
) -> list[tuple[float, float, float]]:
    """Per box of (width, height) px: (lon, lat, minzoom), where it fits inside the polygons
    soonest (see INSIDE_SHARE for how far its ends may overhang).

    Candidates are a grid over the area; each gets the zoom at which the box fits between the
    edges left and right, below and above it; the best few are then checked against every edge
    (a concave coast can cut a corner) and raised in quarter steps until the box is clear.
    """
    edges = _edges(polygons)
    xs_all, ys_all = edges[:, [0, 2]].ravel(), edges[:, [1, 3]].ravel()
    gx = np.linspace(xs_all.min(), xs_all.max(), grid + 2)[1:-1]
    gy = np.linspace(ys_all.min(), ys_all.max(), grid + 2)[1:-1]
    # The search runs on a coarser outline; the exact check below uses every edge.
    coarse = _edges(polygons, step=max(1, len(edges) // COARSE_EDGES))
    xs, ys, left, right, down, up = _runs(coarse, *(m.ravel() for m in np.meshgrid(gx, gy)))
    per_unit = TILE_SIZE / (2 * math.pi)  # px per Mercator unit at zoom 0
    places = []
    for width, height in boxes:
        half_w_px = width * INSIDE_SHARE / 2 + BOX_PADDING
        half_h_px = height / 2 + BOX_PADDING
        with np.errstate(divide="ignore"):
            zoom_w = np.log2(half_w_px / (np.minimum(left, right) * per_unit))
            zoom_h = np.log2(half_h_px / (np.minimum(down, up) * per_unit))
        zooms = np.maximum(zoom_w, zoom_h)
        # Of places that fit equally soon, the one with most room the other way: a name sits
        # in the middle of its area, not against an edge.
        order = np.argsort(zooms + 0.05 * np.minimum(zoom_w, zoom_h))
        best = (math.inf, 0.0, 0.0)
        for index in order[:CHECKED]:
            zoom = float(zooms[index])
            while zoom <= MAX_LABEL_ZOOM:
                scale = per_unit * 2**zoom
                if _fits(edges, xs[index], ys[index], half_w_px / scale, half_h_px / scale):
                    break
                zoom += 0.25
            if zoom < best[0]:
                best = (zoom, float(xs[index]), float(ys[index]))
        zoom, x, y = best
        lon = math.degrees(x)
        lat = math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
        places.append((lon, lat, zoom))
    return places


def area_labels(
    boundaries: Mapping[str, Any], coverage: pd.DataFrame, area_names: Mapping[str, str]
) -> tuple[AreaLabel, ...]:
    """One label per unit: short name, its place inside the unit's forces, the zoom it fits at.

    `coverage` is `geography.unit_coverage(...)` (pfa_code, pfa_name, unit_id); `area_names`
    maps unit_id to the units table's area_name. A name that fits nowhere below zoom
    MAX_LABEL_ZOOM is left out (the list beside the map names every unit).
    """
    advances = glyph_advances()
    shapes: dict[str, list] = {}
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        shapes[feature["properties"]["pfa_code"]] = polygons
    labels = []
    vru = coverage[coverage["unit_id"].notna()]
    for unit_id, rows in vru.groupby("unit_id", sort=True):
        polygons = [p for code in rows["pfa_code"] if code in shapes for p in shapes[code]]
        if not polygons:
            continue
        name = label_text(str(area_names.get(str(unit_id), "")), rows["pfa_name"].tolist())
        if not name:
            continue
        texts = text_options(name)
        places = place_label(polygons, [text_box(text, advances) for text in texts])
        choices = list(zip(places, texts, strict=True))
        (lon, lat, zoom), text = min(choices, key=lambda choice: choice[0][2])
        if zoom <= MAX_LABEL_ZOOM:
            labels.append(
                AreaLabel(str(unit_id), text, round(lon, 4), round(lat, 4), round(zoom, 2))
            )
    return tuple(labels)


def glyphs_data_url(path: Path = GLYPH_FILE) -> str:
    """The glyphs as a data URL, for exports drawn where the app's URL does not exist (kaleido).

    The `{fontstack}` and `{range}` tokens a style's glyphs URL must carry sit in the fragment,
    which a data URL ignores: every range asked for gets this one file (all a name needs).
    """
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:application/x-protobuf;base64,{encoded}#{{fontstack}}/{{range}}"


def label_layer_id(index: int) -> str:
    """The first label layer is LABEL_LAYER (traces are drawn below it); the rest follow it."""
    return LABEL_LAYER if index == 0 else f"{LABEL_LAYER}-{index}"


def map_style(labels: Sequence[AreaLabel], glyphs: str = GLYPHS_URL) -> dict[str, Any]:
    """A MapLibre style: white background and one symbol layer per name, nothing from outside.

    Layers go from the smallest area's name to the largest's, so a large area's name (drawn
    last, on top) wins a collision. With no labels there is still one empty label layer, so
    the traces' `below` always names a layer that exists.
    """
    ordered = sorted(labels, key=lambda label: -label.minzoom)
    features = [
        {
            "type": "Feature",
            "properties": {"unit_id": label.unit_id, "name": label.text},
            "geometry": {"type": "Point", "coordinates": [label.lon, label.lat]},
        }
        for label in ordered
    ]
    layers: list[dict[str, Any]] = [BACKGROUND]
    for index, label in enumerate(ordered or [None]):
        layer: dict[str, Any] = {
            "id": label_layer_id(index),
            "type": "symbol",
            "source": LABEL_LAYER,
            "layout": {
                "text-field": ["get", "name"],
                "text-font": [LABEL_FONT],
                "text-size": LABEL_SIZE,
                "text-max-width": 40,
                "text-justify": "center",
                "text-anchor": "center",
                "text-padding": 2,
                "text-allow-overlap": False,
                "text-ignore-placement": False,
            },
            "paint": {
                "text-color": LABEL_COLOUR,
                "text-halo-color": HALO_COLOUR,
                "text-halo-width": HALO_WIDTH,
            },
        }
        if label is None:
            layer["filter"] = ["==", ["get", "unit_id"], ""]
        else:
            layer["filter"] = ["==", ["get", "unit_id"], label.unit_id]
            layer["minzoom"] = label.minzoom
        layers.append(layer)
    return {
        "version": 8,
        "name": "vru-areas",
        "glyphs": glyphs,
        "sources": {
            LABEL_LAYER: {
                "type": "geojson",
                "data": {"type": "FeatureCollection", "features": features},
            }
        },
        "layers": layers,
    }
