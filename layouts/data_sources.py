"""Data and sources, methods and data quality, and the accessibility statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.catalogue import GRID_COLUMNS, MethodCounts
from layouts.chart_card import scroll_region
from layouts.pages import page_heading

# Column widths and behaviour that differ from the grid's defaults.
# Unit, measure and figure fit a 390 px phone side by side (PHONE_FIGURE_EDGE); the grid
# scrolls sideways for the rest, and long names wrap onto more lines.
_COLUMN_OPTIONS: Mapping[str, dict[str, object]] = {
    "unit_name": {"minWidth": 110},
    "metric_label": {"minWidth": 125},
    # The figure is shown with its qualifier but sorted by its number (missing last).
    "value_text": {
        "field": "value",
        "valueFormatter": {"function": "params.data ? params.data.value_text : ''"},
        "filterValueGetter": {"function": "params.data.value_text"},
        "minWidth": 115,
    },
    "period_label": {"minWidth": 140},
    "geography": {"minWidth": 140},
    "series": {"minWidth": 170},
    "source_title": {"minWidth": 220},
    "location": {"cellRenderer": "markdown", "minWidth": 160},
    "note": {"minWidth": 300, "flex": 2},
}

PHONE_FIGURE_EDGE = 360  # px: a 390 px phone less the page's padding

GRID_HELP = (
    "Sort by a column with its heading (Enter on the keyboard); type in the box under a "
    "heading to filter that column. Arrow keys move between cells. Figures keep their "
    "qualifier ('over', 'nearly', 'about'); a figure a source shows only as a chart reads "
    "'not available'."
)


def _column_defs() -> list[dict[str, object]]:
    return [
        {"field": field, "headerName": label, **_COLUMN_OPTIONS.get(field, {})}
        for field, label in GRID_COLUMNS
    ]


def observations_grid() -> dag.AgGrid:
    """The sortable, filterable grid of every figure; its rows come from a callback."""
    return dag.AgGrid(
        id=ids.DATA_OBSERVATIONS_TABLE,
        columnDefs=_column_defs(),
        rowData=[],
        getRowId="params.data.obs_id",
        defaultColDef={
            "sortable": True,
            "filter": "agTextColumnFilter",
            "floatingFilter": True,
            "resizable": True,
            "wrapText": True,
            "autoHeight": True,
            "cellDataType": False,
            "flex": 1,
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 25,
            "paginationPageSizeSelector": [25, 50, 100],
            "domLayout": "autoHeight",
            # Screen readers read rows and columns in the order they appear in the DOM.
            "ensureDomOrder": True,
            "suppressColumnVirtualisation": True,
            "enableCellTextSelection": True,
            "animateRows": False,
            # The grid is one Tab stop (arrow keys move inside it), as for any ARIA grid;
            # otherwise Tab would walk through every cell before leaving it.
            "tabToNextCell": {"function": "false"},
            "tabToNextHeader": {"function": "false"},
        },
        className="ag-theme-quartz",
        style={"width": "100%"},
    )


def sources_table(rows: Sequence[Mapping[str, object]]) -> dbc.Table:
    """Every source with publisher, date, licence and how many figures cite it."""
    header = html.Thead(
        html.Tr(
            [
                html.Th(label, scope="col")
                for label in ("Title", "Publisher", "Published", "Licence", "Figures")
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(
                        html.A(row["title"], href=str(row["url"])) if row["url"] else row["title"],
                        scope="row",
                        className="fw-normal",
                    ),
                    html.Td(row["publisher"]),
                    html.Td(row["published"]),
                    html.Td(row["licence"] or "not stated"),
                    html.Td(row["figures"], className="text-end"),
                ],
                **{"data-source": row["source_id"]},
            )
            for row in rows
        ]
    )
    return dbc.Table(
        [
            html.Caption(
                "Sources, with the number of figures read from each", className="caption-top"
            ),
            header,
            body,
        ],
        id=ids.DATA_SOURCES_TABLE,
        striped=True,
        bordered=True,
        className="small align-top",
    )


DATAPACKAGE_URL = "/api/v1/datapackage.zip"
API_DOCS_URL = "/api/v1/openapi.json"


def open_data_links() -> html.P:
    """Everything at once, and the API, for people who want more than the filtered rows."""
    return html.P(
        [
            "Everything at once: ",
            html.A("every table as a Data Package (ZIP of CSV files)", href=DATAPACKAGE_URL),
            ", or read the figures from the ",
            html.A("open data API (OpenAPI description)", href=API_DOCS_URL),
            ". Official figures are under the Open Government Licence v3.0; every other figure "
            "is cited to its source.",
        ],
        className="small no-print",
    )


def sources_list(rows: Sequence[Mapping[str, object]]) -> html.Div:
    """The sources table in its scrolling region, for the data page's "List" button."""
    return scroll_region(sources_table(rows), "Sources")


