"""The catalogue of charts: name -> spec. Views, exports, slides and embeds all build from here."""

from __future__ import annotations

from dashboard.charts import compare, investment, map_view, official_trends, profile, trends
from dashboard.charts.base import ChartResult, ChartSpec
from dashboard.datastore import DataStore
from dashboard.selection import Selection

__all__ = ["CHARTS", "ChartResult", "ChartSpec", "UnknownChartError", "build_chart"]

CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for module in (map_view, official_trends, trends, investment, profile, compare)
    for spec in module.SPECS
}


class UnknownChartError(KeyError):
    """A chart name that the catalogue does not have (e.g. a mistyped embed URL)."""


def build_chart(name: str, store: DataStore, selection: Selection) -> ChartResult:
    """Build one chart for a selection; raise UnknownChartError for a name not offered."""
    try:
        spec = CHARTS[name]
    except KeyError:
        raise UnknownChartError(name) from None
    return spec.build(store, selection)


def charts_for_view(view: str) -> list[ChartSpec]:
    return [spec for spec in CHARTS.values() if spec.view == view]
