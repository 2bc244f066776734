"""Compare: one unit against the other VRUs and the national programme."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.charts.base import ChartSpec
from layouts.pages import chart_page

INTRO = "One unit against the other VRUs and the national programme, on the measures both have."


def compare_page(specs: Sequence[ChartSpec]) -> html.Div:
    return chart_page("Compare units", INTRO, specs)
