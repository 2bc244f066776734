"""What every chart hands to the page, the exports and the embeds: figure, words and data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.datastore import DataStore
from dashboard.selection import Selection


@dataclass(frozen=True)
class ChartResult:
    """A built chart and everything needed to show, explain and cite it.

    `table` holds exactly what the figure shows, one row per drawn value, with at least the
    columns `value_text` (the figure with its qualifier), `qualifier` and `citation`, so the
    table view, the CSV/XLSX download and the slide notes all say the same thing.

    `plot` is the figure as a builder made it: a go.Figure, or the plain dict of one. A page
    needs only the dict (`figure_json`), and wrapping twenty panels' dict in a go.Figure and
    unwrapping it again took as long as building them; exports and tests that read
    `figure` get the go.Figure, made on first use.
    """

    chart: str
    title: str
    subtitle: str
    source_line: str
    summary: str
    plot: go.Figure | dict[str, Any]
    table: pd.DataFrame
    caveats: tuple[str, ...] = ()

    @cached_property
    def figure(self) -> go.Figure:
        if isinstance(self.plot, go.Figure):
            return self.plot
        # Builders make their dicts from keys that tests/unit/test_figure_dicts.py validates.
        return go.Figure(self.plot, _validate=False)

    @property
    def draws_anything(self) -> bool:
        """Whether the figure has a trace (an empty selection's figure has none), read from the
        plot without writing it out."""
        data = self.plot.get("data") if isinstance(self.plot, dict) else self.plot.data
        return bool(data)

    @property
    def height(self) -> int | None:
        """The figure's own height in px, if it sets one."""
        if isinstance(self.plot, dict):
            return (self.plot.get("layout") or {}).get("height")
        return self.plot.layout.height

    def figure_json(self) -> dict[str, Any]:
        """The figure as Dash sends it: the builder's dict (shared, do not change it) with the
        template a go.Figure would give it, so that the page draws it as it drew the figure."""
        if not isinstance(self.plot, dict):
            return self.plot.to_plotly_json()
        layout = self.plot.get("layout", {})
        if "template" in layout:
            return self.plot
        return {**self.plot, "layout": {**layout, "template": default_template()}}


@cache
def default_template() -> dict[str, Any]:
    """plotly's default template as JSON, which go.Figure puts in every figure's layout (the
    house theme overrides most of it, not all). Shared by every answer: never change it."""
    return pio.templates[pio.templates.default].to_plotly_json()


ChartBuilder = Callable[[DataStore, Selection], ChartResult]


@dataclass(frozen=True)
class ChartSpec:
    """A chart the app offers: its stable name (used in URLs and exports) and its builder."""

    name: str
    title: str
    view: str
    build: ChartBuilder


def subtitle_for(measure: str, geography: str, period: str) -> str:
    """'Home Office VRU grant · 18 VRU areas · 2019/20': what, where and when, in one line."""
    return " · ".join(part for part in (measure, geography, period) if part)


def source_line_for(table: pd.DataFrame, column: str = "source_short") -> str:
    """'Source: APCC 2020; Home Office 2023' from the sources of the rows actually drawn."""
    if table.empty or column not in table.columns:
        return "Source: no figures for this selection"
    names = sorted(set(table[column].dropna()))
    return "Source: " + "; ".join(names) + ". Page or web address of each figure in the table."


def period_words(selection: Selection) -> str:
    return f"financial year {selection.year.replace('-', '/')}" if selection.year else "all periods"


def units_words(selection: Selection, store: DataStore, shown: int | None = None) -> str:
    """'all 18 VRU areas', '1 of 18 VRU areas (the others have no figure here)', or the names.

    `shown` is how many units the chart draws: a chart of one unit's figures never says
    'all 18'.
    """
    total = len(store.units)
    if not selection.units:
        if shown == 0:
            return f"none of the {total} VRU areas has a figure here"
        if shown is not None and shown < total:
            return f"{shown} of {total} VRU areas (the others have no figure here)"
        return f"all {total} VRU areas"
    names = store.units.set_index("unit_id").loc[list(selection.units), "area_name"]
    return ", ".join(names)
