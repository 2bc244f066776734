"""No graph offers plotly's cloud upload ("Share chart") or its second, unbranded image button."""

from __future__ import annotations

from collections.abc import Iterator

from dash import dcc

from callbacks.routing import view_pages
from dashboard.datastore import DataStore
from layouts.embed import embed_shell
from layouts.graph_config import REMOVED_BUTTONS, graph_config
from layouts.profile import profile_page

CLOUD_FLAGS = ("showSendToCloud", "showEditInChartStudio", "showLink")


def _components(node: object) -> Iterator[object]:
    """Every component in a layout tree, depth first."""
    yield node
    children = getattr(node, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _components(child)


def _graphs(store: DataStore) -> list[tuple[str, dcc.Graph]]:
    layouts = {path: build() for path, build in view_pages(store).items()}
    for unit in store.units.to_dict("records"):
        layouts[f"/unit/{unit['unit_id']}"] = profile_page(unit)
    layouts["/embed"] = embed_shell("attribution")
    found = []
    for path, layout in layouts.items():
        found += [(path, c) for c in _components(layout) if isinstance(c, dcc.Graph)]
    return found


def test_shared_config_removes_share_and_image_buttons_but_keeps_zoom() -> None:
    config = graph_config()
    assert all(config[flag] is False for flag in CLOUD_FLAGS)
    assert {"toImage", "sendDataToCloud", "editInChartStudio"} <= set(REMOVED_BUTTONS)
    assert not {"zoomIn2d", "zoomOut2d", "resetScale2d", "resetViews"} & set(REMOVED_BUTTONS)
    assert graph_config() is not graph_config(), "a fresh dict each time (no shared state)"


def test_every_graph_of_every_page_and_embed_hides_cloud_and_image_buttons(real_store) -> None:
    graphs = _graphs(real_store)
    paths = {path for path, _graph in graphs}
    assert {"/", "/unit/northumbria", "/embed"} <= paths
    for path, graph in graphs:
        config = getattr(graph, "config", None) or {}
        where = f"{path} {graph.id}"
        assert all(config.get(flag) is False for flag in CLOUD_FLAGS), where
        toolbar_off = config.get("displayModeBar") is False or config.get("staticPlot") is True
        removed = set(config.get("modeBarButtonsToRemove") or [])
        assert toolbar_off or {"toImage", "sendDataToCloud", "editInChartStudio"} <= removed, where
