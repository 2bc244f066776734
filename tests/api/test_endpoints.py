"""The /api/v1 endpoints over the real data: what a program reading the open data relies on."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from dashboard.api.query import MAX_LIMIT
from dashboard.catalogue import CSV_COLUMNS

TABLES = ("units", "metrics", "sources", "observations", "releases")


def _rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


@pytest.mark.parametrize("table", TABLES)
def test_every_table_answers_json_with_data_meta_and_links(client, table):
    response = client.get(f"/api/v1/{table}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"data", "meta", "links"}
    assert body["meta"]["table"] == table
    assert body["meta"]["total"] == int(response.headers["X-Total-Count"])
    assert body["links"]["describedby"] == "/api/v1/openapi.json"


def test_tables_hold_every_row_of_the_store(client, real_store):
    assert len(_rows(client, f"/api/v1/units?limit={MAX_LIMIT}")) == len(real_store.units) == 20
    assert len(_rows(client, f"/api/v1/metrics?limit={MAX_LIMIT}")) == len(real_store.metrics)
    assert len(_rows(client, f"/api/v1/sources?limit={MAX_LIMIT}")) == len(real_store.sources)
    total = client.get("/api/v1/observations").get_json()["meta"]["total"]
    assert total == len(real_store.observations)


def test_a_csv_store_has_no_releases_and_says_so_with_an_empty_list(client):
    body = client.get("/api/v1/releases").get_json()
    assert body["data"] == [] and body["meta"]["total"] == 0
    problems = client.get("/api/v1/observations?release=1").get_json()["error"]["problems"]
    assert problems[0]["parameter"] == "release" and "none" in problems[0]["message"]


def test_observation_fields_are_the_data_pages_csv_columns(client):
    row = _rows(client, "/api/v1/observations?limit=1")[0]
    assert tuple(row) == CSV_COLUMNS


def test_missing_figures_are_null_never_zero(client, real_store):
    chart_only = real_store.observations.loc[
        real_store.observations["value_status"].eq("chart_only"), "obs_id"
    ]
    assert len(chart_only)
    for obs_id in chart_only:
        row = client.get(f"/api/v1/observations/{obs_id}").get_json()["data"]
        assert row["value"] is None
        assert row["value_text"] != "0"


def test_filters_narrow_to_the_chosen_unit_metric_and_category(client):
    rows = _rows(client, "/api/v1/observations?unit=kent&unit=essex&limit=1000")
    assert rows and {r["unit_id"] for r in rows} == {"kent", "essex"}
    comma = _rows(client, "/api/v1/observations?unit=kent,essex&limit=1000")
    assert comma == rows
    funding = _rows(client, "/api/v1/observations?category=funding&limit=1000")
    assert funding and {r["category"] for r in funding} == {"funding"}
    metric = _rows(client, "/api/v1/observations?metric=funding_home_office_vru&limit=1000")
    assert metric and {r["metric_id"] for r in metric} == {"funding_home_office_vru"}
    national = _rows(client, "/api/v1/observations?unit=national&limit=5")
    assert {r["unit_id"] for r in national} == {"national"}
    measures = _rows(client, "/api/v1/metrics?category=reach&limit=1000")
    assert measures and {r["category"] for r in measures} == {"reach"}


def test_year_filter_keeps_figures_of_that_year_in_either_spelling(client):
    rows = _rows(client, "/api/v1/observations?year=2019-20&limit=1000")
    assert rows
    for row in rows:
        stated = row["financial_year"] == "2019-20"
        overlaps = (row["period_start"] or "9999") <= "2020-03-31" and (
            row["period_end"] or "0000"
        ) >= "2019-04-01"
        assert stated or overlaps, row["obs_id"]
    assert _rows(client, "/api/v1/observations?year=2019/20&limit=1000") == rows


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("unit=atlantis", "unit"),
        ("unit=KENT", "unit"),
        ("year=2031-32", "year"),
        ("year=twenty", "year"),
        ("metric=bogus", "metric"),
        ("category=funds", "category"),
        ("release=abc", "release"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-1", "limit"),
        ("limit=1e3", "limit"),
        ("offset=-5", "offset"),
        ("cursor=%%%", "cursor"),
        ("cursor=abc&offset=2", "cursor"),
        ("format=xml", "format"),
        ("units=kent", "units"),
        ("limit=5&limit=6", "limit"),
    ],
)
def test_a_value_not_understood_is_a_400_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/v1/observations?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    problems = response.get_json()["error"]["problems"]
    assert parameter in {p["parameter"] for p in problems}
    assert all(p["message"] for p in problems)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_every_problem_is_listed_at_once(client):
    response = client.get("/api/v1/observations?unit=atlantis&year=1900-01&colour=red")
    names = [p["parameter"] for p in response.get_json()["error"]["problems"]]
    assert sorted(names) == ["colour", "unit", "year"]


def test_an_unknown_unit_lists_the_known_ones(client):
    problem = client.get("/api/v1/observations?unit=atlantis").get_json()["error"]["problems"][0]
    assert "kent" in problem["message"] and "national" in problem["message"]


def test_unknown_rows_and_addresses_are_json_404s(client):
    for url in ("/api/v1/observations/nope", "/api/v1/units/atlantis", "/api/v1/nothing/here"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json()["error"]["status"] == 404


def test_one_row_by_its_key(client):
    row = client.get("/api/v1/units/kent").get_json()["data"]
    assert row["unit_id"] == "kent" and row["name"].startswith("Kent")
    assert client.get("/api/v1/releases/1").status_code == 404


def test_the_api_is_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/v1/observations")
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"]
        assert "error" in response.get_json()


def test_offset_paging_walks_every_row_once(client):
    total = client.get("/api/v1/units").get_json()["meta"]["total"]
    seen = []
    for offset in range(0, total, 7):
        body = client.get(f"/api/v1/units?limit=7&offset={offset}").get_json()
        seen += [row["unit_id"] for row in body["data"]]
        assert body["meta"]["offset"] == offset
    assert len(seen) == len(set(seen)) == total
    assert seen == sorted(seen)
    last = client.get(f"/api/v1/units?limit=7&offset={total - 1}").get_json()
    assert last["links"]["next"] is None and last["links"]["prev"]
    beyond = client.get("/api/v1/units?offset=500").get_json()
    assert beyond["data"] == [] and beyond["meta"]["total"] == total


def test_cursor_paging_follows_next_links_through_every_figure(client, real_store):
    url = "/api/v1/observations?limit=1000&unit=kent,london,national"
    seen: list[str] = []
    pages = 0
    while url:
        response = client.get(url)
        body = response.get_json()
        seen += [row["obs_id"] for row in body["data"]]
        url = body["links"]["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
        pages += 1
        assert pages < 20
    wanted = real_store.observations["unit_id"].isin(["kent", "london", "national"])
    assert len(seen) == len(set(seen)) == int(wanted.sum())
    assert pages == -(-len(seen) // 1000)


def test_csv_by_format_or_accept_header_with_the_same_cells(client):
    by_format = client.get("/api/v1/observations?unit=kent&format=csv&limit=1000")
    by_accept = client.get(
        "/api/v1/observations?unit=kent&limit=1000", headers={"Accept": "text/csv"}
    )
    assert by_format.status_code == by_accept.status_code == 200
    assert by_format.mimetype == by_accept.mimetype == "text/csv"
    assert by_format.data == by_accept.data
    rows = list(csv.DictReader(io.StringIO(by_format.get_data(as_text=True))))
    records = _rows(client, "/api/v1/observations?unit=kent&limit=1000")
    assert [r["obs_id"] for r in rows] == [r["obs_id"] for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row["value_text"] == record["value_text"]
        assert row["qualifier"] == record["qualifier"]
        assert row["value"] == ("" if record["value"] is None else str(record["value"]))
    browser = client.get("/api/v1/units", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.mimetype == "application/json"
    assert "Accept" in client.get("/api/v1/units").headers["Vary"]


def test_csv_cells_cannot_run_as_formulas(real_store):
    from dashboard.api import http
    from dashboard.api.tables import OBSERVATIONS, records

    frame = real_store.observations.head(3).copy()
    frame["note"] = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)"]
    frame.loc[frame.index[0], "value"] = -13.5
    text = http.frame_csv(OBSERVATIONS, frame, records(OBSERVATIONS, frame))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["note"] for r in rows] == ['\'=HYPERLINK("http://x")', "'+1+1", "'@SUM(A1)"]
    assert rows[0]["value"] == "-13.5"  # a number stays a number


def test_etag_gives_304_and_a_changed_query_does_not(client):
    first = client.get("/api/v1/observations?unit=kent")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/observations?unit=kent", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/observations?unit=essex", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert first.headers["Cache-Control"] == "public, no-cache"


def test_a_compressed_answer_revalidates_too(client):
    response = client.get("/api/v1/observations?limit=200", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.data))["meta"]["returned"] == 200
    etag = response.headers["ETag"]
    assert etag.endswith(':gzip"')
    again = client.get(
        "/api/v1/observations?limit=200",
        headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
    )
    assert again.status_code == 304


def test_head_gives_the_headers_without_a_body(client):
    get = client.get("/api/v1/metrics")
    head = client.head("/api/v1/metrics")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_cors_is_open_for_get_and_preflight_allows_get_only(client):
    response = client.get("/api/v1/units", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/api/v1/units",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    page = client.get("/data")
    assert "Access-Control-Allow-Origin" not in page.headers


def test_security_headers_stay_and_json_still_parses(client):
    response = client.get("/api/v1/units")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.status_code == 200  # not turned into a 404 by the page check
    assert response.get_json()["data"]


def test_openapi_describes_every_endpoint_and_field_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for table in TABLES:
        assert f"/api/v1/{table}" in doc["paths"]
        schema = doc["components"]["schemas"][table]
        rows = _rows(client, f"/api/v1/{table}?limit=3")
        for row in rows:
            assert set(row) <= set(schema["properties"]), table
    params = {p["name"] for p in doc["paths"]["/api/v1/observations"]["get"]["parameters"]}
    assert {"unit", "year", "metric", "category", "release", "limit", "offset", "cursor"} <= params
    limit = next(
        p for p in doc["paths"]["/api/v1/units"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == MAX_LIMIT
    for path in doc["paths"]:
        if "{" not in path:
            assert client.get(path).status_code == 200, path


def test_api_errors_are_logged_as_one_line_without_the_query(client):
    """limits.py logs every 4xx as one line (rate-limited per template by RateLimitFilter on
    the root handlers, so a scripted client's 400s cannot flood the log); the query, which
    may hold anything a client typed, is not written."""
    import logging

    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    logger = logging.getLogger("dashboard.limits")
    handler = Keep(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        client.get("/api/v1/observations?unit=secret-token-123")
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 1 and "answered 400" in seen[0]
    assert "/api/v1/observations" in seen[0] and "secret-token-123" not in seen[0]


def test_the_data_page_links_the_package_and_the_api(client):
    from layouts.data_sources import API_DOCS_URL, DATAPACKAGE_URL, data_page

    page = json.dumps(data_page(0, []).to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert DATAPACKAGE_URL in page and API_DOCS_URL in page
    assert client.get(DATAPACKAGE_URL).mimetype == "application/zip"
