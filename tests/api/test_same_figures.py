"""The same unit, year and measure give the same figure in the API as on the data page (its
grid, served by the real callback, and its CSV download) and in a profile chart's export."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard import catalogue, export
from dashboard.charts import build_chart
from dashboard.selection import Selection
from tests.grid_rows import flask_grid_rows

CASES = [(["kent"], "2019-20"), (["london", "sussex"], None), (["national"], "2022-23")]


def _grid_rows(client, units: list[str], year: str | None) -> list[dict]:
    """The data page's grid rows, from the app's own callback and rows body over HTTP."""
    rows, _ = flask_grid_rows(client, units, year)
    return rows


def _api_rows(client, units: list[str], year: str | None) -> list[dict]:
    query = "&".join([*(f"unit={u}" for u in units), *([f"year={year}"] if year else [])])
    rows: list[dict] = []
    url = f"/api/v1/observations?limit=1000&{query}"
    while url:
        body = client.get(url).get_json()
        rows += body["data"]
        url = body["links"]["next"]
    return rows


@pytest.mark.parametrize(("units", "year"), CASES)
def test_api_gives_the_grids_figures_word_for_word(client, units, year):
    grid = _grid_rows(client, [u for u in units if u != "national"], year)
    if "national" in units:
        grid = [row for row in grid if row["unit_name"] == "National programme"]
    api = {row["obs_id"]: row for row in _api_rows(client, units, year)}
    assert {row["obs_id"] for row in grid} == set(api)
    assert grid
    for row in grid:
        mine = api[row["obs_id"]]
        for name in ("value_text", "metric_label", "period_label", "unit_name", "source_title"):
            assert row[name] == (mine[name] or ""), (row["obs_id"], name)
        assert row["geography"] == (mine["geography"] or "")
        assert row["series"] == (mine["series"] or "")
        assert row["value"] == mine["value"]


@pytest.mark.parametrize(("units", "year"), CASES[:2])
def test_api_csv_cells_match_the_data_pages_csv_download(client, real_store, units, year):
    rows = catalogue.observation_rows(
        real_store.observations, real_store.sources, units=units, year=year
    )
    download = {
        row["obs_id"]: row for row in csv.DictReader(io.StringIO(catalogue.observations_csv(rows)))
    }
    query = "&".join([*(f"unit={u}" for u in units), *([f"year={year}"] if year else [])])
    text = client.get(f"/api/v1/observations?format=csv&limit=1000&{query}").get_data(as_text=True)
    api = list(csv.DictReader(io.StringIO(text)))
    assert {row["obs_id"] for row in api} == set(download)
    for row in api:
        theirs = download[row["obs_id"]]
        for name in catalogue.CSV_COLUMNS:
            assert row[name] == theirs[name], (row["obs_id"], name)


def test_a_charts_export_and_the_api_give_the_same_figure(client, real_store):
    selection = Selection(("kent",), None, "funding_home_office_vru")
    table = export.export_table(build_chart("unit-funding-history", real_store, selection))
    drawn = table.dropna(subset=["value"])
    assert len(drawn)
    api = {r["obs_id"]: r for r in _api_rows(client, ["kent"], None)}
    matched = 0
    for row in drawn.itertuples(index=False):
        mine = api[row.obs_id]
        assert float(mine["value"]) == float(row.value)
        assert mine["qualifier"] == row.qualifier
        assert mine["value_text"] == row.value_text
        assert mine["citation"] == row.citation
        matched += 1
    assert matched == len(drawn)
