"""The data grid's rows: one body per data version, cached by the browser, picked by the filters.

What a user relies on: the grid shows exactly the figures (and order) the filters keep, as it
did when the callback sent the rows themselves; a change of filter does not send the rows
again; an address that is not the served version never gets a stale or cached answer.
"""

from __future__ import annotations

import dataclasses
import gzip
import json

import brotli
import pytest
from backports import zstd

from dashboard import catalogue, grid_feed, ids, serving
from dashboard.config import Settings
from dashboard.factory import create_app
from tests.grid_rows import flask_grid_rows, pick_request

CASES = [
    ([], None),
    (["kent"], None),
    (["london", "sussex"], "2019-20"),
    ([], "2022-23"),
    (["cleveland"], "2019-20"),  # a unit that started later: few or no figures that year
]
DECODERS = {"br": brotli.decompress, "zstd": zstd.decompress, "gzip": gzip.decompress}


@pytest.fixture(scope="module")
def client(real_store):
    return create_app(Settings.defaults(), real_store).server.test_client()


def _answer(client, units, year) -> dict:
    response = client.post("/_dash-update-component", json=pick_request(units, year))
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize(("units", "year"), CASES)
def test_the_grid_shows_the_filters_figures_in_the_tables_order(client, real_store, units, year):
    shown, sentence = flask_grid_rows(client, units, year)
    expected, count = catalogue.grid_for(real_store, units=units, year=year)
    assert shown == json.loads(json.dumps(expected))
    assert len(shown) == count
    total = len(real_store.observations)
    assert sentence == catalogue.count_sentence(count, total, units, year)


def test_a_change_of_filter_sends_places_not_rows(client, real_store):
    everything = _answer(client, [], None)
    one_unit = _answer(client, ["kent"], None)
    pick = everything["response"][ids.DATA_GRID_PICK]["data"]
    assert pick["pick"] is None  # every row: no list at all
    kent = one_unit["response"][ids.DATA_GRID_PICK]["data"]
    assert kent["rows"] == pick["rows"] == f"/_grid/{real_store.fingerprint}.json"
    assert all(isinstance(place, int) for place in kent["pick"])
    # Before, the answer for one unit carried its rows: here it is a few bytes per figure.
    body = client.post("/_dash-update-component", json=pick_request(["kent"], None)).get_data()
    assert len(body) < 200 + 6 * len(kent["pick"])


def test_the_rows_body_is_cached_for_good_and_revalidates(client, real_store):
    url = f"/_grid/{real_store.fingerprint}.json"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.mimetype == "application/json"
    assert plain.headers["Cache-Control"] == serving.IMMUTABLE
    assert "Content-Encoding" not in plain.headers
    rows = plain.get_json()
    assert len(rows) == len(real_store.observations)
    for encoding, decode in DECODERS.items():
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert decode(packed.get_data()) == plain.get_data()
        again = client.get(
            url, headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]}
        )
        assert again.status_code == 304
        assert again.get_data() == b""
    # What Chromium asks for: the smallest of the bodies, brotli.
    chromium = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert chromium.headers["Content-Encoding"] == "br"
    assert len(chromium.get_data()) < len(plain.get_data()) / 20


@pytest.mark.parametrize(
    "token",
    ["0" * 12, "old1v2", "x" * 65, "..", "v1%00", "caf%C3%A9", "a.b"],
)
def test_another_version_or_a_made_up_address_is_a_404_never_cached(client, token):
    response = client.get(f"/_grid/{token}.json")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["error"] == "not the data version served now"


def test_the_rows_body_is_written_and_compressed_once_per_data_version(real_store):
    fresh = dataclasses.replace(real_store)  # a new version of the same data: nothing kept yet
    grid_feed.prepare(fresh)
    first = grid_feed.rows_body(fresh)
    assert grid_feed.rows_body(fresh) is first
    assert set(first.encoded) == set(grid_feed.ENCODINGS)
