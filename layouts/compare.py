"""Compare: one unit against the other VRUs and the national programme."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.charts.base import ChartSpec
from layouts.pages import chart_page

INTRO = (
    "One unit against the other VRUs and the national programme, on the measures both have. "
    "The first unit chosen in the Units filter is the one compared; choose more units to compare "
    "it with those only. Figures are set side by side only when they measure the same thing over "
    "the same period; the period is in every panel's heading."
)
UNMATCHED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("metric_label", "Measure"),
    ("display_text", "Figure"),
    ("period_label", "Period"),
    ("reason", "Why no comparison"),
    ("citation", "Source"),
)


def unmatched_section() -> html.Section:
    """Where the focus unit's figures without a like-for-like partner are listed."""
    return html.Section(
        [
            html.H2("No comparison possible", id="compare-unmatched-heading", className="h4"),
            html.Div(id=ids.COMPARE_UNMATCHED_CONTAINER),
        ],
        className="border rounded p-3 mb-4",
        **{"aria-labelledby": "compare-unmatched-heading"},
    )


def compare_page(specs: Sequence[ChartSpec]) -> html.Div:
    # Row names beside the dots need the width: a phone scrolls the chart sideways instead.
    wide = {"compare-units": 640}
    page = chart_page("Compare units", INTRO, specs, extra=[unmatched_section()], min_widths=wide)
    # Who is compared with whom, right under the introduction.
    page.children.insert(
        2, html.P(id=ids.COMPARE_FOCUS_TEXT, role="status", className="compare-focus")
    )
    return page


def focus_text(
    focus: Mapping[str, str] | None, peers: Sequence[str], units: Sequence[Mapping[str, str]]
) -> list:
    """The sentence naming the compared unit, or links to choose one."""
    if focus is None:
        links: list = []
        for unit in units:
            if links:
                links.append(", ")
            links.append(dcc.Link(unit["name"], href=f"/compare?unit={unit['unit_id']}"))
        return ["No unit is chosen. Pick one in the Units filter above, or one of: ", *links, "."]
    against = ", ".join(peers) if peers else "every other unit"
    return [
        "Comparing ",
        html.Strong(focus["name"]),
        f" with {against} and the national programme. ",
        dcc.Link("See its profile", href=f"/unit/{focus['unit_id']}"),
        ".",
    ]


def unmatched_table(rows: Sequence[Mapping[str, object]], focus_name: str | None) -> list:
    """The figures of the focus unit that cannot be compared, each with the reason."""
    if focus_name is None:
        return [html.P("Choose a unit to see which of its figures cannot be compared.")]
    if not rows:
        return [html.P(f"Every figure of {focus_name} has a like-for-like comparison above.")]
    header = html.Thead(html.Tr([html.Th(label, scope="col") for _, label in UNMATCHED_COLUMNS]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(str(row[key]), scope="row")
                    if key == "metric_label"
                    else html.Td(str(row[key]))
                    for key, _ in UNMATCHED_COLUMNS
                ]
            )
            for row in rows
        ]
    )
    return [
        html.P(
            f"{len(rows)} {'figure' if len(rows) == 1 else 'figures'} of {focus_name} "
            "cannot be set beside another unit's or a national figure for the same measure "
            "and period."
        ),
        dbc.Table(
            [
                html.Caption(
                    f"Figures of {focus_name} with no comparison", className="caption-top"
                ),
                header,
                body,
            ],
            bordered=True,
            striped=True,
            responsive=True,
            className="small align-top",
        ),
    ]
