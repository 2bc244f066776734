"""`python -m dashboard import KIND FILE`: rows counted, bad files refused with exit 2."""

from __future__ import annotations

import csv

from dashboard.__main__ import EXIT_USAGE, main
from tests.importers.conftest import RAW

MARCH_2019 = RAW / "ons_crime" / "policeforceareatablesyeendingmarch2019.xlsx"


def test_import_prints_the_rows_and_writes_them(tmp_path, capsys):
    out = tmp_path / "rows.csv"
    assert main(["import", "ons-pfa-tables", str(MARCH_2019), "-o", str(out)]) == 0
    assert "110 rows imported" in capsys.readouterr().out
    with out.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 110
    northumbria = [
        r for r in rows if r["area_code"] == "E23000007" and r["metric_id"] != "population"
    ]
    assert northumbria[0]["value"] == "942"


def test_a_file_of_the_wrong_kind_is_refused_with_one_message(tmp_path, capsys):
    out = tmp_path / "rows.csv"
    code = main(["import", "dfe-exclusions", str(MARCH_2019), "-o", str(out)])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err
    assert not out.exists()


def test_a_bad_cell_is_refused_naming_row_and_column(tmp_path, capsys):
    path = tmp_path / "mye.csv"
    path.write_text("Title mid-2024\nCode,Name,Geography,All ages\nE06000001,Hartlepool,UA,?\n")
    assert main(["import", "ons-population", str(path)]) == EXIT_USAGE
    assert "row 3, column D" in capsys.readouterr().err
