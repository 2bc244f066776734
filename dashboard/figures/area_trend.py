"""One official measure over time: one area against its national figure, or every area as
small multiples with shared axes. Lines are labelled where they end, not in a legend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.end_labels import (
    Frame,
    LabelRequest,
    fixed_box,
    marks_of,
    place_end_labels,
    vertical_line,
)
from dashboard.figures.qualifier_marks import compact_empty
from dashboard.figures.theme import MUTED, PALETTE, TEXT, base_layout

AREA_COLOUR = PALETTE[0]
NATIONAL_COLOUR = "#6c757d"  # grey with 4.7:1 on white: context, drawn under the area
REPORTED_COLOUR = PALETTE[1]
START_COLOUR = "#495057"
GRID = {"gridcolor": "#e5e5e5", "linecolor": "#6c757d", "showline": True, "zeroline": False}
ONE_PANEL_HEIGHT = 420
ROW_HEIGHT = 150  # plot height of one row of small multiples, in px
# Room for the next row's area name: x tick labels are drawn once, under each column.
ROW_GAP = 32
COLUMNS = 4
COLUMN_GAP = 0.06  # share of the width between two columns
HIGHLIGHT_FILL = "#ffd166"
Axes = tuple[str, str]  # a panel's (x axis, y axis) ids, e.g. ("x2", "y3")


@dataclass(frozen=True)
class _Series:
    """One frame's points as plain lists in time order (stable for ties).

    Why lists: a small-multiples chart filtered, sorted and shifted a DataFrame per panel and
    per trace, which was most of its first answer; the frame is read into lists once and
    split by panel in one pass.
    """

    x: list
    value: list[float]
    start: list
    end: list
    main: list[bool]
    hover: list[str]

    def __len__(self) -> int:
        return len(self.x)

    def where(self, keep: Sequence[bool]) -> _Series:
        """The points for which `keep` is true, in the same order."""
        return _Series(
            *([v for v, k in zip(column, keep, strict=True) if k] for column in self._columns())
        )

    def _columns(self) -> tuple[list, ...]:
        return self.x, self.value, self.start, self.end, self.main, self.hover

    @property
    def mains(self) -> _Series:
        return self.where(self.main)

    @property
    def others(self) -> _Series:
        return self.where([not m for m in self.main])


def _time_order(frame: pd.DataFrame) -> list[int]:
    """Row positions in time order, ties kept in frame order (as a stable sort_values("x"),
    without sorting every column of the frame)."""
    return np.argsort(frame["x"].to_numpy(), kind="stable").tolist()


def _times(column: pd.Series) -> list:
    """A column of times as Python datetimes (a missing one as NaT): making a pandas time per
    point was a sixth of a small-multiples chart's answer, ten times what these cost. They
    compare, add and print as pandas times do, and their ISO text is the same."""
    values = column.to_numpy()
    if values.dtype.kind != "M":
        return column.tolist()
    return [pd.NaT if v is None else v for v in values.astype("datetime64[us]").astype(object)]


def _series(frame: pd.DataFrame, order: list[int] | None = None) -> _Series:
    if frame.empty:
        return _Series([], [], [], [], [], [])
    order = _time_order(frame) if order is None else order
    columns = (
        _times(frame["x"]),
        frame["value"].astype(float).tolist(),
        _times(frame["period_start"]),
        _times(frame["period_end"]),
        frame["is_main"].astype(bool).tolist(),
        frame["hover_text"].tolist(),
    )
    return _Series(*([column[i] for i in order] for column in columns))


def _by_panel(frame: pd.DataFrame) -> dict[str, _Series]:
    """`_series` of each panel's rows, split in one pass (time order kept within each)."""
    if frame.empty:
        return {}
    order = _time_order(frame)
    whole = _series(frame, order)
    names = frame["panel"].tolist()
    rows: dict[str, list[int]] = {}
    for index, at in enumerate(order):
        rows.setdefault(names[at], []).append(index)
    columns = whole._columns()
    return {
        panel: _Series(*([column[i] for i in picked] for column in columns))
        for panel, picked in rows.items()
    }


def _line_pieces(points: _Series) -> tuple[list, list, list]:
    """x, y and hover lists with a break (None) wherever a period with no figure lies between
    two points, so that no line spans a gap."""
    xs: list = []
    ys: list = []
    hovers: list = []
    day = pd.Timedelta(days=1)
    previous_end = None
    for x, y, hover, start, end in zip(
        points.x, points.value, points.hover, points.start, points.end, strict=True
    ):
        if previous_end is not None and start > previous_end + day:
            xs.append(None)
            ys.append(None)
            hovers.append("")
        xs.append(x)
        ys.append(y)
        hovers.append(hover)
        previous_end = end
    return xs, ys, hovers


