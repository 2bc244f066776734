"""The frame of every chart: title, subtitle, summary, chart/table switch, source line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.charts.trends import series_words
from dashboard.formatting import citation_parts, qualifier_words
from layouts.exports import export_menu
from layouts.graph_config import graph_config

TABLE_LABELS: Mapping[str, str] = {
    "unit_name": "Unit",
    "value_text": "Figure",
    "qualifier": "Qualifier",
    "period": "Period",
    "period_label": "Period",
    "metric_label": "Measure",
    "citation": "Source",
    "reason": "Why missing",
    "note": "Note",
    "geography": "Geography",
    "series": "Series",
    # trends and investment views
    "panel": "Area and measure",
    "series_name": "Series (release)",
    "before_text": "Before",
    "baseline_period_label": "Compared with",
    "change_text": "Change",
    "also_reported": "Also reported",
    "reach_label": "Reach measure",
    "funding_label": "Funding measure",
    "funding_text": "Funding",
    "reach_text": "People reached",
}


def chart_card(
    chart: str, title: str, *, graph_height: str = "480px", min_width: int | None = None
) -> html.Section:
    """A chart section whose parts are filled by the generic chart callback.

    `min_width` (px) keeps a chart that cannot be read narrower (long row names beside dots)
    at that width; a narrower screen scrolls it sideways in its box, which then takes
    keyboard focus (dashboard/assets/a11y.js) so it can be scrolled without a mouse."""
    box_extra: dict = {}
    graph_style = {"height": graph_height}
    if min_width:
        graph_style["minWidth"] = f"{min_width}px"
        box_extra = {
            "className": "chart-scroll",
            "role": "region",
            "aria-label": f"{title} chart (scrolls sideways on a narrow screen)",
        }
    heading_id = f"{chart}-chart-heading"
    return html.Section(
        [
            html.H2(title, id=heading_id, className="h4 mb-1"),
            html.P(
                id=ids.chart_subtitle(chart), className="chart-subtitle text-body-secondary mb-1"
            ),
            html.P(
                id=ids.chart_summary(chart),
                className="chart-summary mb-2",
                **{"aria-live": "polite"},
            ),
            html.Fieldset(
                [
                    html.Legend(f"Show {title} as", className="visually-hidden"),
                    dbc.RadioItems(
                        id=ids.view_switch(chart),
                        options=[
                            {"label": "Chart", "value": "chart"},
                            {"label": "Table", "value": "table"},
                        ],
                        value="chart",
                        # One name makes the two options one radio group: one Tab stop, arrows.
                        name=f"{chart}-view",
                        inline=True,
                        inputClassName="me-1",
                    ),
                ],
                className="mb-2 no-print",
            ),
            export_menu(chart, title),
            html.Div(
                dcc.Graph(
                    id=ids.chart_graph(chart),
                    config=graph_config(),
                    style=graph_style,
                ),
                id=ids.chart_graph_box(chart),
                # The graph's height before plotly.js has loaded and drawn it.
                style={"minHeight": graph_height},
                **box_extra,
            ),
            html.Div(id=ids.chart_table(chart), hidden=True),
            html.P(id=ids.chart_source(chart), className="small text-body-secondary mt-2"),
        ],
        className="chart-card border rounded p-3 mb-4",
        **{"aria-labelledby": heading_id},
    )


def scroll_region(content: object, label: str) -> html.Div:
    """A box that scrolls sideways when its table is wider than the screen.

    It takes keyboard focus (and is named for screen readers) so a keyboard user can scroll
    it too (WCAG 2.1.1; axe rule scrollable-region-focusable).
    """
    return html.Div(
        content, className="table-responsive", tabIndex="0", role="region", **{"aria-label": label}
    )


def cell_content(row: pd.Series, column: str) -> object:
    """A cell as people read it: sources as named links, qualifiers and series in words."""
    value = row[column]
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ""
    if column == "citation":
        label, url = citation_parts(str(value))
        return html.A(label, href=url) if url else label
    if column == "qualifier":
        return qualifier_words(value)
    if column == "series":
        # A slug with no words of its own ('itv_news', 'kent_pcc') is named by its source.
        words = series_words(str(value))
        source = row.get("source_short")
        if words == str(value).replace("_", " ") and isinstance(source, str) and source:
            return source
        return words
    return str(value)


def data_table(frame: pd.DataFrame, caption: str, columns: Sequence[str] | None = None) -> html.Div:
    """The table alternative of a chart: the same rows, words instead of marks."""
    shown = [c for c in (columns or frame.columns) if c in TABLE_LABELS and c in frame.columns]
    header = html.Thead(html.Tr([html.Th(TABLE_LABELS[c], scope="col") for c in shown]))
    body = html.Tbody(
        [html.Tr([html.Td(cell_content(row, c)) for c in shown]) for _, row in frame.iterrows()]
    )
    table = dbc.Table(
        [html.Caption(caption, className="caption-top"), header, body],
        striped=True,
        bordered=True,
        className="small",
    )
    return scroll_region(table, caption)
