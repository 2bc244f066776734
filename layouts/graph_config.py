"""The one plotly toolbar config every graph uses: no cloud upload, no second image button."""

from __future__ import annotations

from typing import Any

# Buttons taken off every toolbar. "Share chart" (sendDataToCloud / editInChartStudio) would
# upload the data to a third-party service; plotly's own camera button gives an unbranded,
# untitled PNG beside the chart's Download menu, which draws the titled, sourced image.
REMOVED_BUTTONS: tuple[str, ...] = (
    "sendDataToCloud",
    "editInChartStudio",
    "toImage",
    "select2d",
    "lasso2d",
)


def graph_config(*, scroll_zoom: bool | None = None, toolbar: bool = True) -> dict[str, Any]:
    """A fresh config dict for a dcc.Graph (zoom and reset stay where a chart has them)."""
    config: dict[str, Any] = {
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "modeBarButtonsToRemove": list(REMOVED_BUTTONS),
        # Plotly puts eight invisible drag boxes on the corners and ends of every panel's axes
        # (for stretching one axis with the mouse): 160 elements in twenty small multiples.
        # Zooming by dragging over the plot and the toolbar's zoom buttons stay.
        "showAxisDragHandles": False,
    }
    if scroll_zoom is not None:
        config["scrollZoom"] = scroll_zoom
    if not toolbar:
        config["displayModeBar"] = False
    return config
