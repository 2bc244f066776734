"""Builds the map's label glyphs (dashboard/assets/glyphs/) from an open-licensed TrueType font.

Why: the map library (MapLibre, inside plotly.js) draws text only from signed-distance-field
glyphs in protobuf files fetched from the map style's `glyphs` URL. Public glyph servers are
outside the app, so the app ships its own: one font (Open Sans Semibold, Apache 2.0, Debian
package `fonts-open-sans`), one range (0-255, of which printable ASCII: every unit name).
The files are committed; run this only to change the font or the characters:

    apt-get install -y fonts-open-sans
    python -m tools.make_glyphs [FONT.ttf]

The format is the one every MapLibre glyph server uses: glyphs rasterised at 24 px, a 3 px
border, the distance to the outline over 8 px mapped to a byte so that the outline is 191.
Needs only Pillow (FreeType) and numpy, both already installed for the app's tests.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_FILE = Path("/usr/share/fonts/truetype/open-sans/OpenSans-Semibold.ttf")
FONTSTACK = "Open Sans Semibold"
OUT_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "assets" / "glyphs" / FONTSTACK
SIZE = 24  # px: the size MapLibre expects glyphs at
BORDER = 3  # px of distance field around each glyph
RADIUS = 8.0  # px of distance the byte range spans
CUTOFF = 0.25  # share of the byte range outside the outline
SUPERSAMPLE = 8  # the outline is found at 8x and distances are measured there
CHARACTERS = list(range(32, 127))  # printable ASCII: every unit name


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field(number: int, wire: int) -> bytes:
    return _varint((number << 3) | wire)


def _uint(number: int, value: int) -> bytes:
    return _field(number, 0) + _varint(value)


def _sint(number: int, value: int) -> bytes:
    return _field(number, 0) + _varint(_zigzag(value))


def _bytes(number: int, value: bytes) -> bytes:
    return _field(number, 2) + _varint(len(value)) + value


def _glyph(font: ImageFont.FreeTypeFont, ascent: float, code: int) -> bytes:
    """One glyph message: id, SDF bitmap, width, height, left, top, advance (24 px units)."""
    char = chr(code)
    advance = round(font.getlength(char) / SUPERSAMPLE)
    left_hi, top_hi, right_hi, bottom_hi = font.getbbox(char, anchor="ls")
    if right_hi <= left_hi or bottom_hi <= top_hi:
        return (
            _uint(1, code)
            + _uint(3, 0)
            + _uint(4, 0)
            + _sint(5, 0)
            + _sint(6, 0)
            + _uint(7, advance)
        )
    left = math.floor(left_hi / SUPERSAMPLE)
    right = math.ceil(right_hi / SUPERSAMPLE)
    top = math.ceil(-top_hi / SUPERSAMPLE)  # above the baseline, y up
    bottom = math.floor(-bottom_hi / SUPERSAMPLE)
    width, height = right - left, top - bottom
    # The outline at 8x, in a canvas covering the glyph box and its border.
    cols, rows = (width + 2 * BORDER) * SUPERSAMPLE, (height + 2 * BORDER) * SUPERSAMPLE
    canvas = Image.new("L", (cols, rows), 0)
    origin = ((BORDER - left) * SUPERSAMPLE, (BORDER + top) * SUPERSAMPLE)
    ImageDraw.Draw(canvas).text(origin, char, font=font, fill=255, anchor="ls")
    inside = np.asarray(canvas) >= 128
    edge = inside & ~(
        np.pad(inside, 1, constant_values=False)[:-2, 1:-1]
        & np.pad(inside, 1, constant_values=False)[2:, 1:-1]
        & np.pad(inside, 1, constant_values=False)[1:-1, :-2]
        & np.pad(inside, 1, constant_values=False)[1:-1, 2:]
    )
    edge_y, edge_x = np.nonzero(edge)
    edge_points = np.stack([edge_x + 0.5, edge_y + 0.5], axis=1) / SUPERSAMPLE
    out_w, out_h = width + 2 * BORDER, height + 2 * BORDER
    ys, xs = np.mgrid[0:out_h, 0:out_w]
    centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1)
    if len(edge_points):
        gaps = centres[:, None, :] - edge_points[None, :, :]
        distance = np.sqrt((gaps**2).sum(axis=2)).min(axis=1)
    else:
        distance = np.full(len(centres), RADIUS)
    sample = inside[
        np.clip((centres[:, 1] * SUPERSAMPLE).astype(int), 0, rows - 1),
        np.clip((centres[:, 0] * SUPERSAMPLE).astype(int), 0, cols - 1),
    ]
    signed = np.where(sample, -distance, distance)
    values = np.clip(np.round(255 - 255 * (signed / RADIUS + CUTOFF)), 0, 255).astype(np.uint8)
    return (
        _uint(1, code)
        + _bytes(2, values.tobytes())
        + _uint(3, width)
        + _uint(4, height)
        + _sint(5, left)
        + _sint(6, top - round(ascent))
        + _uint(7, advance)
    )


def glyph_range(font_file: Path, name: str = FONTSTACK) -> bytes:
    """The 0-255 range of `font_file` as a glyph protobuf (a `glyphs` message of one stack)."""
    font = ImageFont.truetype(str(font_file), SIZE * SUPERSAMPLE)
    ascent = font.getmetrics()[0] / SUPERSAMPLE
    glyphs = b"".join(_bytes(3, _glyph(font, ascent, code)) for code in CHARACTERS)
    return _bytes(1, _bytes(1, name.encode()) + _bytes(2, b"0-255") + glyphs)


def main(argv: list[str]) -> int:
    font_file = Path(argv[0]) if argv else FONT_FILE
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUT_DIR / "0-255.pbf"
    target.write_bytes(glyph_range(font_file))
    print(f"wrote {target} ({target.stat().st_size:,} bytes) from {font_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
