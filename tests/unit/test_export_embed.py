"""Embedding over HTTP (Flask test client): who may frame which page, and the embed layout."""

from __future__ import annotations

import dataclasses
import json

import pytest

from dashboard import ids
from dashboard.charts import CHARTS
from dashboard.config import Settings
from dashboard.embed import (
    EMBED_HEIGHT_PX,
    embed_chart_name,
    embed_height,
    embed_snippet,
    frame_ancestors,
)
from dashboard.factory import create_app

ALLOWED = "http://127.0.0.2:8765"
A_CHART = next(iter(CHARTS))


@pytest.fixture(scope="module")
def client(real_store):
    settings = dataclasses.replace(Settings.defaults(), embed_origins=(ALLOWED, "bad;origin"))
    return create_app(settings, real_store).server.test_client()


def _frame_ancestors(response) -> str:
    """The framing part of the policy (the rest is checked in tests/http/test_hardening.py)."""
    parts = response.headers["Content-Security-Policy"].split("; ")
    return next(part for part in parts if part.startswith("frame-ancestors"))


@pytest.mark.parametrize("path", ["/", "/trends", "/investment", "/unit/kent", "/data"])
def test_every_page_but_embeds_refuses_to_be_framed(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert _frame_ancestors(response) == "frame-ancestors 'none'"


@pytest.mark.parametrize("chart", list(CHARTS))
def test_embed_pages_may_be_framed_by_the_configured_origins_only(client, chart):
    response = client.get(f"/embed/{chart}?year=2019-20")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert _frame_ancestors(response) == f"frame-ancestors 'self' {ALLOWED}"


def test_an_embed_of_an_unknown_chart_is_not_found(client):
    response = client.get("/embed/no-such-chart")
    assert response.status_code == 404
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]


def _ids(layout) -> set[str]:
    text = json.dumps(layout)
    return {
        i for i in (ids.EMBED_CHART_GRAPH, ids.FILTER_UNIT_DROPDOWN, ids.URL_LOCATION) if i in text
    }


def test_embed_pages_get_the_bare_layout_and_others_the_full_shell(client):
    embed = client.get(
        "/_dash-layout", headers={"Referer": f"http://x/embed/{A_CHART}?year=2019-20"}
    )
    assert _ids(json.loads(embed.data)) == {ids.EMBED_CHART_GRAPH}
    assert "Referer" in embed.headers["Vary"]
    main = client.get("/_dash-layout", headers={"Referer": "http://x/trends"})
    assert _ids(json.loads(main.data)) == {ids.FILTER_UNIT_DROPDOWN, ids.URL_LOCATION}
    assert _ids(json.loads(client.get("/_dash-layout").data)) == {
        ids.FILTER_UNIT_DROPDOWN,
        ids.URL_LOCATION,
    }


def test_main_layout_offers_slides_and_every_chart_card_a_download_menu(real_store):
    app = create_app(Settings.defaults(), real_store)
    text = json.dumps(app.validation_layout.to_plotly_json(), default=str)
    assert ids.EXPORT_SLIDES_BUTTON in text
    for chart in CHARTS:
        card_ids = [ids.export_button(chart, "csv"), ids.export_download(chart)]
        if json.dumps(ids.chart_graph(chart)) in text:  # a generic chart card
            assert all(json.dumps(i) in text for i in card_ids), chart
    # String ids only: checkers that build CSS selectors from ids choke on JSON ones.
    assert '"id": {' not in text


def test_invalid_origins_are_left_out_of_the_policy():
    assert frame_ancestors(["https://a.example", "x; script-src *", "*"]) == (
        "'self' https://a.example *"
    )


def test_embed_snippet_is_an_escaped_titled_iframe_with_the_same_query():
    snippet = embed_snippet("https://vru.example", "funding", "?unit=kent&year=2019-20", 'A "b"')
    assert snippet.startswith('<iframe src="https://vru.example/embed/funding?unit=kent&amp;')
    assert 'title="A &quot;b&quot;"' in snippet and 'loading="lazy"' in snippet


def test_embed_chart_name_reads_the_path():
    assert embed_chart_name("/embed/area-map") == "area-map"
    assert embed_chart_name("/embed/") is None
    assert embed_chart_name("/trends") is None


def test_embed_frames_make_room_for_tall_charts_within_bounds():
    assert embed_height(None) == EMBED_HEIGHT_PX
    assert embed_height(300) == EMBED_HEIGHT_PX
    assert embed_height(900) == 900 + 260
    assert embed_height(50_000) == 2000
