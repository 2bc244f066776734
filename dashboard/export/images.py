"""Figures to PNG, SVG and PDF: one headless Chromium (kaleido) for many figures.

Sizes: a PNG labelled "1920 × 1080 px" is a 1920 x 1080 pixel file, drawn from a 960 x 540
layout at scale 2 (and "1280 × 720 px" from 640 x 360 at scale 2), so type and lines are as
sharp as on a high-density screen. SVG and PDF are drawn from the 960 x 540 layout.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import tempfile
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go

from dashboard.charts.base import ChartResult
from dashboard.export.formats import (
    ALLOWED_SQUEEZE,
    FORMATS,
    IMAGE_PLOT_HEIGHT,
    NATURAL_MARGINS,
    STRETCH_STEPS,
    ExportError,
)
from dashboard.figures.panels import panel_pages, panel_rows
from dashboard.figures.row_cap import category_rows, labels_on_rows, top_rows
from dashboard.figures.theme import (
    AVERAGE_GLYPH_WIDTH,
    PRESENTATION_FONT_SIZE,
    PRESENTATION_SIZE,
    presentation_figure,
)

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Images: one headless Chromium for many figures

# kaleido's sync server is one per process and answers one caller at a time: this lock keeps
# two requests (threads) from reading each other's image.
_KALEIDO_LOCK = threading.Lock()

# kaleido's stop joins the thread that runs its browser, and that thread waits for Chromium to
# exit. Once (a test run, 4 Dec 2026) a Chromium open for minutes never exited and the stop
# never returned, so a command or test hung for good. The stop is given this long; then the
# browser is killed, and if kaleido still waits it is told its server is stopped.
STOP_SECONDS = 20.0


def stop_server(seconds: float = STOP_SECONDS) -> None:
    """`kaleido.stop_sync_server`, bounded in time (call it holding `_KALEIDO_LOCK`)."""
    stopper = threading.Thread(
        target=kaleido.stop_sync_server,
        kwargs={"silence_warnings": True},
        name="kaleido-stop",
        daemon=True,
    )
    stopper.start()
    stopper.join(seconds)
    if not stopper.is_alive():
        return
    log.warning("the image browser did not stop within %.0f s: killing it", seconds)
    for group in _browser_groups():
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    stopper.join(5)
    if stopper.is_alive():
        # A private flag of kaleido's singleton: without it the next export would find the
        # server "running" and wait on a thread that no longer answers.
        kaleido._global_server._initialized = False


def _browser_groups() -> list[int]:
    """Process groups of the Chromium wrappers this process started (choreographer runs each
    in a session of its own), read from /proc; none elsewhere."""
    mine, groups = os.getpid(), []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == mine and b"chromium" in command.lower():
            group = int(stat[2])
            if group != os.getpgid(0):
                groups.append(group)
    return groups


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
                stop_server()

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


MIN_TEXT_PX = 14  # no text smaller than this in a 1280 x 720 file (and in proportion elsewhere)
MIN_TEXT_AT_WIDTH = 1280
IMAGE_PANEL_ROWS = 2  # rows of small multiples an image shows (the rest are named)
PANEL_ROW_PX = 150  # natural height of one row of panels on a page


def min_font_for(layout_width: float) -> float:
    """The smallest type (layout px) that is MIN_TEXT_PX in a file of the same design drawn
    1280 px wide: 7 px on the 640 px layout of a 1280 x 720 PNG, 10.5 px on the 960 px one."""
    return MIN_TEXT_PX * layout_width / MIN_TEXT_AT_WIDTH


def first_panels(result: ChartResult, rows: int) -> tuple[go.Figure, str]:
    """The chart's first `rows` rows of small multiples and a subtitle naming the rest.

    A stack of 20 panels squeezed into 16:9 has 50 px panels and 4 px labels; the export
    shows the first rows at a readable size instead, and says where the others are.
    """
    pages = panel_pages(result.figure, rows)
    if len(pages) == 1:
        return result.figure, result.subtitle
    first = pages[0]
    figure = go.Figure(first.figure)
    figure.update_layout(height=NATURAL_MARGINS + PANEL_ROW_PX * rows)
    total = sum(len(page.panels) for page in pages)
    note = f"first {len(first.panels)} of {total} panels (all in the data download)"
    return figure, f"{result.subtitle} · {note}"


ROW_PITCH = 1.4  # line heights per line of a row's label (plotly hides labels packed tighter)
ROW_GAP = 0.8  # line heights between two rows' labels
PANEL_ROWS_EXTRA = 3  # rows' worth of height a further panel takes: its title, ticks and gap
LEGEND_ROW_PITCH = 1.8  # line heights per row of a legend under the plot
LEGEND_SYMBOL = 4.0  # width of a legend entry's symbol and gaps, in units of the type size
NOTE_ROOM = " · 10 of 100 rows shown (all in the data download)"  # the note it will get
FRAME_FIXED_LINES = 8.0  # margins, pads, the x ticks and axis title, in lines of type


def _category_count(figure: go.Figure) -> int:
    """How many category rows all the panels of a figure have together."""
    layout = figure.layout.to_plotly_json()
    return sum(
        len(axis.get("categoryarray") or ())
        for key, axis in layout.items()
        if key.startswith("yaxis") and isinstance(axis, dict)
    )


def _text_lines(text: str, size: float) -> int:
    """Lines a heading of `size` (in units of the frame's type) takes across the frame."""
    per_line = max(
        20, int(PRESENTATION_SIZE[0] * 0.95 / (size * PRESENTATION_FONT_SIZE * AVERAGE_GLYPH_WIDTH))
    )
    return len(textwrap.wrap(text, per_line)) or 1


def _legend_lines(figure: go.Figure) -> int:
    """Rows of the horizontal legend under the plot, from the width of its entries."""
    if figure.layout.showlegend is False:
        return 0
    names = [str(t.name) for t in figure.data if t.showlegend is not False and t.name]
    if not names:
        return 0
    across = PRESENTATION_SIZE[0] * 0.95 / PRESENTATION_FONT_SIZE
    rows, used = 1, 0.0
    for name in names:
        width = len(name) * AVERAGE_GLYPH_WIDTH + LEGEND_SYMBOL
        if used and used + width > across:
            rows, used = rows + 1, 0.0
        used += width
    return rows


def rows_that_fit(figure: go.Figure, lines: int, subtitle: str = "", source: str = "") -> int:
    """How many category rows of `lines`-line labels a 16:9 frame holds at its own type size.

    Counted in lines of the frame's type, so it holds for every export size: the frame less the
    title, subtitle, source line, legend, x axis and margins, over the pitch of one row.
    """
    frame = PRESENTATION_SIZE[1] / PRESENTATION_FONT_SIZE
    headings = 1.6 * 1.25 + _text_lines(subtitle, 1.05) * 1.05 * 1.3
    footing = _text_lines(source, 0.75) * 0.75 * 1.3 + _legend_lines(figure) * LEGEND_ROW_PITCH
    plot = frame - headings - footing - FRAME_FIXED_LINES
    return max(3, int(plot // (lines * ROW_PITCH + ROW_GAP)))


def image_figure(result: ChartResult, size: tuple[int, int] = PRESENTATION_SIZE) -> go.Figure:
    """The chart in presentation style with its title, subtitle and source line inside.

    `size` is the layout of the frame (960 x 540 for a 1920 x 1080 file); a tall chart gets a
    larger layout (see `stretch_for`), with headings kept at the frame's proportions. Small
    multiples show their first rows (`first_panels`), and only the first panel when even two
    would squeeze their rows; a one-panel chart with more category rows than fit the frame at
    its own type shows its top rows (`top_rows`) and says how many it leaves out. No text is
    under `min_font_for`.
    """
    width, height = size
    design = width / PRESENTATION_SIZE[0]
    figure, subtitle = first_panels(result, IMAGE_PANEL_ROWS)
    panels = panel_rows(figure)
    needed = _category_count(figure) + PANEL_ROWS_EXTRA * (panels - 1)
    if panels > 1 and needed > rows_that_fit(figure, 1, subtitle, result.source_line):
        figure, subtitle = first_panels(result, 1)
    found = category_rows(figure)
    fit = rows_that_fit(figure, found[1], subtitle + NOTE_ROOM, result.source_line) if found else 0
    if found is not None and len(found[0]) > fit:
        figure, left_out = top_rows(figure, fit)
        figure = labels_on_rows(figure)
        total = fit + left_out
        subtitle = f"{subtitle} · {fit} of {total} rows shown (all in the data download)"
        # Laid out on the frame itself: the rows were chosen to fit it at full-size type.
        figure.update_layout(height=None)
    stretch = stretch_for(figure, IMAGE_PLOT_HEIGHT)
    return presentation_figure(
        figure,
        title=result.title,
        subtitle=subtitle,
        source_line=result.source_line,
        size=(round(width * stretch), round(height * stretch)),
        font_size=PRESENTATION_FONT_SIZE * design,
        heading_size=PRESENTATION_FONT_SIZE * design * stretch,
        min_font_size=min_font_for(width * stretch),
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
