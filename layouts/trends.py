"""Trends: one question per chart, grouped by topic; only the chosen topic's charts are built."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.charts.base import ChartSpec
from layouts.chart_card import chart_card
from layouts.pages import page_heading

INTRO = (
    "How knife crime and school exclusions changed in each unit's area, from the publishers' "
    "own tables (ONS and DfE), against England and Wales or England. Pick an area in the Units "
    "filter above; with none chosen, every unit's area is drawn side by side on shared axes. "
    "Each release is its own series; nothing is joined across releases or gaps, or filled in."
)
# (tab value, tab label, chart names): one topic per tab, opened one at a time.
TOPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("knife-rate", "Knife offences per 100,000", ("knife-rate-series",)),
    ("knife-count", "Knife offences (number)", ("knife-offences-series",)),
    ("exclusions", "School exclusions", ("school-exclusions", "suspension-rates")),
    ("reported", "Changes the units reported", ("knife-change", "knife-before-after")),
    ("funding", "Funding", ("funding-by-year",)),
)
DEFAULT_TOPIC = TOPICS[0][0]


def card_with_notes(spec: ChartSpec, notes_id: str) -> html.Section:
    """A chart card with a place under its source line for what the chart does not draw."""
    card = chart_card(spec.name, spec.title)
    card.children = [
        *card.children,
        html.Div(id=notes_id, className="chart-notes small"),
    ]
    return card


def topic_cards(topic: str, specs: Sequence[ChartSpec]) -> list[html.Section]:
    """The chart cards of one tab (the first tab's for an unknown value)."""
    by_name = {spec.name: spec for spec in specs}
    names = next((charts for value, _, charts in TOPICS if value == topic), TOPICS[0][2])
    return [card_with_notes(by_name[n], ids.trends_notes(n)) for n in names if n in by_name]


def other_cards(specs: Sequence[ChartSpec]) -> list[html.Section]:
    """The cards of the tabs not open at first, for the app's validation layout."""
    first = set(TOPICS[0][2])
    return [card_with_notes(s, ids.trends_notes(s.name)) for s in specs if s.name not in first]


def trends_page(specs: Sequence[ChartSpec]) -> html.Div:
    return html.Div(
        [
            *page_heading("Trends", INTRO),
            # A radio group drawn as buttons: one Tab stop, arrows move between topics, and
            # only the chosen topic's charts are put in the page (and so built and drawn).
            html.Fieldset(
                [
                    html.Legend("Topic", className="h6 mb-1"),
                    dbc.RadioItems(
                        id=ids.TRENDS_TOPIC_RADIO,
                        options=[{"label": label, "value": value} for value, label, _ in TOPICS],
                        value=DEFAULT_TOPIC,
                        name="trends-topic",
                        className="btn-group flex-wrap trends-topics",
                        inputClassName="btn-check",
                        labelClassName="btn btn-outline-primary",
                        labelCheckedClassName="active",
                    ),
                ],
                className="mb-3 no-print",
            ),
            html.Div(
                topic_cards(DEFAULT_TOPIC, specs),
                id=ids.TRENDS_TOPIC_CONTAINER,
                **{"aria-live": "polite"},
            ),
        ]
    )
