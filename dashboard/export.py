"""Charts to files: presentation images (PNG, SVG, PDF), the data behind them (CSV, XLSX), decks.

Everything here is a function of a built ChartResult (plus, for images, a headless browser), so
the app, the command line and the tests make exactly the same files.

Sizes: a PNG labelled "1920 × 1080 px" is a 1920 x 1080 pixel file, drawn from a 960 x 540
layout at scale 2 (and "1280 × 720 px" from 640 x 360 at scale 2), so type and lines are as
sharp as on a high-density screen. SVG and PDF are drawn from the 960 x 540 layout.

Spreadsheet safety: every TEXT cell that starts with =, +, -, @, a tab or a carriage return gets
a leading apostrophe, so no spreadsheet reads it as a formula. Numbers are never turned into
text: numeric cells stay numbers in XLSX and are written plainly in CSV (-13.5), which no
spreadsheet evaluates as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import tempfile
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import kaleido
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.charts import CHARTS, UnknownChartError, build_chart
from dashboard.charts.base import ChartResult
from dashboard.datastore import DataStore
from dashboard.figures.theme import (
    MUTED,
    PALETTE,
    PRESENTATION_FONT_SIZE,
    PRESENTATION_SIZE,
    TEXT,
    presentation_figure,
)
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
    ExportFormat("csv", "Data as CSV", "csv", "text/csv"),
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
    store: DataStore, selection: Selection, today: dt.date | None = None
) -> ExportContext:
    return ExportContext(filters_description(store, selection), today or dt.date.today())


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


# ---------------------------------------------------------------------------------------------
# Images: one headless Chromium for many figures

# kaleido's sync server is one per process and answers one caller at a time: this lock keeps
# two requests (threads) from reading each other's image.
_KALEIDO_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderJob:
    """One figure to draw: format, layout size in px, and the scale that gives the pixels."""

    figure: go.Figure
    fmt: str
    width: int
    height: int
    scale: float = 1

    def spec(self, path: Path) -> dict[str, Any]:
        opts = {"format": self.fmt, "width": self.width, "height": self.height}
        return {"fig": self.figure.to_dict(), "path": path, "opts": {**opts, "scale": self.scale}}


class ImageRenderer:
    """One headless Chromium (kaleido's sync server, two tabs) that renders many figures.

    Starting Chromium costs about 3 s and each image after that a fraction of a second (maps
    take longer), so a batch (a deck, the command line) uses one renderer as a context manager:
    the browser stops at the end. The web app keeps one open for the life of the process
    (`keep_open=True`). A batch is drawn in two tabs at once, one per core of a small server.
    """

    def __init__(self, *, keep_open: bool = False, tabs: int = 2, timeout: float = 90) -> None:
        self.keep_open = keep_open
        self.tabs = tabs
        self.timeout = timeout

    def __enter__(self) -> ImageRenderer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        with _KALEIDO_LOCK:
            self._start_locked()

    def _start_locked(self) -> None:
        # kaleido and choreographer narrate every step at INFO, even from their exit handler
        # after the app's log streams have closed; their warnings and errors still show.
        for name in ("kaleido", "choreographer"):
            logging.getLogger(name).setLevel(logging.WARNING)
        _check_browser()
        kaleido.start_sync_server(
            n=self.tabs, mathjax=False, timeout=self.timeout, silence_warnings=True
        )

    def close(self) -> None:
        if not self.keep_open:
            with _KALEIDO_LOCK:
                kaleido.stop_sync_server(silence_warnings=True)

    def render(
        self, figure: go.Figure, fmt: str, *, width: int, height: int, scale: float = 1
    ) -> bytes:
        """The figure as PNG, SVG or PDF bytes, `width` x `height` layout px times `scale`."""
        return self.render_many([RenderJob(figure, fmt, width, height, scale)])[0]

    def render_many(self, jobs: Sequence[RenderJob]) -> list[bytes]:
        """Every job's bytes, in order, drawn concurrently in the browser's tabs."""
        if not jobs:
            return []
        with tempfile.TemporaryDirectory(prefix="vru-images-") as folder:
            paths = [Path(folder) / f"{index}.{job.fmt}" for index, job in enumerate(jobs)]
            specs = [job.spec(path) for job, path in zip(jobs, paths, strict=True)]
            with _KALEIDO_LOCK:
                self._start_locked()
                try:
                    kaleido.write_fig_from_object_sync(specs, cancel_on_error=True)
                except Exception as error:  # kaleido raises its own and asyncio errors alike
                    raise ExportError(f"An image could not be drawn: {error}") from None
            return [path.read_bytes() for path in paths]


@cache
def _check_browser() -> None:
    """Fail with a clear message when no Chromium is found (kaleido's server would hang)."""
    try:
        kaleido.Kaleido(mathjax=False)
    except Exception as error:
        raise ExportError(
            "Images need Chromium or Chrome: install it (Debian: apt-get install chromium) "
            f"or set BROWSER_PATH to its executable. ({error})"
        ) from None


def stretch_for(figure: go.Figure, plot_height: float) -> float:
    """How much larger than the frame a chart must be laid out so its rows do not overlap.

    A tall chart (small multiples, a long ranking) squeezed into a 16:9 frame would overlap
    its own labels; it is laid out on a larger canvas and rendered at a smaller scale instead,
    so the file keeps its stated size and the chart's type gets relatively smaller. The steps
    keep every layout size and scale exact (960 x 1.6 = 1536 px at scale 1.25 = 1920 px).
    """
    natural = figure.layout.height
    if not natural:
        return 1.0
    needed = (natural - NATURAL_MARGINS) * ALLOWED_SQUEEZE
    return next((f for f in STRETCH_STEPS if plot_height * f >= needed), STRETCH_STEPS[-1])


def image_figure(result: ChartResult, size: tuple[int, int] = PRESENTATION_SIZE) -> go.Figure:
    """The chart in presentation style with its title, subtitle and source line inside.

    `size` is the layout of the frame (960 x 540 for a 1920 x 1080 file); a tall chart gets a
    larger layout (see `stretch_for`), with headings kept at the frame's proportions.
    """
    width, height = size
    design = width / PRESENTATION_SIZE[0]
    stretch = stretch_for(result.figure, IMAGE_PLOT_HEIGHT)
    return presentation_figure(
        result.figure,
        title=result.title,
        subtitle=result.subtitle,
        source_line=result.source_line,
        size=(round(width * stretch), round(height * stretch)),
        font_size=PRESENTATION_FONT_SIZE * design,
        heading_size=PRESENTATION_FONT_SIZE * design * stretch,
    )


def image_job(result: ChartResult, format_name: str) -> RenderJob:
    """What to draw for 'png-1920x1080', 'png-1280x720', 'svg' or 'pdf'.

    A PNG gets exactly the pixel size its menu entry states: the frame's layout (half the
    pixels) at scale 2, or a stretched layout at a proportionally smaller scale.
    """
    fmt = FORMATS[format_name]
    if not fmt.is_image:
        raise ValueError(f"{format_name} is not an image format")
    frame, scale = (fmt.size.layout, fmt.size.scale) if fmt.size else (PRESENTATION_SIZE, 1)
    figure = image_figure(result, frame)
    width, height = figure.layout.width, figure.layout.height
    return RenderJob(figure, fmt.extension, width, height, scale * frame[0] / width)


def chart_image(result: ChartResult, format_name: str, renderer: ImageRenderer) -> bytes:
    """One chart as a presentation image (see `image_job`)."""
    return renderer.render_many([image_job(result, format_name)])[0]


# ---------------------------------------------------------------------------------------------
# Data: CSV and XLSX of exactly what the chart shows


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is kept."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralise_cell(cell: Any) -> Any:
    """Any cell: text is neutralised as above, numbers and everything else pass unchanged."""
    return neutralise(cell) if isinstance(cell, str) else cell


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def spreadsheet_value(value: Any) -> bool | int | float | str | None:
    """A table cell as written: numbers stay numbers, text is neutralised, missing is empty."""
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    return neutralise(str(value))


def _csv_text(value: bool | int | float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def export_table(result: ChartResult) -> pd.DataFrame:
    """The chart's table as downloaded: every drawn row, with qualifier and source columns."""
    table = result.table.drop(columns=[c for c in MARKUP_COLUMNS if c in result.table.columns])
    for column in ("qualifier", "citation"):
        if column not in table.columns:
            table = table.assign(**{column: pd.NA})
    return table.reset_index(drop=True)


def sources_of(result: ChartResult) -> list[str]:
    """Short names of the sources behind the drawn rows ('APCC 2020'), else from the line."""
    table = result.table
    if "source_short" in table.columns:
        drawn = table[table["value"].notna()] if "value" in table.columns else table
        return sorted({str(s) for s in drawn["source_short"].dropna() if str(s)})
    line = result.source_line.removeprefix("Source: ").removeprefix("Sources: ")
    first = line.split(". ")[0].rstrip(".")
    return [part.strip() for part in first.split(";") if part.strip()]


def preamble(result: ChartResult, context: ExportContext) -> list[tuple[str, str]]:
    """The rows above the table: what it is, the filters, the sources, the day, the caveats."""
    rows = [
        ("Chart", result.title),
        ("Showing", result.subtitle),
        ("Filters", context.filters),
        ("Sources", result.source_line),
        ("Downloaded", f"{context.generated:%Y-%m-%d} from the {context.app_name}"),
    ]
    rows += [("Caveat", caveat) for caveat in result.caveats]
    return rows


def table_csv(result: ChartResult, context: ExportContext) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads £ correctly): preamble rows, a blank row, the table."""
    table = export_table(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, text in preamble(result, context):
        writer.writerow([neutralise(label), neutralise(text)])
    writer.writerow([])
    writer.writerow([neutralise(str(column)) for column in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([_csv_text(spreadsheet_value(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(result: ChartResult, context: ExportContext) -> bytes:
    """One sheet: the preamble with bold labels, a blank row, then the table with a frozen,
    filterable header. Text cells are stored as text (never formulas), numbers as numbers."""
    table = export_table(result)
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    bold = Font(bold=True)
    rows = preamble(result, context)
    for number, (label, text) in enumerate(rows, start=1):
        sheet.cell(number, 1, neutralise(label)).font = bold
        sheet.cell(number, 2, neutralise(text))
    sheet["B1"].font = Font(bold=True, size=14)
    header_row = len(rows) + 2  # one blank row between the preamble and the table
    fill = PatternFill("solid", fgColor="E9ECEF")
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(header_row, column, neutralise(str(name)))
        cell.font, cell.fill = bold, fill
    for offset, values in enumerate(table.itertuples(index=False), start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(header_row + offset, column, spreadsheet_value(value))
    # openpyxl would store a string starting with '=' as a formula: every string is text.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    last_column = get_column_letter(max(1, len(table.columns)))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(table)}"
    for index, column in enumerate(table.columns, start=1):
        values = [str(column), *(str(v) for v in table[column].head(200) if not _is_missing(v))]
        width = min(60, max(10, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def chart_file(
    result: ChartResult,
    format_name: str,
    context: ExportContext,
    renderer: ImageRenderer | None = None,
) -> bytes:
    """Any entry of the download menu, as bytes."""
    if format_name == "csv":
        return table_csv(result, context)
    if format_name == "xlsx":
        return table_xlsx(result, context)
    if renderer is None:
        raise ValueError("images need an ImageRenderer")
    return chart_image(result, format_name, renderer)


# ---------------------------------------------------------------------------------------------
# Words about a chart: kind, alt text, key figures, caveats

LABEL_COLUMNS = ("unit_name", "label", "metric_label", "area_name", "geography", "category")
PERIOD_COLUMNS = ("period", "period_label", "financial_year")


def has_marks(result: ChartResult) -> bool:
    """Whether the figure draws anything (an empty selection gives a figure with no traces)."""
    return len(result.figure.data) > 0


def chart_kind(figure: go.Figure) -> str:
    """'Horizontal bar chart', 'Map', 'Line chart'... for alt text."""
    types = [trace.type for trace in figure.data]
    if any(t.startswith("choropleth") or t.startswith("scattermap") for t in types):
        return "Map"
    if "bar" in types:
        bars = [trace for trace in figure.data if trace.type == "bar"]
        return "Horizontal bar chart" if bars[0].orientation == "h" else "Bar chart"
    scatters = [trace for trace in figure.data if trace.type == "scatter"]
    if scatters:
        modes = " ".join(str(trace.mode or "lines") for trace in scatters)
        return "Line chart" if "lines" in modes else "Dot chart"
    if "heatmap" in types:
        return "Heat map"
    return "Chart"


def alt_text(result: ChartResult) -> str:
    """What a screen reader says for the picture: kind, title, what it covers, the message."""
    return (
        f"{chart_kind(result.figure)}: {result.title} ({result.subtitle}). {result.summary} "
        "The figures are in the speaker notes and in the chart's data download."
    )


def key_figures(table: pd.DataFrame, limit: int = 12) -> list[str]:
    """'Kent and Medway VRU: over £1.1m (2020/21)' for each drawn row, up to `limit`."""
    if "value_text" not in table.columns:
        return []
    rows = table[table["value"].notna()] if "value" in table.columns else table
    label = next((c for c in LABEL_COLUMNS if c in rows.columns), None)
    period = next((c for c in PERIOD_COLUMNS if c in rows.columns), None)
    lines = []
    for _, row in rows.head(limit).iterrows():
        text = str(row["value_text"])
        if label and not _is_missing(row[label]):
            text = f"{row[label]}: {text}"
        if period and not _is_missing(row[period]):
            text += f" ({row[period]})"
        lines.append(text)
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more in the data download.")
    return lines


def speaker_notes(result: ChartResult) -> str:
    """The chart's plain-English summary, its key figures, its caveats and its source."""
    parts = [result.summary]
    figures = key_figures(result.table)
    if figures:
        parts.append("Key figures:\n" + "\n".join(f"• {line}" for line in figures))
    if result.caveats:
        parts.append("Caveats:\n" + "\n".join(f"• {c}" for c in result.caveats))
    parts.append(result.source_line)
    return "\n\n".join(parts)


def _listed(names: Sequence[str], limit: int = 4) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def deck_caveats(
    results: Sequence[ChartResult],
    omitted: Sequence[ChartResult] = (),
    failed: Sequence[str] = (),
) -> list[str]:
    """The closing slide: qualifiers, gaps and series breaks across the deck, charts left out.

    Each chart's own caveats are in its speaker notes; this slide is the summary a reader
    needs before quoting any figure.
    """
    items: list[str] = []
    words: set[str] = set()
    qualified = 0
    for result in results:
        table = result.table
        if "qualifier" in table.columns:
            drawn = table[table["value"].notna()] if "value" in table.columns else table
            bound = drawn["qualifier"].dropna().astype(str)
            bound = bound[~bound.isin(["", "exact"])]
            qualified += len(bound)
            words |= {w.replace("_", " ") for w in bound}
    if qualified:
        items.append(
            f"Qualifiers: {qualified} figures are given by their source as bounds or estimates "
            f"({', '.join(sorted(words))}). Each keeps its qualifier, and a figure calculated "
            "from a bound is itself a bound."
        )
    gaps = []
    for result in results:
        table = result.table
        if "value" in table.columns and len(table):
            missing = int(table["value"].isna().sum())
            if missing:
                gaps.append(f"{result.title} ({missing} of {len(table)} rows)")
    if gaps:
        items.append(
            "Gaps: some rows have no figure in " + "; ".join(gaps) + ". They are left blank "
            "with a reason (in the notes and the data downloads), never drawn as 0."
        )
    for result in results:
        if "series" in result.table.columns:
            series = sorted({str(s) for s in result.table["series"].dropna()})
            if len(series) > 1:
                items.append(
                    f"Series breaks in '{result.title}': {len(series)} series "
                    f"({_listed(series)}) are drawn separately and never joined into one line."
                )
    if omitted:
        names = [result.title for result in omitted]
        items.append(f"No figures for these filters, so no slide: {_listed(names, 8)}.")
    if failed:
        items.append(f"Could not be drawn (the error has been logged): {_listed(failed, 8)}.")
    items.append(
        "Every figure is quoted as published, with its source page or web address in the "
        "speaker notes and the data downloads. Each chart's own caveats are in its notes."
    )
    return items


# ---------------------------------------------------------------------------------------------
# Slides

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Inches(7.5)  # 13.333 x 7.5 in: 16:9
MARGIN = Inches(0.6)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = Inches(0.42)
SOURCE_BOTTOM = Inches(7.15)  # the source line ends here; the picture stops just above it
EMU_PER_PT = 12700
# Layout pixels per inch of the slide picture: 18 px type then reads as 15 pt on the slide.
SLIDE_PX_PER_INCH = 84
SLIDE_FONT_PX = 18
SLIDE_IMAGE_SCALE = 2
SLIDE_AXIS_ROOM = 60  # px of the picture taken by the axis labels and title
CAVEAT_LINES_PER_SLIDE = 16
CAVEAT_CHARS_PER_LINE = 105
SOURCES_ON_TITLE_SLIDE = 8
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _lines(text: str, size_pt: float, width_emu: int, glyph: float = 0.55) -> int:
    """Lines `text` needs at `size_pt` in a box `width_emu` wide (a generous estimate)."""
    per_line = max(10, int(width_emu / EMU_PER_PT / (size_pt * glyph)))
    return max(1, len(textwrap.wrap(text, per_line)))


@dataclass(frozen=True)
class ChartSlideLayout:
    """Where the words and the picture of a chart slide go: long titles push the picture down."""

    title_size: float
    title_height: int
    subtitle_top: int
    subtitle_height: int
    picture_top: int
    source_top: int

    @property
    def picture_height(self) -> int:
        return self.source_top - Inches(0.12) - self.picture_top


def chart_slide_layout(result: ChartResult) -> ChartSlideLayout:
    """Title at 28 pt on one line, else 24 pt on two or more; subtitle at 16 pt below it."""
    title_size = 28.0 if _lines(result.title, 28, CONTENT_WIDTH, 0.6) == 1 else 24.0
    title_lines = _lines(result.title, title_size, CONTENT_WIDTH, 0.6)
    title_height = int(title_lines * title_size * 1.2 * EMU_PER_PT)
    subtitle_top = TITLE_TOP + title_height + Inches(0.1)
    subtitle_height = int(_lines(result.subtitle, 16, CONTENT_WIDTH) * 16 * 1.25 * EMU_PER_PT)
    picture_top = subtitle_top + subtitle_height + Inches(0.2)
    source_height = int(_lines(result.source_line, 11, CONTENT_WIDTH) * 11 * 1.25 * EMU_PER_PT)
    return ChartSlideLayout(
        title_size,
        title_height,
        subtitle_top,
        subtitle_height,
        picture_top,
        SOURCE_BOTTOM - source_height,
    )


def slide_picture_size(layout: ChartSlideLayout) -> tuple[int, int]:
    """Layout size (px) of a chart picture that fills the picture box of a chart slide."""
    return (
        round(CONTENT_WIDTH / 914400 * SLIDE_PX_PER_INCH),
        round(layout.picture_height / 914400 * SLIDE_PX_PER_INCH),
    )


def slide_job(result: ChartResult) -> RenderJob:
    """The chart without its words (the slide carries title, subtitle and source as text)."""
    width, height = slide_picture_size(chart_slide_layout(result))
    stretch = stretch_for(result.figure, height - SLIDE_AXIS_ROOM)
    figure = presentation_figure(
        result.figure,
        title=result.title,
        subtitle=result.subtitle,
        source_line=result.source_line,
        size=(round(width * stretch), round(height * stretch)),
        with_text=False,
        font_size=SLIDE_FONT_PX,
    )
    layout = figure.layout
    return RenderJob(figure, "png", layout.width, layout.height, SLIDE_IMAGE_SCALE / stretch)


def slide_pictures(results: Sequence[ChartResult], renderer: ImageRenderer) -> dict[str, bytes]:
    """Chart name -> slide PNG for every chart that draws something, drawn as one batch."""
    shown = [result for result in results if has_marks(result)]
    images = renderer.render_many([slide_job(result) for result in shown])
    return {result.chart: image for result, image in zip(shown, images, strict=True)}


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = int(left), int(top), int(width), int(height)


def _write(
    frame: Any,
    paragraphs: Iterable[str],
    size: float,
    *,
    colour: str = TEXT,
    bold: bool = False,
    space_after: float = 0,
) -> None:
    """Replace a text frame's text with paragraphs in one size and colour, wrapped to the box."""
    frame.clear()
    frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        if space_after:
            paragraph.space_after = Pt(space_after)


def _text_box(slide: Any, left: int, top: int, width: int, height: int) -> Any:
    box = slide.shapes.add_textbox(int(left), int(top), int(width), int(height))
    frame = box.text_frame
    frame.margin_left = frame.margin_right = 0
    return box


def _accent(slide: Any, left: int, top: int, width: int, height: int) -> None:
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, int(left), int(top), int(width), int(height))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(PALETTE[0])
    bar.line.fill.background()
    bar.shadow.inherit = False


def _left_aligned(frame: Any) -> None:
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT


def _title_slide(deck: Any, title: str, context: ExportContext, sources: Sequence[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    _accent(slide, 0, 0, Inches(0.3), SLIDE_HEIGHT)
    left, width = Inches(1.0), SLIDE_WIDTH - Inches(2.0)
    overline = _text_box(slide, left, Inches(1.3), width, Inches(0.5))
    _write(overline.text_frame, [context.app_name.upper()], 16, colour=PALETTE[0], bold=True)
    heading, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(heading, left, Inches(1.8), width, Inches(1.9))
    heading.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _write(heading.text_frame, [title], 40, bold=True)
    _left_aligned(heading.text_frame)
    _place(subtitle, left, Inches(3.9), width, Inches(1.5))
    subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    lines = [context.filters, f"Prepared on {context.generated_text}"]
    _write(subtitle.text_frame, lines, 20, colour=MUTED, space_after=6)
    _left_aligned(subtitle.text_frame)
    named = list(sources[:SOURCES_ON_TITLE_SLIDE])
    if len(sources) > len(named):
        named.append(f"and {len(sources) - len(named)} more (all listed in the notes)")
    source_text = "Sources: " + ("; ".join(named) if named else "none for these filters") + "."
    note = _text_box(slide, left, Inches(5.8), width, Inches(1.2))
    source_lines = [source_text, "The page or web address of every figure is in the notes."]
    _write(note.text_frame, source_lines, 12, colour=MUTED, space_after=4)
    notes = [f"{title}. {context.filters}.", "Sources: " + "; ".join(sources) + "."]
    slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)


def _chart_slide(deck: Any, result: ChartResult, picture: bytes) -> None:
    layout = chart_slide_layout(result)
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _accent(slide, MARGIN, Inches(0.3), Inches(0.8), Inches(0.06))
    heading = slide.shapes.title
    _place(heading, MARGIN, TITLE_TOP, CONTENT_WIDTH, layout.title_height)
    frame = heading.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _write(frame, [result.title], layout.title_size, bold=True)
    _left_aligned(frame)
    subtitle = _text_box(slide, MARGIN, layout.subtitle_top, CONTENT_WIDTH, layout.subtitle_height)
    subtitle.text_frame.margin_top = subtitle.text_frame.margin_bottom = 0
    _write(subtitle.text_frame, [result.subtitle], 16, colour=MUTED)
    image = slide.shapes.add_picture(
        io.BytesIO(picture), MARGIN, layout.picture_top, width=CONTENT_WIDTH
    )
    if image.height > layout.picture_height:  # keep the aspect; centre a narrower picture
        image.width = int(image.width * layout.picture_height / image.height)
        image.height = layout.picture_height
        image.left = int((SLIDE_WIDTH - image.width) / 2)
    image.name = f"Chart: {result.title}"
    image._element.nvPicPr.cNvPr.set("descr", alt_text(result))
    source = _text_box(
        slide, MARGIN, layout.source_top, CONTENT_WIDTH, SOURCE_BOTTOM - layout.source_top
    )
    source.text_frame.margin_top = source.text_frame.margin_bottom = 0
    _write(source.text_frame, [result.source_line], 11, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = speaker_notes(result)


def _caveat_pages(items: Sequence[str]) -> list[list[str]]:
    """Caveats split over as many slides as they need, by an estimate of their wrapped lines."""
    pages: list[list[str]] = [[]]
    used = 0
    for item in items:
        lines = len(textwrap.wrap(item, CAVEAT_CHARS_PER_LINE)) or 1
        if pages[-1] and used + lines > CAVEAT_LINES_PER_SLIDE:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += lines + 0.4  # the space between bullets
    return pages


def _caveat_slides(deck: Any, items: Sequence[str]) -> None:
    pages = _caveat_pages(items)
    for number, page in enumerate(pages, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[CONTENT_LAYOUT])
        _accent(slide, MARGIN, Inches(0.3), Inches(0.8), Inches(0.06))
        heading, body = slide.placeholders[0], slide.placeholders[1]
        _place(heading, MARGIN, TITLE_TOP, CONTENT_WIDTH, Inches(0.6))
        frame = heading.text_frame
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        title = "Data caveats" if len(pages) == 1 else f"Data caveats ({number} of {len(pages)})"
        _write(heading.text_frame, [title], 28, bold=True)
        _left_aligned(heading.text_frame)
        _place(body, MARGIN, Inches(1.35), CONTENT_WIDTH, Inches(5.75))
        _write(body.text_frame, page, 16, space_after=8)


def property_text(text: str, limit: int = CORE_PROPERTY_LIMIT) -> str:
    """`text` cut to fit a document property, ending in an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_deck(
    results: Sequence[ChartResult],
    *,
    title: str,
    context: ExportContext,
    pictures: Mapping[str, bytes],
    failed: Sequence[str] = (),
) -> bytes:
    """A 16:9 deck: title slide, one slide per chart that draws something, then the caveats.

    `pictures` maps chart names to slide PNGs (from `slide_pictures`, perhaps through a cache).
    Charts with nothing to draw for the filters get no slide; the caveats say which were left
    out, as they do for the titles in `failed` (charts whose builder raised).
    """
    shown = [result for result in results if has_marks(result)]
    omitted = [result for result in results if not has_marks(result)]
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    # PowerPoint's document properties hold at most 255 characters (python-pptx refuses more);
    # the title slide shows the whole text.
    deck.core_properties.title = property_text(title)
    deck.core_properties.subject = property_text(context.filters)
    deck.core_properties.author = property_text(context.app_name)
    sources = sorted({source for result in shown for source in sources_of(result)})
    _title_slide(deck, title, context, sources)
    for result in shown:
        _chart_slide(deck, result, pictures[result.chart])
    _caveat_slides(deck, deck_caveats(shown, omitted, failed))
    output = io.BytesIO()
    deck.save(output)
    return output.getvalue()


def build_results(
    store: DataStore, selection: Selection, names: Iterable[str]
) -> tuple[list[ChartResult], list[str]]:
    """Each named chart built for the selection, and the titles of those whose builder failed.

    Why not raise: one broken chart should not cost the user the whole deck; the failure is
    logged (traceback at debug level) and named on the caveats slide.
    """
    results: list[ChartResult] = []
    failed: list[str] = []
    for name in names:
        try:
            results.append(build_chart(name, store, selection))
        except UnknownChartError:
            raise
        except Exception as error:
            # One line; the traceback only when debug logging is on.
            log.error("chart %s could not be built: %s", name, type(error).__name__)
            log.debug("traceback of chart %s for %s", name, selection, exc_info=error)
            failed.append(CHARTS[name].title)
    return results, failed


def make_deck(
    store: DataStore,
    selection: Selection,
    names: Iterable[str],
    renderer: ImageRenderer,
    *,
    title: str,
    today: dt.date | None = None,
) -> bytes:
    """Build the charts, draw their pictures in one batch and assemble the deck."""
    results, failed = build_results(store, selection, names)
    pictures = slide_pictures(results, renderer)
    context = export_context(store, selection, today)
    return build_deck(results, title=title, context=context, pictures=pictures, failed=failed)


def deck_slide_count(results: Sequence[ChartResult], failed: Sequence[str] = ()) -> int:
    """How many slides `build_deck` makes for these charts (title + charts + caveat pages)."""
    shown = [result for result in results if has_marks(result)]
    omitted = [result for result in results if not has_marks(result)]
    return 1 + len(shown) + len(_caveat_pages(deck_caveats(shown, omitted, failed)))
