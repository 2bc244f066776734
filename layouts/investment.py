"""Investment against reach: what each unit received against the people it reached."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard import ids
from dashboard.charts.base import ChartSpec
from layouts.pages import page_heading
from layouts.trends import card_with_notes

INTRO = (
    "Funding set against the people each unit's work reached, only where both figures cover "
    "the same unit and period. Choose a reach type (universal, targeted, young people, or "
    "everyone reached) in Measure; any other measure shows every reach type. Units without a "
    "comparable pair are listed below the charts with the reason."
)
GAPS_HEADING_ID = "investment-gaps-heading"


def investment_page(specs: Sequence[ChartSpec]) -> html.Div:
    return html.Div(
        [
            *page_heading("Investment against reach", INTRO),
            *(card_with_notes(s, ids.investment_notes(s.name)) for s in specs),
            html.Section(
                [
                    html.H2("Units without comparable figures", id=GAPS_HEADING_ID, className="h4"),
                    html.Div(id=ids.investment_notes("gaps")),
                ],
                className="border rounded p-3 mb-4",
                **{"aria-labelledby": GAPS_HEADING_ID},
            ),
        ]
    )
