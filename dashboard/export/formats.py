"""What a download is: formats and sizes of the menu, the filters in words, file names."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from dashboard.datastore import DataStore
from dashboard.measures import MEASURES
from dashboard.selection import Selection

log = logging.getLogger(__name__)

APP_NAME = "Violence Reduction Units dashboard"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Columns of a chart table that only carry markup for the hover box (the same facts as others).
MARKUP_COLUMNS = ("hover_text",)


CORE_PROPERTY_LIMIT = 255


class ExportError(RuntimeError):
    """A file could not be made (e.g. no Chromium for images); the message says what to do."""


# ---------------------------------------------------------------------------------------------
# Formats and sizes


@dataclass(frozen=True)
class ImageSize:
    """A raster size as the menu states it: the file's pixels, drawn at `scale` from a layout
    `scale` times smaller."""

    width: int
    height: int
    scale: int = 2

    @property
    def key(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def layout(self) -> tuple[int, int]:
        return self.width // self.scale, self.height // self.scale

    @property
    def label(self) -> str:
        return f"{self.width} × {self.height} px"


PNG_SIZES: tuple[ImageSize, ...] = (ImageSize(1920, 1080), ImageSize(1280, 720))
# Tall charts: layouts this many times the frame, chosen so that size and scale stay exact.
STRETCH_STEPS: tuple[float, ...] = (1.0, 1.25, 1.6, 2.0, 2.5)
NATURAL_MARGINS = 110  # px of a screen figure's height that are margins, not rows
ALLOWED_SQUEEZE = 0.8  # a presentation may give the rows this share of their screen height
IMAGE_PLOT_HEIGHT = 340  # px of the 960 x 540 frame left for the plot by title, source, axis
PNG_SIZE_KEYS: tuple[str, ...] = tuple(size.key for size in PNG_SIZES)


@dataclass(frozen=True)
class ExportFormat:
    """One entry of a chart's download menu (and of `export-chart --format`)."""

    key: str
    label: str
    extension: str
    media_type: str
    size: ImageSize | None = None

    @property
    def is_image(self) -> bool:
        return self.extension in {"png", "svg", "pdf"}


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    *(
        ExportFormat(f"png-{size.key}", f"PNG image, {size.label}", "png", "image/png", size)
        for size in PNG_SIZES
    ),
    ExportFormat("svg", "SVG image (scalable)", "svg", "image/svg+xml"),
    ExportFormat("pdf", "PDF image (scalable)", "pdf", "application/pdf"),
    # A zip: the table as CSV with its header in row 1, and its title, sources, filters and
    # notes in a second CSV beside it (the same two files for every chart).
    ExportFormat("csv", "Data as CSV (zip: table and notes)", "zip", "application/zip"),
    ExportFormat("xlsx", "Data as Excel (XLSX)", "xlsx", XLSX_MEDIA_TYPE),
)
FORMATS: dict[str, ExportFormat] = {fmt.key: fmt for fmt in EXPORT_FORMATS}


def format_key(fmt: str, size: str | None = None) -> str:
    """'png' + '1280x720' -> 'png-1280x720'; PNG without a size is the 1920 x 1080 one."""
    if fmt == "png":
        return f"png-{size or PNG_SIZES[0].key}"
    return fmt


# ---------------------------------------------------------------------------------------------
# What the user chose, in words, and the names of the files


@dataclass(frozen=True)
class ExportContext:
    """What every file states about itself: the filters, the day it was made, the app."""

    filters: str
    generated: dt.date
    app_name: str = APP_NAME
    # Where readers send questions (the VRU_CONTACT setting); empty when none is set.
    contact: str = ""

    @property
    def generated_text(self) -> str:
        return f"{self.generated.day} {self.generated:%B %Y}"


def filters_description(store: DataStore, selection: Selection) -> str:
    """'Units: Kent; Essex · Financial year: 2019/20 · Measure: Home Office VRU funding'."""
    names = store.units.set_index("unit_id")["area_name"]
    # Only units that exist: a filters line must never repeat what a request made up.
    known = [str(names[unit]) for unit in selection.units if unit in names.index]
    units = "; ".join(known) if known else f"all {len(store.units)} VRU areas"
    year = selection.year.replace("-", "/") if selection.year else "all years"
    labels = {m.measure_id: m.label for m in MEASURES}
    parts = [f"Units: {units}", f"Financial year: {year}"]
    if selection.measure:
        parts.append(f"Measure: {labels.get(selection.measure, selection.measure)}")
    return " · ".join(parts)


def export_context(
    store: DataStore, selection: Selection, today: dt.date | None = None, contact: str = ""
) -> ExportContext:
    return ExportContext(
        filters_description(store, selection), today or dt.date.today(), contact=contact
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_filename(name: str, selection: Selection, extension: str, suffix: str = "") -> str:
    """'vru-funding-per-person-2019-20-kent.png': what, when and where, safe in any folder."""
    parts = ["vru", name]
    if selection.year:
        parts.append(selection.year)
    if 0 < len(selection.units) <= 2:
        parts.extend(selection.units)
    elif selection.units:
        parts.append(f"{len(selection.units)}-units")
    if suffix:
        parts.append(suffix)
    return _slug("-".join(parts)) + "." + extension
