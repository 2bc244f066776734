"""Small multiples over time: one panel per area and measure, one line per published series."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.qualifier_marks import compact_empty, is_inexact
from dashboard.figures.theme import PALETTE, TEXT, base_layout

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
DASHES = ("solid", "dash", "dot", "dashdot")
PANEL_HEIGHT = 170  # plot height of one panel, in px
PANEL_GAP = 62  # room between panels for the x tick labels and the next panel's title
TOP = 40
BOTTOM = 60
HIGHLIGHT_FILL = "#ffd166"
LEGEND_ROW = 19
LEGEND_WRAP = 40
GRID = {"gridcolor": "#e5e5e5", "linecolor": "#6c757d", "automargin": True}


def series_styles(keys: Sequence[str]) -> dict[str, dict[str, str]]:
    """A colour, marker and dash per series key, stable for a given list of keys.

    Seven colours alone cannot tell twenty releases apart, so every block of seven series
    takes the next marker shape and dash: no two series share colour and shape.
    """
    styles = {}
    for index, key in enumerate(keys):
        block = index // len(PALETTE)
        styles[key] = {
            "color": PALETTE[index % len(PALETTE)],
            "symbol": SYMBOLS[block % len(SYMBOLS)],
            "dash": DASHES[block % len(DASHES)],
        }
    return styles


def build_trend_panels(
    frame: pd.DataFrame,
    *,
    panel_column: str = "panel",
    series_column: str = "series_key",
    series_name_column: str = "series_name",
    x_column: str = "x",
    value_column: str = "value",
    qualifier_column: str = "qualifier",
    hover_column: str = "hover_text",
    axis_titles: Mapping[str, str] | None = None,
    highlight: tuple[pd.Timestamp, pd.Timestamp, str] | None = None,
    empty_message: str = "No dated figures for this selection",
) -> go.Figure | dict[str, Any]:
    """Panels in the frame's order, each with its own y axis; lines never cross series.

    Points of one series in one panel are joined in time order; a series with a single point
    is a lone marker. Approximate or bounded figures get an open marker (the legend says so).
    `highlight` = (start, end, label) shades a period, e.g. the chosen financial year.
    The figure is assembled as one dict: panel domains are worked out here in pixels, so each
    panel keeps its height whatever the number of panels.
    """
    if frame.empty:
        return compact_empty(empty_message)
    panels = list(dict.fromkeys(frame[panel_column]))
    series_order = list(dict.fromkeys(frame.sort_values(x_column)[series_column]))
    styles = series_styles(series_order)
    plot_height = len(panels) * PANEL_HEIGHT + (len(panels) - 1) * PANEL_GAP
    x_range = _date_range(frame[x_column], highlight)
    traces: list[dict] = []
    layout: dict = {"annotations": [], "shapes": []}
    in_legend: set[str] = set()
    any_open = False
    by_panel = dict(tuple(frame.groupby(panel_column, sort=False)))
    for index, panel in enumerate(panels):
        axis = "" if index == 0 else str(index + 1)
        top = 1 - index * (PANEL_HEIGHT + PANEL_GAP) / plot_height
        bottom = top - PANEL_HEIGHT / plot_height
        layout[f"xaxis{axis}"] = {
            **GRID,
            "domain": [0, 1],
            "anchor": f"y{axis}",
            "type": "date",
            "range": x_range,
            **({"matches": "x"} if index else {}),
        }
        layout[f"yaxis{axis}"] = {
            **GRID,
            "domain": [max(0.0, bottom), min(1.0, top)],
            "anchor": f"x{axis}",
            "rangemode": "tozero",
            **(
                {"title": {"text": axis_titles[panel]}}
                if axis_titles and panel in axis_titles
                else {}
            ),
        }
        layout["annotations"].append(
            {
                "text": f"<b>{panel}</b>",
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": min(1.0, top),
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "font": {"size": 13, "color": TEXT},
            }
        )
        if highlight is not None:
            layout["shapes"].append(
                {
                    "type": "rect",
                    "xref": f"x{axis}",
                    "yref": f"y{axis} domain",
                    "x0": highlight[0],
                    "x1": highlight[1],
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": HIGHLIGHT_FILL,
                    "opacity": 0.4,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        part = by_panel[panel]
        for key, points in part.sort_values(x_column).groupby(series_column, sort=False):
            style = styles[key]
            open_points = [is_inexact(q) for q in points[qualifier_column]]
            any_open = any_open or any(open_points)
            breaks = _gap_before(points)
            traces.append(
                {
                    "type": "scatter",
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    "x": _broken(list(points[x_column]), breaks),
                    "y": _broken([float(v) for v in points[value_column]], breaks),
                    "mode": "lines+markers" if len(points) > 1 else "markers",
                    "name": _wrapped(str(points[series_name_column].iloc[0])),
                    "legendgroup": key,
                    "legendrank": 1000 + series_order.index(key),
                    "showlegend": key not in in_legend,
                    "line": {"color": style["color"], "dash": style["dash"], "width": 2},
                    "marker": {
                        "color": style["color"],
                        "size": 10,
                        "symbol": _broken(
                            [
                                f"{style['symbol']}-open" if o else style["symbol"]
                                for o in open_points
                            ],
                            breaks,
                            style["symbol"],
                        ),
                        "line": {"width": 2, "color": style["color"]},
                    },
                    "hovertext": _broken(list(points[hover_column]), breaks, _REPEAT),
                    "hoverinfo": "text",
                }
            )
            in_legend.add(key)
    extras = []
    if any_open:
        extras.append(("Open marker: approximate or bounded figure", "circle-open", TEXT))
    if highlight is not None:
        extras.append((f"Shaded: {highlight[2]}", "square", HIGHLIGHT_FILL))
    for name, symbol, colour in extras:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": name,
                "legendrank": 3000,
                "marker": {"symbol": symbol, "size": 12, "color": colour},
                "hoverinfo": "skip",
            }
        )
    legend_rows = sum(t["name"].count("<br>") + 1 for t in traces if t.get("showlegend", True))
    layout |= {
        "height": plot_height + TOP + BOTTOM + LEGEND_ROW * legend_rows,
        "margin": {"l": 10, "r": 20, "t": TOP, "b": BOTTOM},
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -40 / plot_height,
            "x": 0,
            "font": {"size": 12},
        },
        "hovermode": "closest",
    }
    # The house style first, then this chart's layout; built in one go because each
    # update_layout on a figure with many traces costs a full relayout in plotly.py.
    theme = base_layout()
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            layout[key] = {**theme[key[:5]], **value}
    return go.Figure({"data": traces, "layout": {**theme, **layout}})


def _gap_before(points: pd.DataFrame) -> list[bool]:
    """For each point: does a period with no figure lie between it and the point before?

    A series with a missing year (a publisher's suppressed cell, an authority with no
    headcount) is drawn as separate pieces, so that no line spans the gap.
    """
    if not {"period_start", "period_end"} <= set(points.columns):
        return [False] * len(points)
    starts = pd.to_datetime(points["period_start"])
    ends = pd.to_datetime(points["period_end"])
    gaps = [False]
    for previous_end, start in zip(ends.iloc[:-1], starts.iloc[1:], strict=True):
        gaps.append(
            bool(pd.notna(previous_end) and pd.notna(start))
            and start > previous_end + pd.Timedelta(days=1)
        )
    return gaps


_REPEAT = object()  # at a break, repeat the next point's entry (hover texts stay well formed)


def _broken(values: list, breaks: list[bool], filler: object = None) -> list:
    """`values` with a break (None, or `filler` for marker lists) before each gap."""
    out: list = []
    for value, gap in zip(values, breaks, strict=True):
        if gap:
            out.append(value if filler is _REPEAT else filler)
        out.append(value)
    return out


def _date_range(
    dates: pd.Series, highlight: tuple[pd.Timestamp, pd.Timestamp, str] | None
) -> list[str]:
    """From the earliest to the latest point (and the highlighted year), with a small margin."""
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    if highlight is not None:
        first, last = min(first, highlight[0]), max(last, highlight[1])
    pad = max((last - first) * 0.04, pd.Timedelta(days=90))
    return [str((first - pad).date()), str((last + pad).date())]


def _wrapped(name: str) -> str:
    """Legend entries on two lines when long: plotly never wraps them on a narrow screen."""
    return "<br>".join(textwrap.wrap(name, LEGEND_WRAP)) or name
