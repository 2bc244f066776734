"""One place for the look of every chart: palette, fonts, the screen and presentation variants."""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies. Each colour below has
# at least 3:1 contrast against white (WCAG 1.4.11); the pale yellow of the full set is left out.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#8F6A00",  # dark yellow (darkened for contrast)
    "#1D9BE2",  # sky blue, darkened from #56B4E9 (2.3:1) to reach 3:1 on white
    "#000000",  # black
)
SEQUENTIAL = "Cividis"
NEUTRAL = "#d9d9d9"
NO_DATA = "#f2f2f2"
TEXT = "#212529"
# A white halo round value labels: a line or grid drawn under a label does not cut its figures.
TEXT_HALO = "0 0 2px #ffffff, 0 0 2px #ffffff, 0 0 3px #ffffff"
MUTED = "#495057"  # secondary text (subtitles, source lines): 8.6:1 on white
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

SCREEN_FONT_SIZE = 14
# The presentation design is drawn on a 960 x 540 layout and exported at scale 2 (1920 x 1080 px).
PRESENTATION_FONT_SIZE = 16
PRESENTATION_SIZE = (960, 540)
# Trace types drawn on x and y axes (a figure of none of these, e.g. a map, hides its axes).
CARTESIAN = frozenset({"bar", "scatter", "scattergl", "heatmap", "box", "histogram"})
AVERAGE_GLYPH_WIDTH = 0.58  # of the font size, for a sans-serif; used to wrap titles


def base_layout(*, presentation: bool = False) -> dict:
    """Layout settings shared by all charts; the presentation variant has bigger type."""
    size = PRESENTATION_FONT_SIZE if presentation else SCREEN_FONT_SIZE
    return {
        "font": {"family": FONT_FAMILY, "size": size, "color": TEXT},
        "colorway": list(PALETTE),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": size}},
        "xaxis": {"gridcolor": "#e5e5e5", "linecolor": "#6c757d", "automargin": True},
        "yaxis": {"gridcolor": "#e5e5e5", "linecolor": "#6c757d", "automargin": True},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    }


def apply_theme(figure: go.Figure, *, presentation: bool = False) -> go.Figure:
    """Apply the house style in place and return the figure (for chaining in builders)."""
    figure.update_layout(**base_layout(presentation=presentation))
    return figure


def empty_layout(message: str = "No data for this selection") -> dict:
    """The layout of `empty_figure`, for builders that change it before wrapping it once."""
    layout = base_layout()
    layout["annotations"] = [
        {
            "font": {"color": TEXT, "size": 16},
            "showarrow": False,
            "text": message,
            "x": 0.5,
            "xref": "paper",
            "y": 0.5,
            "yref": "paper",
        }
    ]
    layout["xaxis"] = {"visible": False, **layout["xaxis"]}
    layout["yaxis"] = {"visible": False, **layout["yaxis"]}
    return layout


def empty_plot(message: str = "No data for this selection") -> dict:
    """A figure that says plainly there is nothing to draw, instead of an empty grid, as the
    plain dict a chart's builder hands on (`ChartResult.plot`).

    Why a dict: every chart answers with it when a selection has nothing to draw, and even a
    go.Figure made without validation copies its layout and template on the way in and out,
    which cost more than the rest of such an answer (the JSON is checked against plotly's
    objects in tests/unit/test_figure_dicts.py).
    """
    return {"data": [], "layout": empty_layout(message)}


def empty_figure(message: str = "No data for this selection") -> go.Figure:
    """`empty_plot` as a go.Figure, for callers that go on to change it through plotly."""
    return go.Figure(empty_plot(message), _validate=False)


def _wrapped(text: str, size: float, width: float) -> tuple[str, int]:
    """Text broken into <br> lines that fit `width` px at font `size` (plotly never wraps)."""
    per_line = max(20, int(width / (size * AVERAGE_GLYPH_WIDTH)))
    lines = textwrap.wrap(text, per_line) or [""]
    return "<br>".join(lines), len(lines)


def _scale_font_sizes(node: Any, factor: float, floor: float = 0) -> Any:
    """A copy of a figure dict with every explicit font size times `factor` (marker sizes kept).

    Builders size some text for the screen (tick labels at 11 px, say); the presentation grows
    the base type, and these grow in proportion so the hierarchy the builder chose survives.
    """
    if isinstance(node, list):
        return [_scale_font_sizes(item, factor, floor) for item in node]
    if not isinstance(node, dict):
        return node
    scaled = {}
    for key, value in node.items():
        if key.endswith("font") and isinstance(value, dict):
            value = dict(value)
            if isinstance(value.get("size"), int | float):
                value["size"] = max(value["size"] * factor, floor)
            elif isinstance(value.get("size"), list):
                value["size"] = [max(size * factor, floor) for size in value["size"]]
        scaled[key] = _scale_font_sizes(value, factor, floor)
    return scaled


