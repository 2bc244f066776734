"""An empty profile chart is one line of text: no blank plot, no download, no embed code."""

from __future__ import annotations

from callbacks.profile import profile_figure_outputs
from dashboard import ids
from dashboard.charts import build_chart
from dashboard.selection import Selection
from layouts.profile import profile_page


def test_empty_reach_chart_becomes_one_line_without_tools(real_store) -> None:
    result = build_chart("unit-reach", real_store, Selection(("leicestershire",)))
    figure, body_hidden = profile_figure_outputs(result)
    assert body_hidden is True
    assert figure == {}
    assert result.summary == "No people reached figures for this unit; see the sources below."


def test_a_chart_with_figures_keeps_its_graph_and_tools(real_store) -> None:
    result = build_chart("unit-funding-history", real_store, Selection(("leicestershire",)))
    figure, body_hidden = profile_figure_outputs(result)
    assert body_hidden is False
    assert figure == result.figure_json()
    assert figure["data"]


def test_download_menu_and_graph_sit_inside_the_box_an_empty_chart_hides(real_store) -> None:
    unit = real_store.units.set_index("unit_id").loc["leicestershire"].to_dict()
    unit["unit_id"] = "leicestershire"
    page = profile_page(unit)
    body = _find(page, ids.profile_body_box("unit-reach"))
    inside = {getattr(c, "id", None) for c in _walk(body)}
    assert ids.profile_graph_box("unit-reach") in inside  # the graph is put here when seen
    assert any(isinstance(i, str) and "export" in i for i in inside if i)


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _find(node, wanted):
    return next(c for c in _walk(node) if getattr(c, "id", None) == wanted)
