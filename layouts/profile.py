"""Unit profile: one unit's area, leadership, model, funding, reach, outcomes and sources.

The page is built from the unit's row (plain data); the map, the chart cards, the figure tables
and the source list are filled by callbacks/profile.py from the address and the year filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.charts import profile as profile_charts
from dashboard.charts.base import ChartSpec
from layouts.chart_card import scroll_region
from layouts.exports import export_menu
from layouts.graph_config import graph_config

NOT_NAMED = "not named in the source"
FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("metric_label", "Measure"),
    ("display_text", "Figure"),
    ("period_label", "Period"),
    ("geography", "Area covered"),
    ("citation", "Source"),
)


def _text(value: object, missing: str = NOT_NAMED) -> str:
    return missing if value is None or pd.isna(value) or not str(value).strip() else str(value)


PLACEHOLDER_HEIGHT = 450  # a graph's height before its figure says otherwise (plotly's default)


def profile_graph(chart: str, figure: object) -> dcc.Graph:
    """The graph of a profile card, made when the card comes into view (see profile_card)."""
    return dcc.Graph(id=ids.profile_graph(chart), figure=figure, config=graph_config())


def graph_box_style(height: int | None) -> dict[str, str]:
    """The graph box's reserved height: the figure's own (ChartResult.height), or plotly's
    default, so that nothing below moves when the graph is drawn."""
    return {"minHeight": f"{int(height or PLACEHOLDER_HEIGHT)}px"}


def profile_card(chart: str, title: str) -> html.Section:
    """A chart card like the shared one, with the profile's own IDs (filled from the address)."""
    heading_id = f"{chart}-profile-heading"
    return html.Section(
        [
            html.H2(title, id=heading_id, className="h4 mb-1"),
            html.P(
                id=ids.profile_subtitle(chart), className="chart-subtitle text-body-secondary mb-1"
            ),
            html.P(
                id=ids.profile_summary(chart),
                className="chart-summary mb-2",
                **{"aria-live": "polite"},
            ),
            # An empty chart is its summary line alone: no blank plot, download or embed code.
            html.Div(
                [
                    html.Fieldset(
                        [
                            html.Legend(f"Show {title} as", className="visually-hidden"),
                            dbc.RadioItems(
                                id=ids.profile_view_switch(chart),
                                options=[
                                    {"label": "Chart", "value": "chart"},
                                    {"label": "Table", "value": "table"},
                                ],
                                value="chart",
                                inline=True,
                                inputClassName="me-1",
                            ),
                        ],
                        className="mb-2 no-print",
                    ),
                    export_menu(chart, title),
                    # The graph is put here when the box comes into view (profile_graph);
                    # until then the box keeps the chart's height, so nothing moves.
                    html.Div(
                        id=ids.profile_graph_box(chart),
                        className="profile-graph",
                        style={"minHeight": f"{PLACEHOLDER_HEIGHT}px"},
                    ),
                    dcc.Store(id=ids.profile_in_view_store(chart), data=False),
                    html.Div(id=ids.profile_table(chart), hidden=True),
                ],
                id=ids.profile_body_box(chart),
            ),
            html.P(id=ids.profile_source(chart), className="small text-body-secondary mt-2"),
        ],
        className="chart-card profile-card border rounded p-3 mb-4",
        **{"aria-labelledby": heading_id},
    )


def _details(unit: Mapping[str, object]) -> html.Dl:
    pairs = (
        ("Police and Crime Commissioner (or equivalent)", _text(unit.get("pcc"))),
        ("Unit lead", _text(unit.get("lead"))),
        ("Area", _text(unit.get("area_name"))),
        ("Grant paid to", _text(unit.get("grant_recipient"))),
        ("Kind of unit", _text(unit.get("unit_type"))),
    )
    items: list = []
    for term, value in pairs:
        items += [html.Dt(term, className="col-sm-5"), html.Dd(value, className="col-sm-7")]
    return html.Dl(items, className="row mb-1 profile-details")


