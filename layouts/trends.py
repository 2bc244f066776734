"""Trends: knife crime, school exclusions and funding over time."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.charts.base import ChartSpec
from layouts.pages import chart_page

INTRO = "How knife crime, school exclusions and funding changed, as the sources report them."


def trends_page(specs: Sequence[ChartSpec]) -> html.Div:
    return chart_page("Trends", INTRO, specs)
