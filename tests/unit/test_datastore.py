"""Loading and validating the tables: good files load, broken files are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import schema
from dashboard.datastore import DataError, load_store
from tests import synthetic


def _rewrite(path: Path, change) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = change(frame)
    (frame if changed is None else changed).to_csv(path, index=False)


def test_synthetic_tables_load_with_types(synthetic_store):
    obs = synthetic_store.observations
    assert obs["value"].dtype == "Float64"
    assert pd.api.types.is_datetime64_any_dtype(obs["period_start"])
    assert synthetic_store.unit_ids == ("alpha", "beta", "gamma")
    assert synthetic_store.financial_years == ("2019-20", "2020-21")


def test_qualifiers_survive_loading(synthetic_store):
    obs = synthetic_store.observations.set_index("obs_id")
    assert obs.loc["s-001", "qualifier"] == "over"
    assert obs.loc["s-001", "value_text"] == "over £1m"
    assert obs.loc["s-007", "value_text"] == "up to £35m"
    assert bool(obs.loc["s-001", "is_lower_bound"])


def test_chart_only_figure_stays_missing_not_zero(synthetic_store):
    row = synthetic_store.observations.set_index("obs_id").loc["s-006"]
    assert pd.isna(row["value"])
    assert "chart" in row["value_text"]


def test_citation_uses_page_or_url(synthetic_store):
    obs = synthetic_store.observations.set_index("obs_id")
    assert obs.loc["s-001", "citation"] == "TST 2020, p. 4"
    assert "https://example.org/b" in obs.loc["s-004", "citation"]


# Each table broken in a typical way -> (file, line, column, words of the rule)
CORRUPTIONS = {
    "units-missing-column": (
        "units",
        lambda f: f.drop(columns=["unit_type"]),
        ("units.csv", "line 1", "'unit_type'", "missing"),
    ),
    "units-bad-number": (
        "units",
        lambda f: f.loc.__setitem__((0, "page"), "four"),
        ("units.csv", "line 2", "'page'", "whole number"),
    ),
    "units-duplicate-key": (
        "units",
        lambda f: f.loc.__setitem__((1, "unit_id"), f.loc[0, "unit_id"]),
        ("units.csv", "line 2", "'unit_id'", "unique"),
    ),
    "units-bad-type": (
        "units",
        lambda f: f.loc.__setitem__((0, "unit_type"), "Task force"),
        ("units.csv", "line 2", "'unit_type'", "one of"),
    ),
    "units-bad-start-year": (
        "units",
        lambda f: f.loc.__setitem__((0, "start_year"), "2019"),
        ("units.csv", "line 2", "'start_year'", "financial year"),
    ),
    "units-no-page-or-url": (
        "units",
        lambda f: f.loc.__setitem__((0, ["page", "url"]), ""),
        ("units.csv", "line 2", "'page'", "page or a url"),
    ),
    "metrics-funding-without-money-kind": (
        "metrics",
        lambda f: f.loc.__setitem__((0, "money_kind"), ""),
        ("metrics.csv", "line 2", "'money_kind'", "needs a money_kind"),
    ),
    "metrics-bad-money-kind": (
        "metrics",
        lambda f: f.loc.__setitem__((0, "money_kind"), "pocket_money"),
        ("metrics.csv", "line 2", "'money_kind'", "one of"),
    ),
    "metrics-money-kind-on-a-count": (
        "metrics",
        lambda f: f.loc.__setitem__((f["metric_id"] == "reach_total", "money_kind"), "unit_grant"),
        ("metrics.csv", "'money_kind'", "only for funding metrics in gbp"),
    ),
    "metrics-missing-column": (
        "metrics",
        lambda f: f.drop(columns=["category"]),
        ("metrics.csv", "line 1", "'category'", "missing"),
    ),
    "metrics-duplicate-key": (
        "metrics",
        lambda f: f.loc.__setitem__((1, "metric_id"), f.loc[0, "metric_id"]),
        ("metrics.csv", "line 3", "'metric_id'", "unique"),
    ),
    "metrics-bad-category": (
        "metrics",
        lambda f: f.loc.__setitem__((0, "category"), "money"),
        ("metrics.csv", "line 2", "'category'", "one of"),
    ),
    "observations-bad-number": (
        "observations",
        lambda f: f.loc.__setitem__((0, "value"), "1,000"),
        ("observations.csv", "line 2", "'value'", "number"),
    ),
    "observations-unknown-unit": (
        "observations",
        lambda f: f.loc.__setitem__((2, "unit_id"), "atlantis"),
        ("observations.csv", "line 4", "'unit_id'", "unknown unit_id"),
    ),
    "observations-unknown-metric": (
        "observations",
        lambda f: f.loc.__setitem__((0, "metric_id"), "happiness"),
        ("observations.csv", "line 2", "'metric_id'", "unknown metric_id"),
    ),
    "observations-duplicate-key": (
        "observations",
        lambda f: f.loc.__setitem__((3, "obs_id"), f.loc[0, "obs_id"]),
        ("observations.csv", "line 5", "'obs_id'", "unique"),
    ),
    "observations-no-source": (
        "observations",
        lambda f: f.loc.__setitem__((0, "source_id"), ""),
        ("observations.csv", "line 2", "'source_id'", "must not be empty"),
    ),
    "observations-no-page-or-url": (
        "observations",
        lambda f: f.loc.__setitem__((0, ["page", "url"]), ""),
        ("observations.csv", "line 2", "'page'", "page or a url"),
    ),
    "observations-alternative-without-note": (
        "observations",
        lambda f: f.loc.__setitem__((f["value_status"] == "alternative", "note"), ""),
        ("observations.csv", "'note'", "naming the preferred row"),
    ),
    "observations-bad-qualifier": (
        "observations",
        lambda f: f.loc.__setitem__((0, "qualifier"), "roughly"),
        ("observations.csv", "line 2", "'qualifier'", "one of"),
    ),
    "observations-missing-column": (
        "observations",
        lambda f: f.drop(columns=["qualifier"]),
        ("observations.csv", "line 1", "'qualifier'", "missing"),
    ),
    "sources-duplicate-key": (
        "sources",
        lambda f: f.loc.__setitem__((1, "source_id"), f.loc[0, "source_id"]),
        ("sources.csv", "line 3", "'source_id'", "unique"),
    ),
    "sources-missing-column": (
        "sources",
        lambda f: f.drop(columns=["title"]),
        ("sources.csv", "line 1", "'title'", "missing"),
    ),
    "sources-bad-date": (
        "sources",
        lambda f: f.loc.__setitem__((0, "published"), "last year"),
        ("sources.csv", "line 2", "'published'", "YYYY"),
    ),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_corrupted_real_table_is_refused_with_a_located_message(case, data_copy):
    table, change, expected = CORRUPTIONS[case]
    _rewrite(data_copy / f"{table}.csv", change)
    with pytest.raises(DataError) as caught:
        load_store(data_copy)
    message = str(caught.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert "Traceback" not in message


@pytest.mark.parametrize("spec", schema.TABLES, ids=lambda s: s.name)
def test_empty_file_is_refused(spec, data_copy):
    (data_copy / spec.filename).write_bytes(b"")
    with pytest.raises(DataError, match=rf"{spec.filename}: file is empty"):
        load_store(data_copy)


@pytest.mark.parametrize("spec", schema.TABLES, ids=lambda s: s.name)
def test_wrong_encoding_is_refused(spec, data_copy):
    path = data_copy / spec.filename
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-8") + "Café\n".encode("cp1252"))
    with pytest.raises(DataError, match=rf"{spec.filename}: not valid UTF-8 \(byte 0xe9"):
        load_store(data_copy)


@pytest.mark.parametrize("spec", schema.TABLES, ids=lambda s: s.name)
def test_missing_file_is_refused(spec, data_copy):
    (data_copy / spec.filename).unlink()
    with pytest.raises(DataError, match=rf"{spec.filename}: file not found"):
        load_store(data_copy)


def test_all_problems_are_reported_at_once(tmp_path):
    tables = {name: [dict(row) for row in rows] for name, rows in synthetic.TABLES.items()}
    tables["observations"][0]["value"] = "abc"
    tables["observations"][1]["qualifier"] = "roughly"
    with pytest.raises(DataError) as caught:
        load_store(synthetic.write_tables(tmp_path, tables))
    assert len(caught.value.problems) == 2


def test_chart_only_row_with_a_value_is_refused(tmp_path):
    tables = {name: [dict(row) for row in rows] for name, rows in synthetic.TABLES.items()}
    tables["observations"][5]["value"] = "0"
    with pytest.raises(DataError, match="chart_only figure must have an empty value"):
        load_store(synthetic.write_tables(tmp_path, tables))


def test_returned_frames_do_not_leak_changes_back(synthetic_store):
    from dashboard import transforms

    sliced = transforms.observations_for(synthetic_store.observations, units=("alpha",))
    sliced.loc[sliced.index[0], "value"] = -1
    assert (synthetic_store.observations["value"] != -1).all()


def test_new_columns_are_exposed(synthetic_store):
    assert list(synthetic_store.units["start_year"]) == ["2019-20"] * 3
    assert synthetic_store.units["url"].isna().all()
    kinds = synthetic_store.metrics.set_index("metric_id")["money_kind"]
    assert kinds["funding_home_office_vru"] == "unit_grant"
    assert pd.isna(kinds["reach_total"])
    obs = synthetic_store.observations.set_index("obs_id")
    assert obs.loc["s-001", "money_kind"] == "unit_grant"
    assert pd.isna(obs.loc["s-002", "money_kind"])
