"""Investment against reach: what each unit received against the people it reached."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard.charts.base import ChartSpec
from layouts.pages import chart_page

INTRO = (
    "Funding set against the people each unit's work reached, only where both figures cover "
    "the same unit and period. Units without a comparable pair are listed with the reason."
)


def investment_page(specs: Sequence[ChartSpec]) -> html.Div:
    return chart_page("Investment against reach", INTRO, specs)