def _traces_for(
    part: _Series, colour: str, axis: Axes, *, width: float, name: str, dots: bool = True
) -> list[dict]:
    """The area's main release as a line, and every other release's figures as open dots in
    one marker-only trace (markers are never joined, so releases stay apart; one trace keeps
    the page light). `dots=False` leaves the other releases out (context lines in small
    multiples; they are in the table)."""
    traces = []
    main = part.mains
    if len(main):
        xs, ys, hovers = _line_pieces(main)
        traces.append(
            {
                "type": "scatter",
                "xaxis": axis[0],
                "yaxis": axis[1],
                "x": xs,
                "y": ys,
                "mode": "lines+markers" if dots else "lines",
                "name": name,
                "showlegend": False,
                "line": {"color": colour, "width": width},
                "marker": {"color": colour, "size": 6},
                "hovertext": hovers,
                "hoverinfo": "text",
                "connectgaps": False,
            }
        )
    others = part.others if dots else None
    if others is not None and len(others):
        traces.append(
            {
                "type": "scatter",
                "xaxis": axis[0],
                "yaxis": axis[1],
                "x": others.x,
                "y": others.value,
                "mode": "markers",
                "name": f"{name}, other editions",
                "showlegend": False,
                "marker": {
                    "color": "white",
                    "size": 8,
                    "symbol": "circle",
                    "line": {"color": colour, "width": 2},
                },
                "hovertext": others.hover,
                "hoverinfo": "text",
            }
        )
    return traces


def _context_line(part: _Series, axis: Axes) -> list[dict]:
    """The national main series as one grey path drawn behind a small multiple's area line.

    The same line repeats in every panel; as a shape it is one SVG path, where a trace is
    seven elements and a hover layer per panel. Gaps stay gaps (the path lifts the pen), and
    the national figures are in the chart's table and, for one area, in its hover.
    """
    main = part.mains
    if not len(main):
        return []
    xs, ys, _ = _line_pieces(main)
    path, pen_down = [], False
    for x, y in zip(xs, ys, strict=True):
        if x is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{pd.Timestamp(x):%Y-%m-%d},{y!r}")
        pen_down = True
    return [
        {
            "type": "path",
            "path": " ".join(path),
            "xref": axis[0],
            "yref": axis[1],
            "line": {"color": NATIONAL_COLOUR, "width": 1.5},
            "layer": "below",
        }
    ]


def _reported_traces(part: _Series, axis: Axes, colour: str = REPORTED_COLOUR) -> list[dict]:
    if not len(part):
        return []
    return [
        {
            "type": "scatter",
            "xaxis": axis[0],
            "yaxis": axis[1],
            "x": part.x,
            "y": part.value,
            "mode": "markers",
            "name": "Reported in the news",
            "showlegend": False,
            "marker": {
                "color": "white",
                "size": 9,
                "symbol": "diamond",
                "line": {"color": colour, "width": 2},
            },
            "hovertext": part.hover,
            "hoverinfo": "text",
        }
    ]


def _last_value(part: _Series) -> float | None:
    """The value at the end of a series' main line (of its points if it has no line)."""
    main = part.mains
    if not len(main):
        main = part
    return main.value[-1] if len(main) else None


def _end_request(part: _Series, text: str, colour: str, above: bool) -> LabelRequest | None:
    """A direct label for the last mark of a series (its line's end, or a later edition's dot
    when one comes after it): the label must clear that mark too."""
    if not len(part):
        return None
    # The latest point; at the same time, the main line's end rather than an edition's dot.
    last = max(range(len(part)), key=lambda i: (part.x[i], part.main[i], i))
    radius = 3.0 if part.main[last] else 5.0  # _traces_for: line markers 6 px, dots 8 + 2 px
    return LabelRequest(text, colour, part.x[last], part.value[last], radius, above)


def _panel_top(*parts: _Series) -> float:
    """The top of a panel on its own scale: the highest figure drawn in it, with room."""
    values = [max(p.value) for p in parts if len(p)]
    return 1.08 * max(values or [1.0])


