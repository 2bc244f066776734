"""The data view's rows, CSV and counts, and the layouts of the data, methods and a11y pages."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from dash import html

from dashboard import catalogue, ids
from dashboard.catalogue import GRID_COLUMNS
from dashboard.export import neutralise_cell
from layouts.data_sources import data_page, methods_page, sources_list


def _texts(component: object) -> list[str]:
    """Every string in a component tree, in document order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [text for child in component for text in _texts(child)]
    children = getattr(component, "children", None)
    return [] if children is None else _texts(children)


def _walk(component: object):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from _walk(children)


def _headings(component: object) -> list[tuple[str, str]]:
    return [
        (type(node).__name__, " ".join(_texts(node)))
        for node in _walk(component)
        if isinstance(node, html.H1 | html.H2 | html.H3)
    ]


# --- rows -----------------------------------------------------------------------------------


def test_rows_list_every_figure_when_no_filter_is_set(synthetic_store):
    rows = catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    assert sorted(rows["obs_id"]) == sorted(synthetic_store.observations["obs_id"])


def test_rows_follow_the_unit_and_year_filters(synthetic_store):
    rows = catalogue.observation_rows(
        synthetic_store.observations, synthetic_store.sources, units=("alpha",), year="2019-20"
    )
    assert set(rows["obs_id"]) == {"s-001", "s-002", "s-003"}


def test_year_filter_keeps_overlapping_periods_and_drops_unknown_ones(synthetic_store):
    rows = catalogue.observation_rows(
        synthetic_store.observations, synthetic_store.sources, units=("beta",), year="2019-20"
    )
    # s-005 runs July 2019 to June 2020: it overlaps 2019/20, as on every chart.
    assert set(rows["obs_id"]) == {"s-004", "s-005"}


def test_rows_do_not_change_the_store(synthetic_store):
    before = synthetic_store.observations.copy(deep=True)
    catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    pd.testing.assert_frame_equal(synthetic_store.observations, before)


def test_grid_records_keep_the_qualifier_and_the_raw_value(synthetic_store):
    rows = catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    records = {record["obs_id"]: record for record in catalogue.grid_records(rows)}
    assert records["s-001"]["value_text"] == "over £1m"
    assert records["s-001"]["value"] == 1_000_000.0
    assert records["s-007"]["value_text"] == "up to £35m"
    assert set(records["s-001"]) == {"obs_id", "value", *(name for name, _ in GRID_COLUMNS)}


def test_chart_only_figure_is_not_a_zero(synthetic_store):
    rows = catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    record = next(r for r in catalogue.grid_records(rows) if r["obs_id"] == "s-006")
    assert record["value"] is None
    assert record["value_text"].startswith("not available")


def test_location_is_a_page_or_a_link_to_the_address(synthetic_store):
    rows = catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    by_id = dict(zip(rows["obs_id"], rows["location"], strict=True))
    assert by_id["s-001"] == "p. 4"  # the synthetic source has no address: plain text
    assert by_id["s-004"] == "[example.org](<https://example.org/b>)"


def test_page_of_a_document_with_an_address_links_to_it():
    text = catalogue.location_markdown(12, pd.NA, "https://www.gov.uk/report.pdf")
    assert text == "[p. 12](<https://www.gov.uk/report.pdf>)"
    assert catalogue.location_text(pd.NA, "https://www.gov.uk/x") == "gov.uk"


def test_real_rows_each_cite_a_page_or_an_address(real_store):
    rows = catalogue.observation_rows(real_store.observations, real_store.sources)
    assert len(rows) == len(real_store.observations)
    assert rows["location"].str.len().gt(0).all()
    assert rows["source_title"].notna().all()


# --- counting sentence and CSV ---------------------------------------------------------------


def test_count_sentence_says_how_many_match():
    assert catalogue.count_sentence(393, 393, (), None) == "All 393 figures are listed."
    sentence = catalogue.count_sentence(2, 393, ("a",), "2019-20")
    assert sentence.startswith("2 of 393 figures match the filters (1 unit; financial year 2019/20")
    assert catalogue.count_sentence(1, 9, ("a", "b"), None) == (
        "1 of 9 figure matches the filters (2 units)."
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44", "'+44"),
        ("-cmd", "'-cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-18.0, -18.0),
        (5, 5),
    ],
)
def test_neutralise_cell_defuses_formula_text_only(cell, expected):
    assert neutralise_cell(cell) == expected


