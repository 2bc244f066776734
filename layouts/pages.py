"""Building blocks shared by the views: a page heading and a page made of chart cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html

from dashboard.charts.base import ChartSpec
from layouts.chart_card import chart_card


def page_heading(title: str, intro: str) -> list:
    return [html.H1(title, className="h2"), html.P(intro, className="lead")]


def chart_page(
    title: str,
    intro: str,
    specs: Sequence[ChartSpec],
    extra: Sequence = (),
    min_widths: Mapping[str, int] | None = None,
) -> html.Div:
    """A view that is a list of chart cards (plus optional extra sections below them);
    `min_widths` names charts that scroll sideways rather than get narrower (chart_card)."""
    widths = min_widths or {}
    cards = (chart_card(s.name, s.title, min_width=widths.get(s.name)) for s in specs)
    return html.Div([*page_heading(title, intro), *cards, *extra])


def not_found(pathname: str, hint: str = "") -> html.Div:
    return html.Div(
        [
            html.H1("Page not found", className="h2"),
            html.P(f"There is no page at {pathname}. {hint}".strip()),
            html.A("Go to the map", href="/"),
        ]
    )
