"""Figures built as plain dicts are exactly what plotly's checked objects would make of them.

Why: the busiest builders assemble their traces and layout as dicts and wrap them without
plotly's validation, because validating every key was most of a chart's first answer after a
release. Nothing then stops a misspelt key or a value plotly would coerce from reaching the
browser, except this: every such figure, for every unit, is passed through plotly's validation
and must come out unchanged (plotly raises on an unknown key, and any coercion shows as a
difference).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.charts import build_chart
from dashboard.datastore import DataStore
from dashboard.selection import Selection

DICT_BUILT_CHARTS = (
    "unit-funding-history",
    "unit-reach",
    "unit-outcomes",
    "compare-units",
    "knife-offences-series",
    "knife-rate-series",
    "school-exclusions",
    "suspension-rates",
    "funding-reach-scatter",
    "funding-per-person",
    "funding-by-year",
)


def _as_json(figure: go.Figure | dict) -> dict:
    return json.loads(pio.to_json(figure, validate=False))


def _selections(store: DataStore) -> list[Selection]:
    units = list(store.units["unit_id"])
    years = sorted(store.observations["financial_year"].dropna().unique())
    return [
        Selection(),
        *(Selection((unit,)) for unit in units),
        Selection((units[0],), str(years[-1])),
        Selection(tuple(units[:4])),
    ]


@pytest.mark.parametrize("chart", DICT_BUILT_CHARTS)
def test_dict_built_figures_pass_plotly_validation_unchanged(
    chart: str, real_store: DataStore
) -> None:
    drawn = 0
    for selection in _selections(real_store):
        result = build_chart(chart, real_store, selection)
        built = _as_json(result.figure)
        checked = _as_json(go.Figure(result.figure.to_dict()))
        assert checked == built, f"{chart} for {selection}"
        # What the page is sent (the builder's own dict) is the figure the exports read,
        # template included: the page draws what a go.Figure would have drawn.
        sent = result.figure_json()
        assert sent["layout"]["template"] == go.Figure().to_plotly_json()["layout"]["template"]
        assert _as_json(go.Figure(sent, _validate=False)) == built, f"{chart} for {selection}"
        drawn += bool(built["data"])
    # The loop drew real panels, not only 'choose a unit' figures.
    assert drawn >= 3


def test_empty_figures_are_the_ones_plotly_would_build() -> None:
    """The 'nothing to draw' figures, built as dicts, match the same steps through plotly."""
    from dashboard.figures.qualifier_marks import EMPTY_HEIGHT, compact_empty
    from dashboard.figures.theme import apply_theme, empty_figure, empty_plot

    message = "No official figures for this selection, for a message long enough to wrap"
    expected = go.Figure()
    expected.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 16, "color": "#212529"},
    )  # fmt: skip
    expected.update_xaxes(visible=False)
    expected.update_yaxes(visible=False)
    apply_theme(expected)
    assert _as_json(empty_figure(message)) == _as_json(expected)
    # The dicts builders hand on, as the exports wrap them, and through plotly's validation.
    assert _as_json(go.Figure(empty_plot(message), _validate=False)) == _as_json(expected)
    compact = _as_json(go.Figure(compact_empty(message), _validate=False))
    assert compact["layout"]["height"] == EMPTY_HEIGHT
    assert compact["layout"]["annotations"][0]["text"].count("<br>") == 2
    assert _as_json(go.Figure(compact_empty(message))) == compact