def test_csv_has_the_rows_in_the_given_order_and_defuses_formulas(synthetic_store):
    observations = synthetic_store.observations.copy()
    observations.loc[observations["obs_id"] == "s-002", "note"] = "=HYPERLINK(1)"
    rows = catalogue.observation_rows(observations, synthetic_store.sources)
    chosen = catalogue.rows_in_order(rows, ["s-002", "s-001", "not-a-row", "s-002"])
    table = list(csv.DictReader(io.StringIO(catalogue.observations_csv(chosen))))
    assert [row["obs_id"] for row in table] == ["s-002", "s-001"]
    assert table[0]["note"] == "'=HYPERLINK(1)"
    assert table[1]["value"] == "1000000"
    assert table[1]["value_text"] == "over £1m"
    assert table[1]["period_start"] == "2019-04-01"
    assert list(table[0]) == list(catalogue.CSV_COLUMNS)


def test_csv_keeps_a_negative_change_as_a_number(real_store):
    rows = catalogue.observation_rows(real_store.observations, real_store.sources)
    negative = rows[rows["value"].lt(0).fillna(False)].head(1)
    table = list(csv.DictReader(io.StringIO(catalogue.observations_csv(negative))))
    assert float(table[0]["value"]) < 0


def test_no_narrowing_keeps_every_row(synthetic_store):
    rows = catalogue.observation_rows(synthetic_store.observations, synthetic_store.sources)
    assert catalogue.rows_in_order(rows, None) is rows
    assert catalogue.rows_in_order(rows, []).empty


# --- sources and method counts ---------------------------------------------------------------


def test_source_rows_count_the_figures_of_each_source(real_store):
    rows = catalogue.source_rows(real_store.sources, real_store.observations)
    assert len(rows) == len(real_store.sources)
    assert rows["figures"].sum() == len(real_store.observations)
    # The official DfE data set now carries the most figures (rebuilt by `make data`).
    assert rows.iloc[0]["source_id"] == real_store.observations["source_id"].value_counts().idxmax()
    assert list(rows["figures"]) == sorted(rows["figures"], reverse=True)


def test_method_counts_add_up(real_store):
    counts = catalogue.method_counts(real_store.observations, real_store.sources, real_store.units)
    assert counts.figures == len(real_store.observations)
    assert counts.from_pages + counts.from_web >= counts.figures
    assert counts.report_figures == (real_store.observations["source_id"] == "apcc_2020").sum()
    assert sum(n for _, n in counts.by_category) == counts.figures
    assert sum(n for _, n in counts.by_qualifier) == counts.qualified
    assert counts.chart_only == (real_store.observations["value_status"] == "chart_only").sum()
    assert counts.units == 20


def test_method_counts_on_synthetic_data(synthetic_store):
    counts = catalogue.method_counts(
        synthetic_store.observations, synthetic_store.sources, synthetic_store.units
    )
    assert (counts.figures, counts.chart_only, counts.qualified, counts.national) == (7, 1, 2, 1)
    assert dict(counts.by_qualifier) == {"over": 1, "up to": 1}
    assert counts.from_web == 1


# --- layouts ---------------------------------------------------------------------------------


def test_data_page_has_one_h1_then_h2s_and_lists_the_sources(real_store):
    sources = catalogue.source_rows(real_store.sources, real_store.observations)
    page = data_page(len(real_store.observations), sources.to_dict("records"))
    headings = _headings(page)
    assert headings[0] == ("H1", "Data and sources")
    assert [level for level, _ in headings[1:]] == ["H2", "H2"]
    found = {getattr(node, "id", None) for node in _walk(page)}
    for component_id in (
        ids.DATA_OBSERVATIONS_TABLE,
        ids.DATA_COUNT_TEXT,
        ids.DATA_CSV_BUTTON,
        ids.DATA_CSV_DOWNLOAD,
        ids.DATA_SOURCES_BUTTON,
        ids.DATA_SOURCES_CONTAINER,
    ):
        assert component_id in found
    text = " ".join(_texts(page))
    assert f"All {len(real_store.observations)} figures" in text
    # The sources table is built when the button asks for it.
    listed = sources_list(sources.to_dict("records"))
    assert ids.DATA_SOURCES_TABLE in {getattr(node, "id", None) for node in _walk(listed)}
    assert "Violence reduction unit evaluation 2019 to 2020" in " ".join(_texts(listed))


def test_methods_page_quotes_counts_from_the_data(real_store):
    counts = catalogue.method_counts(real_store.observations, real_store.sources, real_store.units)
    page = methods_page(counts)
    text = " ".join(_texts(page))
    assert f"holds {counts.figures} figures" in text
    assert f"{counts.chart_only} figures appear in their source only as a chart" in text
    assert f"{counts.report_figures} figures were read from {counts.report_pages} pages" in text
    headings = _headings(page)
    assert headings[0][0] == "H1"
    assert all(level == "H2" for level, _ in headings[1:])
    assert "Known gaps" in [title for _, title in headings]
