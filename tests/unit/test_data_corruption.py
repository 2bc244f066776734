"""Corrupted data files are refused at start-up with one message naming file, line, column, rule.

Each test breaks a scratch copy of the real data in one way a careless edit, a cut download
or a bad export could; the rules are general, so they hold as rows and metrics are added.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.datastore import DataError, load_store


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def _write(folder: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / f"{name}.csv", index=False)


def _refused(folder: Path) -> str:
    with pytest.raises(DataError) as refused:
        load_store(folder)
    return str(refused.value)


def _first(frame: pd.DataFrame, mask: pd.Series) -> int:
    return int(frame.index[mask][0])


def _metric_rows(folder: Path, unit: str) -> tuple[pd.DataFrame, pd.Series]:
    obs, metrics = _read(folder, "observations"), _read(folder, "metrics")
    of_unit = set(metrics.loc[metrics["unit_of_measure"] == unit, "metric_id"])
    mask = obs["metric_id"].isin(of_unit) & (obs["value"] != "")
    mask &= ~obs["metric_id"].str.contains("change")
    return obs, mask


def test_a_file_cut_mid_row_is_refused(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    cut = cut.rstrip("\n") + ("x" if cut.endswith("\n") else "")
    path.write_text(cut, encoding="utf-8")
    message = _refused(data_copy)
    assert "observations.csv, line" in message and "ends mid-row" in message


def test_a_file_cut_inside_a_quoted_field_is_refused(data_copy):
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    opening = text.index(',"') + 5
    path.write_text(text[:opening] + "\n", encoding="utf-8")
    message = _refused(data_copy)
    assert "observations.csv, line" in message and "cut short" in message


def test_a_row_with_too_few_fields_is_refused(data_copy):
    path = data_copy / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8") + "extra-row,kent\n", encoding="utf-8")
    assert re.search(r"observations\.csv, line \d+: has 2 fields", _refused(data_copy))


def test_a_repeated_column_is_refused(data_copy):
    path = data_copy / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",value"] + [line + ",0" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "line 1, column 'value': column appears more than once" in _refused(data_copy)


@pytest.mark.parametrize(
    ("column", "bad", "words"),
    [
        ("period_start", "2020-02-30", "must be a real date"),
        ("financial_year", "9999-00", "must be one financial year"),
        ("financial_year", "2019-23", "must be one financial year"),
        ("page", "1" * 30, "must be a page number"),
        ("value", "9" * 400, "is too large to be a real figure"),
        ("note", "x" * 10_000_000, "is longer than 5000 characters"),
    ],
)
def test_an_impossible_cell_is_refused_naming_line_and_column(data_copy, column, bad, words):
    obs = _read(data_copy, "observations")
    row = _first(obs, obs["value"] != "" if column == "value" else obs.index >= 0)
    if column == "period_start":
        row = _first(obs, (obs["period_start"] != "") & (obs["period_end"] != ""))
        obs.loc[row, "period_end"] = "2099-12-31"
    obs.loc[row, column] = bad
    _write(data_copy, "observations", obs)
    message = _refused(data_copy)
    assert f"observations.csv, line {row + 2}, column '{column}': {words}" in message


def test_one_force_area_in_two_units_is_refused(data_copy):
    units = _read(data_copy, "units")
    taken = units.loc[0, "pfa_codes"].split(";")[0]
    units.loc[1, "pfa_codes"] = units.loc[1, "pfa_codes"] + ";" + taken
    _write(data_copy, "units", units)
    message = _refused(data_copy)
    assert (
        f"units.csv, line 3, column 'pfa_codes': force area {taken} is already in unit" in message
    )


def test_a_30_digit_page_in_units_is_refused(data_copy):
    units = _read(data_copy, "units")
    units.loc[0, "page"] = "9" * 30
    _write(data_copy, "units", units)
    assert "units.csv, line 2, column 'page': must be a page number" in _refused(data_copy)


@pytest.mark.parametrize("unit", ["gbp", "offences"])
def test_negative_money_or_counts_are_refused(data_copy, unit):
    obs, mask = _metric_rows(data_copy, unit)
    row = _first(obs, mask)
    obs.loc[row, "value"] = "-1000000"
    _write(data_copy, "observations", obs)
    message = _refused(data_copy)
    assert f"observations.csv, line {row + 2}, column 'value': cannot be negative" in message


def test_a_fall_may_be_negative(real_store):
    changes = real_store.observations["metric_id"].str.contains("change")
    assert (real_store.observations.loc[changes, "value"] < 0).any()


def test_an_implausible_figure_is_flagged_but_loads(data_copy, caplog):
    obs, mask = _metric_rows(data_copy, "gbp")
    row = _first(obs, mask)
    obs.loc[row, "value"] = "900000000000"
    _write(data_copy, "observations", obs)
    with caplog.at_level(logging.WARNING, logger="dashboard.datastore"):
        load_store(data_copy)
    assert f"line {row + 2}, column 'value': is outside the plausible range for gbp" in caplog.text