def data_page(total: int, sources: Sequence[Mapping[str, object]]) -> html.Div:
    """Every figure in a grid that follows the unit and year filters, then the sources list."""
    return html.Div(
        [
            *page_heading(
                "Data and sources",
                f"All {total} figures behind the dashboard, each with the source and the page or "
                "web address it was read from.",
            ),
            html.Section(
                [
                    html.H2("Figures", id="data-figures-heading", className="h4"),
                    html.P(GRID_HELP, className="small"),
                    html.Div(
                        [
                            html.P(
                                id=ids.DATA_COUNT_TEXT,
                                role="status",
                                # A line of its own with its room kept: the sentence
                                # arrives with the rows and moves nothing.
                                className="mb-0 me-3 w-100 data-count",
                                **{"aria-live": "polite"},
                            ),
                            dbc.Button(
                                "Download these figures (CSV)",
                                id=ids.DATA_CSV_BUTTON,
                                color="primary",
                                className="no-print",
                            ),
                            dcc.Download(id=ids.DATA_CSV_DOWNLOAD),
                        ],
                        className="d-flex flex-wrap align-items-center gap-2 mb-2",
                    ),
                    open_data_links(),
                    # Which rows to show; the rows come once per data version (grid_feed.py).
                    dcc.Store(id=ids.DATA_GRID_PICK),
                    html.P(id=ids.DATA_GRID_PROBLEM, role="alert", className="mb-0"),
                    # Keeps the grid's room while its script loads (no layout shift).
                    html.Div(observations_grid(), id=ids.DATA_GRID_CONTAINER, className="grid-box"),
                ],
                className="mb-4",
                **{"aria-labelledby": "data-figures-heading"},
            ),
            html.Section(
                [
                    html.H2("Sources", id="data-sources-heading", className="h4"),
                    html.P(
                        f"{len(sources)} sources. The APCC report is cited by page; every other "
                        "source by its web address, where the licence is stated when known. "
                        "Every figure in the grid above names its own source."
                    ),
                    # The list is put in the page when asked for: its 700-odd elements beside
                    # the grid's would make the page slow to draw for everyone.
                    dbc.Button(
                        f"List the {len(sources)} sources",
                        id=ids.DATA_SOURCES_BUTTON,
                        color="secondary",
                        outline=True,
                        className="no-print mb-2",
                    ),
                    html.Div(id=ids.DATA_SOURCES_CONTAINER, **{"aria-live": "polite"}),
                ],
                **{"aria-labelledby": "data-sources-heading"},
            ),
        ]
    )


def _section(title: str, anchor: str, *children: object) -> html.Section:
    heading_id = f"methods-{anchor}-heading"
    return html.Section(
        [html.H2(title, id=heading_id, className="h4 mt-4"), *children],
        **{"aria-labelledby": heading_id},
    )


def _count_list(pairs: Sequence[tuple[str, int]]) -> html.Ul:
    return html.Ul([html.Li(f"{name}: {count}") for name, count in pairs])


