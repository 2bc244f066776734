"""Callbacks of the investment view: notes under each chart and the units without a ratio."""

from __future__ import annotations

from dash import Dash, Input, Output, html

from callbacks.trends import notes_list, register_fitted_heights
from dashboard import ids, inputs
from dashboard.charts import charts_for_view
from dashboard.charts.investment import caveats_for, gaps_table
from dashboard.datastore import DataStore
from dashboard.selection import Selection
from layouts.chart_card import data_table

GAPS = "gaps"


def register(app: Dash, store: DataStore) -> None:
    register_fitted_heights(app, [spec.name for spec in charts_for_view("investment")])
    known = inputs.known_for(store)

    sections = [*(spec.name for spec in charts_for_view("investment")), GAPS]

    @app.callback(
        [Output(ids.investment_notes(section), "children") for section in sections],
        Input(ids.FILTER_UNIT_DROPDOWN, "value"),
        Input(ids.FILTER_YEAR_DROPDOWN, "value"),
        Input(ids.FILTER_MEASURE_DROPDOWN, "value"),
    )
    def fill_notes(units, year, measure):
        """Reading notes under each chart and, under the charts, the units left out and why."""
        selection, _ = inputs.selection(units, year, measure, known)
        return [
            gaps_section(store, selection)
            if section == GAPS
            else notes_list(caveats_for(selection), heading="How to read this chart")
            for section in sections
        ]


def gaps_section(store: DataStore, selection: Selection) -> list:
    """The units without a comparable pair, as a sentence and a table (Unit, why missing)."""
    gaps = gaps_table(store, selection)
    if gaps.empty:
        return [html.P("Every chosen unit has a comparable pair of figures.")]
    words = "unit has" if len(gaps) == 1 else "units have"
    return [
        html.P(
            f"{len(gaps)} {words} no funding and reach figures for the same period, so no "
            "cost per person can be worked out. Each is listed with the reason."
        ),
        data_table(
            gaps,
            "Units without comparable funding and reach figures",
            columns=["unit_name", "reason"],
        ),
    ]
