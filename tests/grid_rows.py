"""The data page's grid rows as a browser gets them: the filters' callback over HTTP, then the
rows body it names (dashboard/grid_feed.py), picked as dashboard/assets/clientside.js does."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dashboard import ids

PICK_REQUEST_OUTPUT = f"..{ids.DATA_GRID_PICK}.data...{ids.DATA_COUNT_TEXT}.children.."


def pick_request(units: list[str], year: str | None) -> dict[str, Any]:
    """The body Dash posts when the unit or year filter changes on the data page."""
    return {
        "output": PICK_REQUEST_OUTPUT,
        "outputs": [
            {"id": ids.DATA_GRID_PICK, "property": "data"},
            {"id": ids.DATA_COUNT_TEXT, "property": "children"},
        ],
        "inputs": [
            {"id": ids.FILTER_UNIT_DROPDOWN, "property": "value", "value": units},
            {"id": ids.FILTER_YEAR_DROPDOWN, "property": "value", "value": year},
        ],
        "changedPropIds": [f"{ids.FILTER_UNIT_DROPDOWN}.value"],
    }


def shown_rows(answer: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the grid shows for a callback answer, given the rows body it named."""
    pick = answer["response"][ids.DATA_GRID_PICK]["data"]["pick"]
    return rows if pick is None else [rows[place] for place in pick]


def grid_rows(
    post: Callable[[str, bytes], bytes], get: Callable[[str], bytes], units: list[str], year=None
) -> tuple[list[dict[str, Any]], str]:
    """(rows shown, count sentence) for the filters, through any HTTP client.

    `post(path, json body)` and `get(path)` return the decoded response body.
    """
    answer = json.loads(
        post("/_dash-update-component", json.dumps(pick_request(units, year)).encode())
    )
    url = answer["response"][ids.DATA_GRID_PICK]["data"]["rows"]
    rows = json.loads(get(url))
    return shown_rows(answer, rows), answer["response"][ids.DATA_COUNT_TEXT]["children"]


def flask_grid_rows(client: Any, units: list[str], year=None) -> tuple[list[dict[str, Any]], str]:
    """`grid_rows` with a Flask test client."""

    def post(path: str, body: bytes) -> bytes:
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response.get_data()

    def get(path: str) -> bytes:
        response = client.get(path, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, path
        return response.get_data()

    return grid_rows(post, get, units, year)
