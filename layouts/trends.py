"""Trends: knife crime, school exclusions and funding over time."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard import ids
from dashboard.charts.base import ChartSpec
from layouts.chart_card import chart_card
from layouts.pages import page_heading

INTRO = (
    "How knife crime, school exclusions and Home Office funding changed, as the sources report "
    "them. Each published release is its own line; nothing is joined across releases or "
    "filled in. Choosing a financial year shades it on the time charts and keeps only that "
    "year's funding."
)


def card_with_notes(spec: ChartSpec, notes_id: dict[str, str]) -> html.Section:
    """A chart card with a place under its source line for what the chart does not draw."""
    card = chart_card(spec.name, spec.title)
    card.children = [
        *card.children,
        html.Div(id=notes_id, className="chart-notes small"),
    ]
    return card


def trends_page(specs: Sequence[ChartSpec]) -> html.Div:
    return html.Div(
        [
            *page_heading("Trends", INTRO),
            *(card_with_notes(s, ids.trends_notes(s.name)) for s in specs),
        ]
    )
