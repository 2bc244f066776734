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


def _post(client, outputs: list[tuple[str, str]], inputs: list[dict], state=()) -> dict:
    body = {
        "output": (
            f"..{'...'.join(f'{i}.{p}' for i, p in outputs)}.."
            if len(outputs) > 1
            else f"{outputs[0][0]}.{outputs[0][1]}"
        ),
        "outputs": (
            [{"id": i, "property": p} for i, p in outputs]
            if len(outputs) > 1
            else {"id": outputs[0][0], "property": outputs[0][1]}
        ),
        "inputs": inputs,
        "state": list(state),
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def test_a_profile_graph_keeps_its_own_height_before_it_is_drawn(real_store) -> None:
    """The words arrive first and reserve the graph's room: the figure's own height, so nothing
    below moves when the graph is drawn (a dict figure once made this plotly's default 450)."""
    from dashboard.config import Settings
    from dashboard.factory import create_app

    client = create_app(Settings.defaults(), real_store).server.test_client()
    chart, path = "unit-funding-history", "/unit/london"
    where = [
        {"id": ids.URL_LOCATION, "property": "pathname", "value": path},
        {"id": ids.FILTER_YEAR_DROPDOWN, "property": "value", "value": None},
    ]
    words = _post(
        client,
        [
            (ids.profile_table(chart), "children"),
            (ids.profile_summary(chart), "children"),
            (ids.profile_subtitle(chart), "children"),
            (ids.profile_source(chart), "children"),
            (ids.profile_body_box(chart), "hidden"),
            (ids.profile_graph_box(chart), "style"),
        ],
        [*where, {"id": ids.profile_graph_box(chart), "property": "id", "value": "x"}],
        [{"id": ids.profile_view_switch(chart), "property": "value", "value": "chart"}],
    )
    graph = _post(
        client,
        [(ids.profile_graph_box(chart), "children")],
        [*where, {"id": ids.profile_in_view_store(chart), "property": "data", "value": True}],
    )
    figure = graph[ids.profile_graph_box(chart)]["children"]["props"]["figure"]
    height = figure["layout"]["height"]
    assert height and height != 450
    assert words[ids.profile_graph_box(chart)]["style"] == {"minHeight": f"{height}px"}