def methods_page(counts: MethodCounts, quality: Sequence[object] = ()) -> html.Div:
    """How the figures were gathered and kept honest; every number is counted from the data.

    `quality` are the sections a statistics user looks for first (status, rules, strengths and
    limitations, revisions, contact), built by `layouts.status.quality_sections`.
    """
    return html.Div(
        [
            *page_heading(
                "Methods and data quality",
                "Where the figures come from, how their wording is kept, and what is missing.",
            ),
            *quality,
            _section(
                "Where the figures come from",
                "sources",
                html.P(
                    f"The dashboard holds {counts.figures} figures about {counts.units} units "
                    f"and the national programme, on {counts.metrics} measures, from "
                    f"{counts.sources} sources."
                ),
                html.Ul(
                    [
                        html.Li(
                            f"{counts.report_figures} figures were read from "
                            f"{counts.report_pages} pages of the Association of Police and Crime "
                            "Commissioners' report 'PCCs Making a Difference: Violence Reduction "
                            "Units in Focus' (2020). Each one cites its page."
                        ),
                        html.Li(
                            f"{counts.from_web} figures come from official releases and other "
                            "published pages (Home Office allocations and evaluations, ONS knife "
                            "crime statistics as reported, Department for Education exclusions, "
                            "NHS figures, statements by commissioners). Each one cites the web "
                            "address it was read from."
                        ),
                        html.Li(
                            f"{counts.national} figures describe the programme as a whole or "
                            "England and Wales rather than one unit."
                        ),
                    ]
                ),
                html.P("Figures by kind of measure:"),
                _count_list(counts.by_category),
                html.P(
                    [
                        "Every figure, its source and its page or address are listed on ",
                        dcc.Link("Data and sources", href="/data"),
                        ". Nothing was estimated, interpolated or filled in.",
                    ]
                ),
            ),
            _section(
                "Qualifiers travel with the number",
                "qualifiers",
                html.P(
                    f"Sources often hedge a figure: 'over £1.1m', 'nearly 185,000', 'up to "
                    f"£35m'. {counts.qualified} figures carry such a qualifier, and it is shown "
                    "wherever the number is shown: in charts, tables, hover text and downloads."
                ),
                _count_list(counts.by_qualifier),
                html.P(
                    "When figures are added up, the total is only as certain as its least "
                    "certain part. If any part is a lower bound ('over', 'at least') or is "
                    "missing, the total is 'at least' the sum; if parts are upper bounds "
                    "('nearly', 'up to') and nothing is missing it is 'up to' the sum; when both "
                    "pull, the 'up to' parts are left out of the floor and named. Only figures "
                    "of one measure, one financial year and whole areas are ever added."
                ),
                html.P(
                    "A ratio such as funding per person reached follows the same logic: a lower "
                    "bound on top or an upper bound underneath makes the ratio a lower bound, the "
                    "reverse makes it an upper bound. A ratio is only worked out when both "
                    "figures cover the same unit and the same period; otherwise the table says "
                    "why it is missing."
                ),
                html.P(
                    f"{counts.provisional} figures were announced before being final; they "
                    "read '(provisional)'."
                ),
            ),
            _section(
                "Series are never joined",
                "series",
                html.P(
                    f"Each figure belongs to one of {counts.series} series: one publication on "
                    "one basis. Knife crime totals for the same year differ between releases "
                    "because forces were left out or added, the recording method changed and "
                    "populations were revised; exclusion figures come as whole-year and "
                    "autumn-term counts, rounded and exact; hospital data counts episodes, "
                    "admissions or patients. Drawing such figures on one line would invent a "
                    "change that never happened."
                ),
                html.P(
                    f"So a line only ever links figures of the same unit, measure and series. "
                    f"{counts.multi_series_measures} unit-and-measure pairs have figures in "
                    "more than one series; they are drawn as separate lines or marks, never "
                    "stitched together."
                ),
            ),
            _section(
                "Figures shown only as charts",
                "chart-only",
                html.P(
                    f"{counts.chart_only} figures appear in their source only as a chart, with "
                    "no values printed. They are recorded so that the gap is visible, read "
                    "'not available (shown only as a chart in the source)' and are never "
                    "drawn as zero."
                ),
            ),
            _section(
                "Known gaps",
                "gaps",
                html.Ul(
                    [
                        html.Li(
                            "There is no complete table of what each area was allocated in each "
                            "year; several years have figures for only some areas, and some "
                            "are lower bounds."
                        ),
                        html.Li(
                            "Knife crime figures are not available on one consistent basis for "
                            "every area; several areas have none."
                        ),
                        html.Li(
                            "Mid-year populations by police force area are not included, so "
                            "rates are only shown where a source states them."
                        ),
                        html.Li(
                            "Exclusions are not broken down by council for East Sussex, and "
                            "hospital admissions are not available by area."
                        ),
                    ]
                ),
                html.P(
                    "Where a figure is missing the dashboard says 'no figure', why, and what the "
                    "unit does have. New figures can be added as described below."
                ),
            ),
            _section(
                "Boundaries on the map",
                "boundaries",
                html.P(
                    "The map draws the 43 police force areas of England and Wales, built from "
                    "the Office for National Statistics' 2011 small-area boundaries, simplified "
                    "for the screen and clipped to the coastline. Boundary changes since 2011 "
                    "are not shown and islands smaller than 0.2 km² are left out; at the map's "
                    "scale the areas match the official 2020 boundaries closely. A unit covers "
                    "one or more force areas (the Wales unit covers all four Welsh forces)."
                ),
                html.P(
                    "Source: Office for National Statistics licensed under the Open Government "
                    "Licence v3.0. Contains OS data © Crown copyright and database right.",
                    className="small",
                ),
            ),
            _section(
                "How to add data",
                "adding",
                html.P(
                    "The figures live in four CSV files in the project's data folder: units, "
                    "measures (metrics), observations and sources. The data dictionary in "
                    "data/README.md describes every column."
                ),
                html.Ol(
                    [
                        html.Li("Add the source to sources.csv, with its web address and licence."),
                        html.Li(
                            "Add a row per figure to observations.csv: the unit, the measure, "
                            "the value as printed, its qualifier, the period in the source's "
                            "words (and its dates where known), a series name for the "
                            "publication, and the page or web address."
                        ),
                        html.Li(
                            "Use an existing measure where its definition fits; otherwise add "
                            "one to metrics.csv."
                        ),
                        html.Li(
                            "Restart the dashboard. It checks every table when it starts and "
                            "refuses to run, naming the file, line and column, if a rule is "
                            "broken."
                        ),
                    ]
                ),
            ),
        ]
    )
