"""An export of a long ranking shows the rows that fit, whole and unchanged, and names the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import ChartResult
from dashboard.export.images import image_figure, rows_that_fit
from dashboard.figures.dot_compare import build_dot_compare
from dashboard.figures.ranked_bar import build_ranked_bar
from dashboard.figures.row_cap import category_rows, labels_on_rows, top_rows


def _ranking(count: int) -> go.Figure:
    frame = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(count)],
            "unit_name": [f"Unit {i}" for i in range(count)],
            "value": np.arange(1, count + 1, dtype=float) * 1000,
            "value_text": [f"up to £{i},000" for i in range(1, count + 1)],
            "hover_text": [f"Unit {i}" for i in range(count)],
            "qualifier": ["up_to"] * count,
        }
    )
    return go.Figure(build_ranked_bar(frame))


def _result(figure: go.Figure) -> ChartResult:
    return ChartResult(
        chart="test",
        title="A ranking",
        subtitle="£ · all units",
        source_line="Source: a test",
        summary="",
        plot=figure,
        table=pd.DataFrame(),
    )


def test_top_rows_keeps_the_largest_bars_with_their_words_and_bound_marks():
    figure, left_out = top_rows(_ranking(30), 5)
    assert left_out == 25
    bars = figure.data[0]
    assert list(bars.y) == [f"Unit {i}" for i in range(25, 30)]
    assert list(bars.x) == [26000.0, 27000.0, 28000.0, 29000.0, 30000.0]
    assert list(bars.text)[-1].strip() == "up to £30,000"
    markers = [t for t in figure.data[1:] if t.y is not None]
    assert markers and all(set(t.y) <= set(bars.y) for t in markers)
    assert list(figure.layout.yaxis.categoryarray) == list(bars.y)
    notes = [n.y for n in figure.layout.annotations if n.yref == "y"]
    assert sorted(notes) == sorted(bars.y)


def test_an_export_of_a_long_ranking_says_how_many_rows_it_leaves_out():
    ranking = _ranking(40)
    fit = rows_that_fit(ranking, category_rows(ranking)[1])
    assert 3 <= fit < 40
    figure = image_figure(_result(ranking), (640, 360))
    subtitle = figure.layout.title.text + str(figure.layout.title.subtitle.text)
    shown = len(figure.layout.yaxis.categoryarray)
    assert f"{shown} of 40 rows shown (all in the data download)" in subtitle


def test_a_short_ranking_is_exported_whole():
    figure = image_figure(_result(_ranking(4)), (640, 360))
    assert len(figure.layout.yaxis.categoryarray) == 4
    assert "rows shown" not in str(figure.layout.title.subtitle.text)


def test_the_chosen_unit_stays_when_only_the_top_rows_fit():
    count = 30
    frame = pd.DataFrame(
        {
            "group_key": ["grant"] * count,
            "group_label": ["Grant"] * count,
            "row_label": [f"Unit {i}" for i in range(count)],
            "is_focus": [i == 2 for i in range(count)],
            "is_drawn": [True] * count,
            "value": [float(i) for i in range(count)],
            "value_text": [f"£{i}" for i in range(count)],
            "hover_text": [f"Unit {i}" for i in range(count)],
        }
    )
    figure, _ = top_rows(go.Figure(build_dot_compare(frame, focus_name="Unit 2")), 4)
    shown = list(figure.layout.yaxis.categoryarray)
    assert "Unit 2" in shown and "Unit 29" in shown and len(shown) == 4


def test_labels_above_bars_sit_on_their_own_row_in_axis_units():
    figure = labels_on_rows(_ranking(3))
    order = list(figure.layout.yaxis.categoryarray)
    for note in figure.layout.annotations:
        if note.yref == "y":
            assert isinstance(note.y, float)
            assert 0 < note.y - int(note.y) < 0.5  # above its bar, below the next one
            assert order[int(note.y)] in note.text
