"""Direct labels at the end of lines, placed clear of every marker and of each other.

A label beside a line's last point used to be pinned to the right of it, where the same
series' later open dots and the news diamonds also sit, so the name was printed over them. Here
each label tries a short list of places around the end of its line and takes the first whose
box covers no marker, no stretch of line, no fixed label (such as "Unit starts") and no label
already placed.

The boxes are worked out in units of the label's type size (em) on the smallest plot the chart
is drawn in: the 1280 x 720 export, whose plot is about 56 em wide and 16 em tall with markers
of about 10 px per em of type. Labels are anchored in data coordinates with no pixel shifts, so
on a larger plot (a desktop screen: about 75 x 32 em) every gap in data units only grows: a
place that is clear on the small plot stays clear on the large one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import pandas as pd

PLOT_EM = (56.0, 15.5)  # (width, height) of the 1280 x 720 export's plot, in ems of label type
MARK_PX_PER_EM = 9.9  # the label type of that export, in layout px (markers keep their px size)
CHAR_EM = 0.6  # width of an average character, generous for the sans-serif of the theme
BOX_PAD_EM = 0.4  # the annotation's padding, both sides together
BOX_HEIGHT_EM = 1.45
CLEARANCE_EM = 0.15  # white space kept between a label and anything else
GAP_EM = 0.3  # between a marker's edge and its label
NUDGE_EM = 0.6  # step of the vertical and sideways nudges
NUDGES = 7  # steps tried each way
DAY = pd.Timedelta(days=1)
DAY_NS = float(DAY.value)
HOUR_NS = 3_600_000_000_000


def _ns(x: object) -> int:
    """Nanoseconds since 1970 of a time (a pandas time without building another)."""
    return x.value if isinstance(x, pd.Timestamp) else pd.Timestamp(x).value  # type: ignore[arg-type]


def _to_the_hour(ns: int) -> int:
    """`pd.Timestamp.round("h")` on nanoseconds: to the nearest hour, a tie to the even one."""
    hours, rest = divmod(ns, HOUR_NS)
    if 2 * rest > HOUR_NS or (2 * rest == HOUR_NS and hours % 2):
        hours += 1
    return hours * HOUR_NS


@dataclass(frozen=True)
class Mark:
    """A round obstacle (a marker, or a sample of a line) in data coordinates; `radius_px`
    is half the marker's drawn size including its outline. `em` is where it sits in ems, when
    that was worked out already (a line's samples are made in ems)."""

    x: pd.Timestamp | None
    y: float
    radius_px: float
    em: tuple[float, float] | None = None


@dataclass(frozen=True)
class Box:
    """A rectangle in em coordinates of the reference plot (origin bottom left)."""

    left: float
    bottom: float
    right: float
    top: float

    def clear_of(self, other: Box, clearance: float = CLEARANCE_EM) -> bool:
        return (
            self.right + clearance <= other.left
            or other.right + clearance <= self.left
            or self.top + clearance <= other.bottom
            or other.top + clearance <= self.bottom
        )

    def clear_of_circle(self, cx: float, cy: float, radius: float) -> bool:
        nearest_x = min(max(cx, self.left), self.right)
        nearest_y = min(max(cy, self.bottom), self.top)
        reach = radius + CLEARANCE_EM
        return (cx - nearest_x) ** 2 + (cy - nearest_y) ** 2 >= reach**2


@dataclass(frozen=True)
class LabelRequest:
    """One label: its words and colour, the last mark of its series (data coordinates) with
    that mark's radius, and whether it would rather sit above its line (the higher line's)."""

    text: str
    colour: str
    x: pd.Timestamp
    y: float
    radius_px: float
    above: bool
    font_size: float = 13


@dataclass(frozen=True)
class Frame:
    """The data ranges of a panel's axes and its axis ids, to map data to ems and back."""

    x_range: tuple[pd.Timestamp, pd.Timestamp]
    y_range: tuple[float, float]
    axis: tuple[str, str]

    @cached_property
    def _start_ns(self) -> int:
        return _ns(self.x_range[0])

    def _days(self, x: pd.Timestamp) -> float:
        # As `(x - start) / DAY` in pandas (the same float), without a Timedelta per call:
        # a panel converts a few thousand points.
        return float(_ns(x) - self._start_ns) / DAY_NS

    @cached_property
    def _span(self) -> tuple[float, float]:
        return self._days(self.x_range[1]), self.y_range[1] - self.y_range[0]

    def to_em(self, x: pd.Timestamp, y: float) -> tuple[float, float]:
        days, height = self._span
        return self._days(x) / days * PLOT_EM[0], (y - self.y_range[0]) / height * PLOT_EM[1]

    def to_data(self, ex: float, ey: float) -> tuple[pd.Timestamp, float]:
        days, height = self._span
        x = self.x_range[0] + pd.Timedelta(days=ex / PLOT_EM[0] * days)
        return x.round("h"), self.y_range[0] + ey / PLOT_EM[1] * height

    def sample_em(self, ex: float, ey: float) -> tuple[float, float]:
        """`to_em(*to_data(ex, ey))` with the same floats, in integer nanoseconds: where a
        point drawn at (ex, ey) lands once its time is kept to the hour, as labels are."""
        days, height = self._span
        # pd.Timedelta(days=d) is int(((d * 24) * 3600) * 1e9) nanoseconds.
        offset = int(((ex / PLOT_EM[0] * days * 24) * 3600) * 1_000_000_000)
        x_ns = _to_the_hour(self._start_ns + offset)
        y = self.y_range[0] + ey / PLOT_EM[1] * height
        em_x = float(x_ns - self._start_ns) / DAY_NS / days * PLOT_EM[0]
        return em_x, (y - self.y_range[0]) / height * PLOT_EM[1]


def line_marks(xs: Sequence, ys: Sequence, frame: Frame, width_px: float) -> list[Mark]:
    """Samples along a drawn line (None breaks it), close enough that a label clear of every
    sample is clear of the line: a line is an obstacle as much as its markers are."""
    marks: list[Mark] = []
    for (x0, y0), (x1, y1) in pairwise(zip(xs, ys, strict=True)):
        if x0 is None or x1 is None or y0 is None or y1 is None:
            continue
        a, b = frame.to_em(x0, y0), frame.to_em(x1, y1)
        steps = max(1, int(((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 / 0.25))
        for step in range(1, steps):
            ex = a[0] + (b[0] - a[0]) * step / steps
            ey = a[1] + (b[1] - a[1]) * step / steps
            marks.append(Mark(None, float("nan"), width_px / 2, em=frame.sample_em(ex, ey)))
    return marks


def marks_of(traces: Sequence[dict], frame: Frame) -> list[Mark]:
    """The markers and line samples of the scatter traces drawn on `frame`'s axes."""
    marks: list[Mark] = []
    for trace in traces:
        if (trace.get("xaxis"), trace.get("yaxis")) != frame.axis:
            continue
        mode = trace.get("mode", "lines+markers")
        xs, ys = list(trace.get("x", [])), list(trace.get("y", []))
        if "markers" in mode:
            marker = trace.get("marker", {})
            radius = marker.get("size", 6) / 2 + marker.get("line", {}).get("width", 0) / 2
            if marker.get("symbol") == "diamond":
                radius *= 1.3  # plotly draws a diamond's points past its nominal size
            marks += [Mark(x, y, radius) for x, y in zip(xs, ys, strict=True) if x is not None]
        if "lines" in mode:
            marks += line_marks(xs, ys, frame, trace.get("line", {}).get("width", 2))
    return marks


def fixed_box(
    frame: Frame, x: pd.Timestamp, y_share: float, text: str, xanchor: str, yanchor: str
) -> Box:
    """The box of a label pinned at data x and a share of the plot's height (e.g. "Unit
    starts" at the top of its dashed line), to keep end labels off it."""
    ex = frame.to_em(x, frame.y_range[0])[0]
    return _box(ex, y_share * PLOT_EM[1], len(text) * CHAR_EM + BOX_PAD_EM, xanchor, yanchor)


def vertical_line(frame: Frame, x: pd.Timestamp) -> Box:
    """A full-height line at data x (a unit's dashed start line): words are not printed on it."""
    ex = frame.to_em(x, frame.y_range[0])[0]
    return Box(ex - 0.1, 0.0, ex + 0.1, PLOT_EM[1])


def _box(ex: float, ey: float, width: float, xanchor: str, yanchor: str) -> Box:
    left = {"left": ex, "center": ex - width / 2, "right": ex - width}[xanchor]
    bottom = {"bottom": ey, "middle": ey - BOX_HEIGHT_EM / 2, "top": ey - BOX_HEIGHT_EM}[yanchor]
    return Box(left, bottom, left + width, bottom + BOX_HEIGHT_EM)


def _candidates(
    ex: float, ey: float, reach: float, above: bool
) -> list[tuple[float, float, str, str]]:
    """Places to try, nearest first: (anchor x, anchor y, xanchor, yanchor) in ems. Right of
    the point, then above or below it (the preferred side first), then nudged further away."""
    up, down = (ey + reach, "bottom"), (ey - reach, "top")
    first, second = (up, down) if above else (down, up)
    side = ex + reach
    places = [(side, ey, "left", "middle")]
    places += [(side, ey + 0.1, "left", "bottom") if above else (side, ey - 0.1, "left", "top")]
    places += [(ex, first[0], "center", first[1]), (ex, second[0], "center", second[1])]
    sign = 1 if above else -1
    for step in range(1, NUDGES + 1):
        lift = step * NUDGE_EM
        places += [
            (side, ey + sign * lift, "left", "middle"),
            (side, ey - sign * lift, "left", "middle"),
            (ex - lift, first[0], "center", first[1]),
            (ex + lift, first[0], "center", first[1]),
            (ex - lift, second[0], "center", second[1]),
            (ex + lift, second[0], "center", second[1]),
            (ex, first[0] + sign * lift, "center", first[1]),
            (ex, second[0] - sign * lift, "center", second[1]),
        ]
    return places


def _covered(box: Box, obstacles: Sequence[tuple[float, float, float]]) -> int:
    """How many of the round obstacles the box touches. Those whose square around the circle
    misses the box are clear without the distance (most of them: a line is sampled densely)."""
    count = 0
    for cx, cy, radius in obstacles:
        reach = radius + CLEARANCE_EM
        if (
            cx + reach <= box.left
            or cx - reach >= box.right
            or cy + reach <= box.bottom
            or cy - reach >= box.top
        ):
            continue
        count += not box.clear_of_circle(cx, cy, radius)
    return count


def place_end_labels(
    requests: Sequence[LabelRequest],
    marks: Sequence[Mark],
    fixed: Sequence[Box],
    frame: Frame,
) -> list[dict]:
    """One annotation per request, in the first place clear of `marks`, of the `fixed` boxes,
    of the labels placed before it and inside the plot; where no place is clear, the one that
    covers least. Requests are placed in order, the higher line's first, and a lower line's
    label keeps below a higher line's so the names read in the order of the lines."""
    obstacles = [(*(m.em or frame.to_em(m.x, m.y)), m.radius_px / MARK_PX_PER_EM) for m in marks]
    taken: list[Box] = list(fixed)
    placed: list[Box] = []  # the labels of higher lines: this one keeps below them
    annotations = []
    for request in sorted(requests, key=lambda r: -r.y):
        ex, ey = frame.to_em(request.x, request.y)
        reach = request.radius_px / MARK_PX_PER_EM + GAP_EM
        width = len(request.text) * CHAR_EM + BOX_PAD_EM
        best, best_cost = None, None
        for px, py, xanchor, yanchor in _candidates(ex, ey, reach, request.above):
            box = _box(px, py, width, xanchor, yanchor)
            cost = _covered(box, obstacles)
            cost += 3 * sum(not box.clear_of(other) for other in taken)
            outside = (
                box.left < 0 or box.right > PLOT_EM[0] or box.bottom < 0 or box.top > PLOT_EM[1]
            )
            cost += 2 * outside
            middle = (box.bottom + box.top) / 2
            cost += 2 * sum(middle > (other.bottom + other.top) / 2 for other in placed)
            if best_cost is None or cost < best_cost:
                best, best_cost = (px, py, xanchor, yanchor, box), cost
            if cost == 0:
                break
        assert best is not None
        px, py, xanchor, yanchor, box = best
        taken.append(box)
        placed.append(box)
        x, y = frame.to_data(px, py)
        annotations.append(
            {
                "text": request.text,
                "x": x,
                "y": y,
                "xref": frame.axis[0],
                "yref": frame.axis[1],
                "xanchor": xanchor,
                "yanchor": yanchor,
                "showarrow": False,
                "font": {"size": request.font_size, "color": request.colour},
            }
        )
    return annotations
