"""Charts of the map view (filled in by its own work item)."""

from __future__ import annotations

from dashboard.charts.base import ChartSpec

SPECS: tuple[ChartSpec, ...] = ()
