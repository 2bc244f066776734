"""Every component ID of the app, in one place and one scheme: <section>-<subject>-<widget>.

Widgets: -dropdown, -graph, -store, -button, -download, -table, -location, -container,
-notice, -link, -radio, -switch, -text. Repeated widgets use dict IDs from the factories below.
"""

from __future__ import annotations

# Page frame
URL_LOCATION = "page-url-location"
PAGE_CONTAINER = "page-content-container"
PAGE_NOTICE = "page-url-notice"

# Filters shared by every view
FILTER_UNIT_DROPDOWN = "filters-unit-dropdown"
FILTER_YEAR_DROPDOWN = "filters-year-dropdown"
FILTER_MEASURE_DROPDOWN = "filters-measure-dropdown"
FILTER_RESET_BUTTON = "filters-reset-button"

# Units overview
UNITS_SUMMARY_TEXT = "units-summary-text"
UNITS_OVERVIEW_TABLE = "units-overview-table"
UNITS_OVERVIEW_CONTAINER = "units-overview-container"


def view_switch(chart: str) -> dict[str, str]:
    """The chart/table switch of one chart."""
    return {"type": "chart-view-radio", "chart": chart}


def chart_graph(chart: str) -> dict[str, str]:
    return {"type": "chart-figure-graph", "chart": chart}


def chart_table(chart: str) -> dict[str, str]:
    return {"type": "chart-data-table", "chart": chart}


def chart_summary(chart: str) -> dict[str, str]:
    return {"type": "chart-summary-text", "chart": chart}


def export_button(chart: str, fmt: str) -> dict[str, str]:
    return {"type": "export-chart-button", "chart": chart, "format": fmt}


def chart_subtitle(chart: str) -> dict[str, str]:
    return {"type": "chart-subtitle-text", "chart": chart}


def chart_source(chart: str) -> dict[str, str]:
    return {"type": "chart-source-text", "chart": chart}


def chart_graph_box(chart: str) -> dict[str, str]:
    return {"type": "chart-figure-container", "chart": chart}