def _start_marks(start: pd.Timestamp | None, axis: Axes, label: bool) -> tuple[list, list]:
    if start is None:
        return [], []
    shape = {
        "type": "line",
        "xref": axis[0],
        "yref": f"{axis[1]} domain",
        "x0": start,
        "x1": start,
        "y0": 0,
        "y1": 1,
        "line": {"color": START_COLOUR, "width": 1.5, "dash": "dash"},
        "layer": "below",
    }
    note = {
        "text": "Unit starts",
        "x": start,
        "xref": axis[0],
        "y": 1,
        "yref": f"{axis[1]} domain",
        "xanchor": "right",
        "yanchor": "top",
        "xshift": -3,
        "showarrow": False,
        "font": {"size": 12, "color": MUTED},
    }
    return [shape], [note] if label else []


def _shade(highlight: tuple[pd.Timestamp, pd.Timestamp, str], axis: Axes) -> dict:
    """The chosen financial year as a pale band behind the lines."""
    return {
        "type": "rect",
        "xref": axis[0],
        "yref": f"{axis[1]} domain",
        "x0": highlight[0],
        "x1": highlight[1],
        "y0": 0,
        "y1": 1,
        "fillcolor": HIGHLIGHT_FILL,
        "opacity": 0.4,
        "line": {"width": 0},
        "layer": "below",
    }


def _shade_label(highlight: tuple[pd.Timestamp, pd.Timestamp, str], axis: Axes) -> dict:
    return {
        "text": f"Shaded: {highlight[2]}",
        "x": highlight[1],
        "xref": axis[0],
        "y": 0,
        "yref": f"{axis[1]} domain",
        "xanchor": "left",
        "yanchor": "bottom",
        "xshift": 3,
        "showarrow": False,
        "font": {"size": 12, "color": MUTED},
    }


def _axis_id(letter: str, number: int) -> str:
    """'x' for the first axis, then 'x2', 'x3'... (plotly's names)."""
    return letter if number == 0 else f"{letter}{number + 1}"


