"""The served app, through Flask's test client: page, layout, callbacks and offline assets."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard.config import PROJECT_ROOT, Settings
from dashboard.factory import BOOTSTRAP_URL, create_app


@pytest.fixture(scope="module")
def app(real_store):
    return create_app(Settings.defaults(), real_store)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _ids(component) -> list:
    """Every id in a serialised layout, depth first."""
    found = []
    if isinstance(component, dict):
        props = component.get("props", {})
        if "id" in props:
            found.append(props["id"])
        for value in props.values():
            found += _ids(value)
    elif isinstance(component, list):
        for item in component:
            found += _ids(item)
    return found


def test_index_declares_its_language_and_loads_no_external_resource(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert BOOTSTRAP_URL in page
    assert "https://" not in page and "http://" not in page


def test_bootstrap_css_is_served_by_the_app(client):
    response = client.get(BOOTSTRAP_URL)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert b"Bootstrap" in response.data[:200]


def test_layout_ids_are_unique(client):
    layout = json.loads(client.get("/_dash-layout").data)
    found = [json.dumps(i, sort_keys=True) for i in _ids(layout)]
    assert len(found) == len(set(found))


def test_every_callback_id_exists_in_the_validation_layout(app, client):
    layout = json.loads(json.dumps(app.validation_layout, cls=PlotlyJSONEncoder))
    known_plain = {i for i in _ids(layout) if isinstance(i, str)}
    for callback in json.loads(client.get("/_dash-dependencies").data):
        for dep in [*callback["inputs"], *callback.get("state", [])]:
            dep_id = dep["id"]
            if dep_id.startswith("{"):
                continue  # pattern-matching ids are checked by their own view tests
            assert dep_id in known_plain, f"callback input {dep_id} is in no layout"
        for output in callback["output"].strip(".").split("..."):
            out_id = output.rsplit(".", 1)[0]
            if not out_id.startswith("{"):
                assert out_id in known_plain, f"callback output {out_id} is in no layout"


def test_units_callback_returns_the_chosen_unit_only(client):
    payload = {
        "output": "..units-overview-container.children...units-summary-text.children..",
        "outputs": [
            {"id": "units-overview-container", "property": "children"},
            {"id": "units-summary-text", "property": "children"},
        ],
        "inputs": [
            {"id": "filters-unit-dropdown", "property": "value", "value": ["northumbria"]},
            {"id": "filters-year-dropdown", "property": "value", "value": None},
        ],
        "changedPropIds": ["filters-unit-dropdown.value"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Northumbria" in body and "Merseyside" not in body
    assert "Showing 1 of 20 units" in body


def test_broken_data_stops_start_up_with_one_clear_message(data_copy):
    path = data_copy / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("value")] = "lots"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "VRU_DATA_DIR": str(data_copy), "VRU_PORT": "0"}
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "observations.csv, line 2, column 'value': must be a number" in result.stderr


@pytest.mark.parametrize("unit_id", ["cleveland", "humberside"])
def test_profile_of_a_unit_cited_by_url_loads(app, client, unit_id):
    """Units added in 2022/23 cite a web page, not a page number; their profile still loads."""
    key = next(k for k in app.callback_map if "profile-details-source-text" in k)
    callback = app.callback_map[key]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in key.strip(".").split("...")
    ]
    path_input, year_input = (item["id"] for item in callback["inputs"][:2])
    payload = {
        "output": key,
        "outputs": outputs,
        "inputs": [
            {"id": path_input, "property": "pathname", "value": f"/unit/{unit_id}"},
            {"id": year_input, "property": "value", "value": None},
        ],
        "changedPropIds": [f"{path_input}.pathname"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Police and Crime Commissioner" in body or "Partnership" in body
    assert "https:" in body
