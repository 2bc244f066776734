"""Every component ID of the app, in one place and one scheme: <section>-<subject>-<widget>.

Widgets: -dropdown, -graph, -store, -button, -download, -table, -location, -container,
-notice, -link, -radio, -switch, -text, -label. Repeated widgets get string IDs from the
factories below, "<kind>-<chart>" (e.g. "chart-figure-graph-area-map"), and callbacks are
registered per chart. Not dict (pattern-matching) IDs: Dash writes those into the page as JSON,
with quotes inside id attributes, which checkers such as HTML_CodeSniffer cannot read.
"""

from __future__ import annotations

# Page frame
URL_LOCATION = "page-url-location"
PAGE_CONTAINER = "page-content-container"
PAGE_NOTICE = "page-url-notice"
PAGE_TITLE_STORE = "page-title-store"
PAGE_ANNOUNCE_TEXT = "page-announce-text"

# Filters shared by every view
FILTER_UNIT_DROPDOWN = "filters-unit-dropdown"
FILTER_YEAR_DROPDOWN = "filters-year-dropdown"
FILTER_MEASURE_DROPDOWN = "filters-measure-dropdown"
FILTER_RESET_BUTTON = "filters-reset-button"
# The visible labels: each dropdown is named by its label (assets/a11y.js points the
# dropdown's aria-labelledby at it), so the ids must be known to the page.
FILTER_UNIT_LABEL = "filters-unit-label"
FILTER_YEAR_LABEL = "filters-year-label"
FILTER_MEASURE_LABEL = "filters-measure-label"


def _per_chart(kind: str, chart: str) -> str:
    return f"{kind}-{chart}"


# Units overview
UNITS_SUMMARY_TEXT = "units-summary-text"
UNITS_OVERVIEW_TABLE = "units-overview-table"
UNITS_OVERVIEW_CONTAINER = "units-overview-container"


def view_switch(chart: str) -> str:
    """The chart/table switch of one chart."""
    return _per_chart("chart-view-radio", chart)


def chart_graph(chart: str) -> str:
    return _per_chart("chart-figure-graph", chart)


def chart_table(chart: str) -> str:
    return _per_chart("chart-data-table", chart)


def chart_summary(chart: str) -> str:
    return _per_chart("chart-summary-text", chart)


def export_button(chart: str, fmt: str) -> str:
    return f"{_per_chart('export-chart-button', chart)}-{fmt}"


def chart_subtitle(chart: str) -> str:
    return _per_chart("chart-subtitle-text", chart)


def chart_source(chart: str) -> str:
    return _per_chart("chart-source-text", chart)


def chart_graph_box(chart: str) -> str:
    return _per_chart("chart-figure-container", chart)


# Unit profile (/unit/<unit_id>): its own chart cards, because the unit comes from the address,
# not from the shared filters that the generic chart cards follow.
PROFILE_AREA_GRAPH = "profile-area-graph"
PROFILE_AREA_TEXT = "profile-area-text"
PROFILE_DETAILS_SOURCE_TEXT = "profile-details-source-text"
PROFILE_YEAR_NOTICE = "profile-year-notice"
PROFILE_FIGURES_CONTAINER = "profile-figures-container"
PROFILE_SOURCES_CONTAINER = "profile-sources-container"
PROFILE_COMPARE_LINK = "profile-compare-link"


def profile_view_switch(chart: str) -> str:
    """The chart/table switch of one profile chart."""
    return _per_chart("profile-view-radio", chart)


def profile_graph(chart: str) -> str:
    return _per_chart("profile-figure-graph", chart)


def profile_graph_box(chart: str) -> str:
    return _per_chart("profile-figure-container", chart)


def profile_in_view_store(chart: str) -> str:
    """True once a profile chart's box has come into view: only then is it drawn."""
    return _per_chart("profile-in-view-store", chart)


def profile_body_box(chart: str) -> str:
    """Switch, download menu, graph and table of a profile card: hidden when it has nothing."""
    return _per_chart("profile-body-container", chart)


def profile_table(chart: str) -> str:
    return _per_chart("profile-data-table", chart)


def profile_summary(chart: str) -> str:
    return _per_chart("profile-summary-text", chart)


def profile_subtitle(chart: str) -> str:
    return _per_chart("profile-subtitle-text", chart)


def profile_source(chart: str) -> str:
    return _per_chart("profile-source-text", chart)