def _dock_legend(figure: go.Figure, pad: int, *, bottom: float) -> None:
    """A horizontal legend under the plot is pinned `bottom` px above the image's foot.

    Placed relative to the plot, as on screen, it would drift into the axis title or the source
    line when the frame is shorter than the screen figure.
    """
    legend = figure.layout.legend
    below = legend.y is not None and legend.y < 0 and legend.yref in (None, "paper")
    # A legend on the top edge of a screen figure would sit on the export's title.
    below = below or (legend.yref == "container" and legend.y is not None and legend.y >= 0.9)
    if legend.orientation == "h" and below:
        width, height = figure.layout.width, figure.layout.height
        figure.update_layout(
            legend={
                "xref": "container",
                "yref": "container",
                "x": pad / width,
                "xanchor": "left",
                "y": bottom / height,
                "yanchor": "bottom",
            }
        )


def presentation_figure(
    figure: go.Figure,
    *,
    title: str,
    subtitle: str,
    source_line: str,
    size: tuple[int, int] = PRESENTATION_SIZE,
    with_text: bool = True,
    font_size: float | None = None,
    heading_size: float | None = None,
    min_font_size: float = 0,
) -> go.Figure:
    """A copy styled for images and slides, so exports look like the screen but read at a distance.

    `size` is the layout size in CSS pixels; exports render it at scale 2 (960 x 540 gives a
    1920 x 1080 px file). Type grows with the width, so a smaller export is the same design at
    a lower resolution. With `with_text`, the title, subtitle (measure, geography, period) and
    source line are drawn inside the picture; slides leave them out because the slide carries
    them as real text. The source line sits in a second legend: unlike an annotation, a legend
    can be placed relative to the whole image, so it never collides with axis labels.
    `font_size` is the chart's type; `heading_size` (default the same) that of the words around
    it, so a tall chart drawn on a larger layout keeps headings the size of every other export.
    `min_font_size` (layout px) is a floor for every text: smaller type a builder chose for the
    screen grows to it, and bar labels are drawn at it (plotly would shrink them to fit a bar).
    """
    width, height = size
    base = max(font_size or PRESENTATION_FONT_SIZE * width / PRESENTATION_SIZE[0], min_font_size)
    pad = round(0.025 * width)
    styled = go.Figure(_scale_font_sizes(figure.to_dict(), base / SCREEN_FONT_SIZE, min_font_size))
    if min_font_size:
        styled.update_layout(uniformtext={"minsize": min_font_size, "mode": "show"})
    if styled.data and not any(trace.type in CARTESIAN for trace in styled.data):
        # A map alone has no x and y axes; left on, plotly draws default ticks over it.
        styled.update_xaxes(visible=False)
        styled.update_yaxes(visible=False)
    styled.update_layout(
        width=width,
        height=height,
        font={"family": FONT_FAMILY, "size": base, "color": TEXT},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": base}},
        paper_bgcolor="#ffffff",
    )
    if not with_text:
        styled.update_layout(title=None, margin={"l": pad, "r": pad, "t": pad, "b": pad, "pad": 4})
        _dock_legend(styled, pad, bottom=pad)
        return _fit_maps(styled)
    heading = heading_size or base
    title_size, subtitle_size = heading * 1.6, heading * 1.05
    source_size = max(heading * 0.75, min_font_size)
    text_width = width - 2 * pad
    title_text, title_lines = _wrapped(title, title_size, text_width)
    subtitle_text, subtitle_lines = _wrapped(subtitle, subtitle_size, text_width)
    source_text, source_lines = _wrapped(source_line, source_size, text_width)
    top = pad + title_lines * title_size * 1.25 + subtitle_lines * subtitle_size * 1.3 + 1.5 * pad
    _dock_legend(styled, pad, bottom=pad + source_lines * source_size * 1.3 + 0.6 * pad)
    styled.update_layout(
        title={
            "text": f"<b>{title_text}</b>",
            "subtitle": {"text": subtitle_text, "font": {"size": subtitle_size, "color": MUTED}},
            "font": {"size": title_size, "color": TEXT},
            "xref": "container",
            "x": pad / width,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - pad / height,
            "yanchor": "top",
        },
        # Legends placed on the whole image push the margins out themselves (autoexpand).
        margin={"l": pad, "r": pad, "t": round(top), "b": pad, "pad": 4, "autoexpand": True},
        legend2={
            "title": {"text": source_text, "font": {"size": source_size, "color": MUTED}},
            "xref": "container",
            "yref": "container",
            "x": pad / width,
            "y": pad / height,
            "xanchor": "left",
            "yanchor": "bottom",
            "orientation": "h",
            "bgcolor": "rgba(0,0,0,0)",
            "itemwidth": 30,
        },
    )
    if styled.layout.showlegend is False:
        # Charts with direct labels switch legends off, which would hide the source line too:
        # keep their own traces out of a legend and let the source legend show.
        styled.update_traces(showlegend=False)
        styled.update_layout(showlegend=True)
    # An invisible, unclickable entry: a legend is only drawn when something belongs to it.
    styled.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"width": 0, "color": "rgba(0,0,0,0)"},
            name=" ",
            legend="legend2",
            showlegend=True,
            hoverinfo="skip",
        )
    )
    return _fit_maps(styled)


def _fit_maps(figure: go.Figure) -> go.Figure:
    """A map is refitted to the new frame, so no area is cut off and England fills the frame."""
    from dashboard.figures.area_map import fit_to_frame  # the map module imports this one

    return fit_to_frame(figure)
