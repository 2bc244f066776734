"""The catalogue of charts: name -> spec. Views, exports, slides and embeds all build from here."""

from __future__ import annotations

import dataclasses

from dashboard.charts import compare, investment, map_view, official_trends, profile, trends
from dashboard.charts.base import ChartResult, ChartSpec
from dashboard.datastore import DataStore
from dashboard.revisions import changed_on, with_change_date
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
    result = spec.build(store, selection)
    units = result.table["unit_id"].dropna() if "unit_id" in result.table else selection.units
    return dataclasses.replace(
        result, source_line=with_change_date(result.source_line, changed_on(store, units))
    )


def charts_for_view(view: str) -> list[ChartSpec]:
    return [spec for spec in CHARTS.values() if spec.view == view]