@dataclass(frozen=True)
class _Grid:
    """Where each panel sits and which axes it uses.

    One area (or one area beside the national count) has axes of its own. Small multiples
    share one x axis per column and one y axis per row, with tick labels drawn once under each
    column and once left of each row: plotly makes a clip path for every pair of x and y axes,
    so twenty panels with axes of their own put 440 clip paths and 440 boxes in the page, and
    twenty sets of tick labels that say the same thing. `own_scale` names a panel on a scale
    of its own (the national count beside areas' counts), which gets its own y axis.
    """

    names: Sequence[str]
    columns: int
    height: int
    single: bool
    own_scale: str | None

    @property
    def rows(self) -> int:
        return -(-len(self.names) // self.columns)

    @property
    def width(self) -> float:
        return (1 - COLUMN_GAP * (self.columns - 1)) / self.columns

    def left(self, index: int) -> float:
        return (index % self.columns) * (self.width + COLUMN_GAP)

    def top(self, index: int) -> float:
        if self.single:
            return 1.0
        return 1 - (index // self.columns) * (ROW_HEIGHT + ROW_GAP) / self.height

    def bottom(self, index: int) -> float:
        return 0.0 if self.single else max(0.0, self.top(index) - ROW_HEIGHT / self.height)

    def refs(self, index: int) -> Axes:
        if self.single:
            return _axis_id("x", index), _axis_id("y", index)
        row, column = divmod(index, self.columns)
        if self.names[index] == self.own_scale:
            row = self.rows  # the one y axis beyond the rows' shared ones
        return _axis_id("x", column), _axis_id("y", row)

    def axes(self, x_range: list, y_top: float, y_title: str) -> dict:
        """The layout's axes: each panel's own, or one per column and one per row."""
        layout: dict = {}
        x_axis = {**GRID, "type": "date", "range": x_range, "nticks": 4 if self.single else 3}
        if not self.single:
            # Small multiples keep the horizontal gridlines only (ONS's advice for line
            # charts); the dashed start line and the column's date ticks place a year.
            x_axis["showgrid"] = False
        y_axis = {**GRID, "rangemode": "tozero"}
        for index, name in enumerate(self.names):
            x_id, y_id = self.refs(index)
            x_key, y_key = f"xaxis{x_id[1:]}", f"yaxis{y_id[1:]}"
            own_scale = self.single or name == self.own_scale
            # The lowest panel of a column carries the column's tick labels.
            layout[x_key] = {
                **x_axis,
                "domain": [self.left(index), self.left(index) + self.width],
                "anchor": y_id,
                **({"matches": "x"} if x_id != "x" else {}),
            }
            if y_key in layout and not own_scale:
                continue
            # Shared y axes get one range worked out here (plotly's autorange of twenty matched
            # axes came out empty); a panel on its own scale keeps autorange.
            layout[y_key] = {
                **y_axis,
                "domain": [self.bottom(index), min(1.0, self.top(index))],
                "anchor": x_id if own_scale else "x",
                **({"title": {"text": y_title}} if self.single and index == 0 else {}),
                **({} if own_scale else {"range": [0, y_top], "autorange": False}),
            }
        return layout


def build_area_trend(
    areas: pd.DataFrame,
    national: pd.DataFrame,
    reported: pd.DataFrame,
    *,
    panels: Sequence[str],
    national_name: str,
    starts: Mapping[str, pd.Timestamp | None],
    y_title: str,
    national_in_panels: bool = True,
    empty_panels: Mapping[str, str] | None = None,
    empty_message: str = "No official figures for this selection",
    highlight: tuple[pd.Timestamp, pd.Timestamp, str] | None = None,
) -> go.Figure | dict[str, Any]:
    """Each panel (an area name from `areas["panel"]`) shows the area in blue, its national
    figure in grey (when `national_in_panels`; else the national figure is a panel of its own,
    as counts of an area and of the country share no scale) and news-reported figures as open
    diamonds. Every frame needs panel, x, value, period_start, period_end, series_key,
    is_main and hover_text. One panel is drawn large with labels at the lines' ends; several are
    small multiples, four to a row, sharing both axes. `empty_panels` names panels with no
    figure and the reason, written inside the panel.
    """
    empty_panels = dict(empty_panels or {})
    if areas.empty and national.empty and not empty_panels:
        return compact_empty(empty_message)
    names = list(panels)
    if not national_in_panels and not national.empty:
        names.append(national_name)
    single = len(names) == 1 or (len(names) == 2 and not national_in_panels)
    columns = len(names) if single else COLUMNS
    rows = -(-len(names) // columns)
    height = ONE_PANEL_HEIGHT if single else rows * ROW_HEIGHT + (rows - 1) * ROW_GAP
    everything = pd.concat([f for f in (areas, national, reported) if not f.empty])
    first = min([everything["x"].min(), *[s for s in starts.values() if s is not None]])
    last = everything["x"].max()
    if highlight is not None:
        first, last = min(first, highlight[0]), max(last, highlight[1])
    pad = (last - first) * 0.03
    x_range = [first - pad, last + pad * (8 if single else 1)]
    in_panels = [areas, reported[reported["panel"] != national_name]]
    if national_in_panels:
        in_panels.append(national)
    y_top = 1.08 * max([float(f["value"].max()) for f in in_panels if not f.empty] or [1.0])
    by_panel = _by_panel(areas)
    reported_by_panel = _by_panel(reported)
    nothing = _series(areas.iloc[:0])
    national_points = _series(national)
    # The higher of the two lines' ends gets its label above, the lower one below.
    ends = [_last_value(_series(areas)), _last_value(national_points)]
    national_above = None not in ends and ends[1] >= ends[0]
    national_traces = _traces_for(
        national_points, NATIONAL_COLOUR, ("x", "y"), width=1.5, name=national_name, dots=single
    )
    grid = _Grid(names, columns, height, single, national_name if not national_in_panels else None)
    traces: list[dict] = []
    annotations: list[dict] = []
    shapes: list[dict] = []
    layout = grid.axes(x_range, y_top, y_title)
    context: list[dict] | None = None
    for index, name in enumerate(names):
        x_id, y_id = grid.refs(index)
        axis = (x_id, y_id)
        top, left = grid.top(index), grid.left(index)
        if not single or not national_in_panels:
            annotations.append(
                {
                    "text": f"<b>{name}</b>",
                    "x": left,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": min(1.0, top),
                    "yref": "paper",
                    "yanchor": "bottom",
                    "yshift": 2,
                    "showarrow": False,
                    "font": {"size": 13, "color": TEXT},
                }
            )
        if name in empty_panels:
            annotations.append(
                {
                    "text": empty_panels[name],
                    "x": 0.5,
                    "y": 0.5,
                    "xref": f"{x_id} domain",
                    "yref": f"{y_id} domain",
                    "showarrow": False,
                    "font": {"size": 12, "color": MUTED},
                }
            )
        is_national_panel = name == national_name and not national_in_panels
        if is_national_panel:
            traces += _traces_for(
                national_points, NATIONAL_COLOUR, axis, width=2, name=national_name
            )
            traces += _reported_traces(reported_by_panel.get(name, nothing), axis)
            continue
        mine = by_panel.get(name, nothing)
        requests: list[LabelRequest | None] = []
        panel_frames = [mine, reported_by_panel.get(name, nothing)]
        if national_in_panels and not national.empty:
            if single:
                traces += [{**t, "xaxis": x_id, "yaxis": y_id} for t in national_traces]
            else:
                if context is None:
                    # The same national path in every panel: worked out once, for the first.
                    context = _context_line(national_points, ("x", "y"))
                shapes += [{**shape, "xref": axis[0], "yref": axis[1]} for shape in context]
            if single:
                theirs = reported_by_panel.get(national_name, nothing)
                traces += _reported_traces(theirs, axis, NATIONAL_COLOUR)
                requests.append(
                    _end_request(national_points, national_name, NATIONAL_COLOUR, national_above)
                )
                panel_frames += [national_points, theirs]
        # Small multiples draw each area's main series as a bare line (twenty panels of dots
        # were most of the page's elements); one area gets every edition's dots.
        traces += _traces_for(mine, AREA_COLOUR, axis, width=2.5, name=name, dots=single)
        if single:
            traces += _reported_traces(reported_by_panel.get(name, nothing), axis)
            requests.append(_end_request(mine, name, AREA_COLOUR, not national_above))
        fixed: list[tuple] = []
        if highlight is not None:
            shapes.append(_shade(highlight, axis))
            if single or index == 0:
                annotations.append(_shade_label(highlight, axis))
                fixed.append(
                    (highlight[1], 0.0, _shade_label(highlight, axis)["text"], "left", "bottom")
                )
        marks, notes = _start_marks(starts.get(name), axis, label=single or index == 0)
        shapes += marks
        annotations += notes
        fixed += [(n["x"], 1.0, n["text"], "right", "top") for n in notes]
        if single:
            top = _panel_top(*panel_frames)
            layout[f"yaxis{y_id[1:]}"] |= {"range": [0, top], "autorange": False}
            frame = Frame((x_range[0], x_range[1]), (0.0, top), axis)
            annotations += place_end_labels(
                [r for r in requests if r is not None],
                marks_of(traces, frame),
                [
                    *(fixed_box(frame, *f) for f in fixed),
                    *(vertical_line(frame, m["x0"]) for m in marks),
                ],
                frame,
            )
    theme = base_layout()
    for key, value in layout.items():
        layout[key] = {**theme[key[:5]], **value}
    layout |= {
        "height": height + 40 + 50,
        "margin": {"l": 10, "r": 30 if not single else 10, "t": 40, "b": 50},
        "showlegend": False,
        "hovermode": "closest",
        "annotations": annotations,
        "shapes": shapes,
    }
    if not single:
        # What a narrow screen needs to lay the same panels out in fewer columns
        # (vru.narrowPanels in dashboard/assets/clientside.js); exports ignore it.
        layout["meta"] = {
            "smallMultiples": {
                "columns": columns,
                "rowHeight": ROW_HEIGHT,
                "rowGap": ROW_GAP,
                "extra": 40 + 50,
                "panels": names,
                "ownScale": names.index(grid.own_scale) if grid.own_scale in names else None,
            }
        }
    _times_as_text(traces, layout)
    # Plain dicts whose keys tests/unit/test_figure_dicts.py validates: a page sends this dict
    # as it is, and only exports and tests wrap it in a go.Figure (ChartResult.figure).
    return {"data": traces, "layout": {**theme, **layout}}


def _time_text(value: object) -> object:
    """A time as plotly writes it in JSON (ISO 8601 to the microsecond); anything else as is."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime(warn=False).isoformat()
    if isinstance(value, dt.datetime) and value is not pd.NaT:
        return value.isoformat()
    return value


def _times_as_text(traces: list[dict], layout: dict) -> None:
    """Write the figure's times as text, in place, once it is laid out (the label placement
    reads them as times). Why: a pandas time is not something the JSON encoder knows, so one
    in a figure sent the whole answer through plotly's slow cleaning pass (6 ms of the twenty
    panels' answer); as text the figure's JSON is the same."""
    for trace in traces:
        trace["x"] = [_time_text(x) for x in trace["x"]]
    for item in (*layout["shapes"], *layout["annotations"]):
        for key in ("x", "x0", "x1"):
            if key in item:
                item[key] = _time_text(item[key])
    for key, axis in layout.items():
        if key.startswith("xaxis") and "range" in axis:
            axis["range"] = [_time_text(x) for x in axis["range"]]