# Compare view: who is compared, and the focus unit's figures that have no like-for-like partner
COMPARE_FOCUS_TEXT = "compare-focus-text"
COMPARE_UNMATCHED_CONTAINER = "compare-unmatched-container"


# Data and sources, methods, accessibility (data_sources view) and the site navigation
NAV_MAIN_CONTAINER = "nav-main-container"
NAV_FOOTER_CONTAINER = "nav-footer-container"
DATA_COUNT_TEXT = "data-count-text"
DATA_OBSERVATIONS_TABLE = "data-observations-table"
DATA_GRID_CONTAINER = "data-grid-container"  # the grid's box: marked ready once rows arrive
DATA_GRID_PICK = "data-grid-pick"  # which rows of the version's rows body the filters keep
DATA_GRID_PROBLEM = "data-grid-problem"  # says so when the rows could not be fetched
DATA_CSV_BUTTON = "data-csv-button"
DATA_CSV_DOWNLOAD = "data-csv-download"
DATA_SOURCES_TABLE = "data-sources-table"
DATA_SOURCES_BUTTON = "data-sources-button"
DATA_SOURCES_CONTAINER = "data-sources-container"


# Exports and embeds: each chart card's download menu and embed code, the view's slide deck,
# and the /embed/<chart> page
def export_download(chart: str) -> str:
    return _per_chart("export-chart-download", chart)


def export_notice(chart: str) -> str:
    return _per_chart("export-chart-notice", chart)


def export_embed_button(chart: str) -> str:
    """The 'copy embed code' button of one chart."""
    return _per_chart("export-embed-button", chart)


def export_embed_store(chart: str) -> str:
    """The embed code last made for one chart, on its way to the clipboard."""
    return _per_chart("export-embed-store", chart)


EXPORT_SLIDES_CONTAINER = "export-slides-container"
EXPORT_SLIDES_BUTTON = "export-slides-button"
EXPORT_SLIDES_DOWNLOAD = "export-slides-download"
EXPORT_SLIDES_NOTICE = "export-slides-notice"
# Shown while a deck is being built (a callback `running` output), hidden otherwise.
EXPORT_SLIDES_PROGRESS = "export-slides-progress"
EMBED_URL_LOCATION = "embed-url-location"
EMBED_TITLE_TEXT = "embed-chart-title-text"
EMBED_SUBTITLE_TEXT = "embed-chart-subtitle-text"
EMBED_SUMMARY_TEXT = "embed-chart-summary-text"
EMBED_CHART_GRAPH = "embed-chart-graph"
EMBED_TABLE_CONTAINER = "embed-chart-table-container"
EMBED_SOURCE_TEXT = "embed-chart-source-text"
EMBED_PAGE_NOTICE = "embed-page-notice"
EMBED_DASHBOARD_LINK = "embed-dashboard-link"


# Map view (home, "/"): its own graph, because measure and year changes patch the drawn figure
# instead of rebuilding it (the generic chart cards rebuild theirs).
MAP_AREA_GRAPH = "map-area-graph"
MAP_AREA_CONTAINER = "map-area-container"
MAP_DRAWN_STORE = "map-drawn-store"
MAP_VIEW_RADIO = "map-view-radio"
MAP_TABLE_CONTAINER = "map-table-container"
MAP_TITLE_TEXT = "map-title-text"
MAP_SUBTITLE_TEXT = "map-subtitle-text"
MAP_SUMMARY_TEXT = "map-summary-text"
MAP_SOURCE_TEXT = "map-source-text"
MAP_HEADLINE_TITLE_TEXT = "map-headline-title-text"
MAP_HEADLINE_CONTAINER = "map-headline-container"
MAP_PROFILE_CONTAINER = "map-profile-container"
MAP_UNITS_CONTAINER = "map-units-container"  # the list of units beside the map

# Revisions page (/revisions)
REVISIONS_LIST_CONTAINER = "revisions-list-container"


# Trends and investment views: notes under each chart (figures not drawn, and why)
def trends_notes(chart: str) -> str:
    return _per_chart("trends-notes-container", chart)


def investment_notes(section: str) -> str:
    """Notes under an investment chart, or (section "gaps") the units without a ratio."""
    return _per_chart("investment-notes-container", section)


def revisions_entry_heading(index: int) -> str:
    """The heading of the index-th entry of the Revisions page (labels its section)."""
    return f"revisions-entry-{index}-heading"


# Trends view: the topic tabs and the open topic's chart cards
TRENDS_TOPIC_RADIO = "trends-topic-radio"
TRENDS_TOPIC_CONTAINER = "trends-topic-container"