def profile_page(
    unit: Mapping[str, object], specs: Sequence[ChartSpec] = profile_charts.SPECS
) -> html.Div:
    """The profile of one unit; `unit` is its row of the units table as a dict."""
    unit_id = str(unit["unit_id"])
    name = str(unit["name"])
    return html.Div(
        [
            html.H1(name, className="h2"),
            html.P(
                f"Profile of the {name}, covering {_text(unit.get('area_name'), 'its area')}: "
                "who leads it, how it works, and every figure the sources give for it, each "
                "with its period and source.",
                className="lead",
            ),
            html.Div(id=ids.PROFILE_YEAR_NOTICE, role="status"),
            html.P(
                [
                    dcc.Link(
                        "Compare this unit with the others",
                        href=f"/compare?unit={unit_id}",
                        id=ids.PROFILE_COMPARE_LINK,
                    ),
                    " · ",
                    dcc.Link("All units", href="/units"),
                ],
                className="no-print",
            ),
            html.Section(
                [
                    html.H2("Area and leadership", id="profile-area-heading", className="h4"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dcc.Graph(
                                        id=ids.PROFILE_AREA_GRAPH,
                                        config={**graph_config(toolbar=False), "staticPlot": True},
                                        style={"height": "420px"},
                                    ),
                                    html.P(id=ids.PROFILE_AREA_TEXT, className="small"),
                                ],
                                xs=12,
                                md=6,
                                className="profile-map",
                            ),
                            dbc.Col(
                                [
                                    _details(unit),
                                    html.P(
                                        id=ids.PROFILE_DETAILS_SOURCE_TEXT,
                                        className="small text-body-secondary",
                                    ),
                                ],
                                xs=12,
                                md=6,
                                className="profile-details-col",
                            ),
                        ]
                    ),
                ],
                className="profile-section mb-4",
                **{"aria-labelledby": "profile-area-heading"},
            ),
            html.Section(
                [
                    html.H2("Model", id="profile-model-heading", className="h4"),
                    html.P(
                        _text(
                            unit.get("model_notes"),
                            "The source does not describe how this unit is organised.",
                        )
                    ),
                ],
                className="profile-section mb-4",
                **{"aria-labelledby": "profile-model-heading"},
            ),
            *(profile_card(spec.name, spec.title) for spec in specs),
            html.Section(
                [
                    html.H2(
                        "Every figure, by category", id="profile-figures-heading", className="h4"
                    ),
                    html.P(
                        "Each figure as the source states it, with its qualifier ('over', "
                        "'about'), its period and where it was read. A change reads 'from X to "
                        "Y'; a figure the source only drew as a chart is marked not available.",
                        className="small",
                    ),
                    html.Div(id=ids.PROFILE_FIGURES_CONTAINER),
                ],
                className="profile-section mb-4",
                **{"aria-labelledby": "profile-figures-heading"},
            ),
            html.Section(
                [
                    html.H2("Sources", id="profile-sources-heading", className="h4"),
                    html.Div(id=ids.PROFILE_SOURCES_CONTAINER),
                ],
                className="profile-section mb-4",
                **{"aria-labelledby": "profile-sources-heading"},
            ),
        ],
        className="unit-profile",
        **{"data-unit": unit_id},
    )


def _citation(row: Mapping[str, object]) -> object:
    """'APCC 2020, p. 13', or the source's short name linking to its web address."""
    url = row.get("url")
    if url is None or pd.isna(url):
        return _text(row.get("citation"), "")
    return html.A(_text(row.get("source_short"), "source"), href=str(url))


def official_series_note(earlier: int, unit_id: str) -> html.P:
    """Where the official figures the tables leave out are: the Trends page and the data page."""
    return html.P(
        [
            f"The official tables (ONS, DfE) give {earlier} earlier figures for this area; "
            "the tables above list each measure's latest period. See every year on ",
            dcc.Link("Trends", href=f"/trends?unit={unit_id}"),
            " or in ",
            dcc.Link("Data and sources", href=f"/data?unit={unit_id}"),
            ".",
        ],
        className="small mt-2",
    )


def figure_tables(groups: Sequence[tuple[str, str, Sequence[Mapping[str, object]]]]) -> list:
    """One H3 and one table per category: (category key, heading, rows of unit figures)."""
    if not groups:
        return [html.P("The sources give no figures for this unit in the chosen period.")]
    blocks: list = []
    for key, heading, rows in groups:
        header = html.Thead(html.Tr([html.Th(label, scope="col") for _, label in FIGURE_COLUMNS]))
        body = html.Tbody(
            [
                html.Tr(
                    [
                        html.Th(row["metric_label"], scope="row")
                        if column == "metric_label"
                        else html.Td(_citation(row))
                        if column == "citation"
                        else html.Td(_text(row.get(column), ""))
                        for column, _ in FIGURE_COLUMNS
                    ],
                    **{"data-obs": str(row["obs_id"])},
                )
                for row in rows
            ]
        )
        blocks.append(
            html.Div(
                [
                    html.H3(heading, className="h5 mt-3"),
                    scroll_region(
                        dbc.Table(
                            [
                                html.Caption(
                                    f"{heading}: {len(rows)} "
                                    f"{'figure' if len(rows) == 1 else 'figures'}",
                                    className="caption-top",
                                ),
                                header,
                                body,
                            ],
                            bordered=True,
                            striped=True,
                            className="small align-top",
                        ),
                        f"{heading} figures",
                    ),
                ],
                className="profile-category",
                **{"data-category": key},
            )
        )
    return blocks


def sources_list(rows: Sequence[Mapping[str, object]]) -> list:
    """The sources behind the page, each with a link where it has an address."""
    if not rows:
        return [html.P("No sources for this selection.")]
    items = []
    for row in rows:
        title = _text(row.get("title"), "")
        url = row.get("url")
        link = html.A(title, href=str(url)) if url and not pd.isna(url) else html.Cite(title)
        items.append(
            html.Li(
                [
                    link,
                    f". {_text(row.get('publisher'), '')}, {_text(row.get('published'), '')}. ",
                    html.Span(str(row.get("used_for", "")), className="text-body-secondary"),
                ],
                **{"data-source": str(row.get("source_id", ""))},
            )
        )
    return [html.Ul(items, className="profile-sources")]
