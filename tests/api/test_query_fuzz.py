"""Generated query strings (Hypothesis) against every API list endpoint: a 200 or a 400 with
a JSON list of problems, never a 500, and never a filter silently ignored."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard.api.query import MAX_LIMIT, Query, QueryError, parse_query
from dashboard.api.rows import BY_NAME, known_values

NAMES = ["unit", "year", "metric", "category", "release", "status", "limit", "offset", "cursor",
         "format", "units", "", "unit[]", "UNIT", "x" * 200]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        [
            "kent",
            "national",
            "KENT",
            "kent,essex",
            ",",
            "2019-20",
            "2019/20",
            "9999-00",
            "funding",
            "reach",
            "1",
            "0",
            "-1",
            "1000",
            "1001",
            "99999999999999999999",
            "1e3",
            " 5",
            "csv",
            "json",
            "xml",
            "ZGZl",
            "%%",
            "\x00",
            "\ud800",
            "x" * 3000,
            "",
        ]
    ),
    st.text(max_size=40),
)
PAIRS = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=8)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(endpoint=st.sampled_from(sorted(BY_NAME)), pairs=PAIRS)
# A CSV answer has no JSON body: its rows are counted instead (found by a CI run).
@example(endpoint="metrics", pairs=[("format", "csv")])
@example(endpoint="observations", pairs=[("format", "csv"), ("limit", "1001")])
def test_any_query_gets_a_200_or_a_400_with_reasons(client, endpoint, pairs):
    query = "&".join(
        f"{quote(name, safe='')}={quote(value, safe='', errors='surrogatepass')}"
        for name, value in pairs
    )
    response = client.get(f"/api/v1/{endpoint}?{query}")
    assert response.status_code in (200, 400), (query, response.status_code)
    if response.status_code == 400:
        problems = response.get_json()["error"]["problems"]
        assert problems and all(p["message"] for p in problems)
    elif response.mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows and len(rows) - 1 <= MAX_LIMIT  # a header, then at most a page of rows
    else:
        assert len(response.get_json()["data"]) <= MAX_LIMIT


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=PAIRS)
def test_the_parser_only_ever_accepts_known_values(real_store, pairs):
    endpoint = BY_NAME["observations"]
    known = known_values(real_store, endpoint)
    try:
        query = parse_query(pairs, endpoint.filters, known)
    except QueryError as error:
        assert error.problems
        return
    assert isinstance(query, Query)
    for name, values in query.filters.items():
        assert set(values) <= set(known[name])
    assert 1 <= query.limit <= MAX_LIMIT and query.offset >= 0
    sent = {name for name, _ in pairs}
    assert sent <= {*known, "limit", "offset", "cursor", "format"}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(sorted(BY_NAME)),
    key=st.one_of(
        st.text(max_size=60), st.sampled_from(["kent", "1", "..", "%00", "a/b", "x" * 500])
    ),
)
# Digits that are not ASCII: "¹" passes str.isdigit() but not int(); "١" passes both.
@example(endpoint="releases", key="¹")
@example(endpoint="releases", key="١")
@example(endpoint="releases", key="1\n")
# A slash or a newline in a key: routing fails before any API view runs.
@example(endpoint="units", key="\n/")
@example(endpoint="units", key="/\n")
def test_any_key_in_the_path_gets_a_row_or_a_json_404(client, endpoint, key):
    response = client.get(f"/api/v1/{endpoint}/{quote(key, safe='', errors='surrogatepass')}")
    assert response.status_code in (200, 404), (key, response.status_code)
    assert response.mimetype == "application/json"
