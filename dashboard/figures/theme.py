"""One place for the look of every chart: palette, fonts, the screen and presentation variants."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies. Each colour below has
# at least 3:1 contrast against white (WCAG 1.4.11); the pale yellow of the full set is left out.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#8F6A00",  # dark yellow (darkened for contrast)
    "#56B4E9",  # sky blue (used with dark outlines)
    "#000000",  # black
)
SEQUENTIAL = "Cividis"
NEUTRAL = "#d9d9d9"
NO_DATA = "#f2f2f2"
TEXT = "#212529"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

SCREEN_FONT_SIZE = 14
PRESENTATION_FONT_SIZE = 22
PRESENTATION_SIZE = (1920, 1080)


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


def empty_figure(message: str = "No data for this selection") -> go.Figure:
    """A figure that says plainly there is nothing to draw, instead of an empty grid."""
    figure = go.Figure()
    figure.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16, "color": TEXT},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return apply_theme(figure)


def presentation_figure(
    figure: go.Figure, *, title: str, subtitle: str, source_line: str
) -> go.Figure:
    """A copy styled for slides and images: title, subtitle and source inside the picture."""
    styled = go.Figure(figure)
    apply_theme(styled, presentation=True)
    width, height = PRESENTATION_SIZE
    styled.update_layout(
        width=width,
        height=height,
        title={
            "text": f"<b>{title}</b><br><span style='font-size:0.8em'>{subtitle}</span>",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": PRESENTATION_FONT_SIZE + 10},
        },
        margin={"l": 110, "r": 60, "t": 170, "b": 150},
    )
    styled.add_annotation(
        text=source_line,
        x=0,
        y=-0.06,
        xref="paper",
        yref="paper",
        yanchor="top",
        xanchor="left",
        showarrow=False,
        align="left",
        font={"size": PRESENTATION_FONT_SIZE - 6, "color": "#495057"},
    )
    return styled
