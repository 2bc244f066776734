"""`python -m dashboard`: bad arguments fail cleanly and write nothing; good ones write files."""

from __future__ import annotations

import csv
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from dashboard import export
from dashboard.__main__ import EXIT_USAGE, main
from dashboard.charts import CHARTS, charts_for_view
from dashboard.config import PROJECT_ROOT

A_CHART = "funding-per-person" if "funding-per-person" in CHARTS else next(iter(CHARTS))


def _fails_cleanly(argv: list[str], output: Path, capsys, *words: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == EXIT_USAGE
    message = capsys.readouterr().err
    for word in words:
        assert word in message
    assert not output.exists()
    assert list(output.parent.iterdir()) == []  # no temporary leftovers either


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["export-chart", "no-such-chart", "--format", "png"], ["unknown chart 'no-such-chart'"]),
        (["export-chart", A_CHART, "--format", "png", "--unit", "atlantis"], ["unknown unit"]),
        (["export-chart", A_CHART, "--format", "csv", "--year", "1900-01"], ["no figures for"]),
        (["export-chart", A_CHART, "--format", "csv", "--measure", "smiles"], ["unknown measure"]),
        (["export-chart", A_CHART, "--format", "svg", "--size", "1280x720"], ["--size"]),
        (["export-chart", A_CHART, "--format", "gif"], ["invalid choice: 'gif'"]),
        (["export-slides", "--unit", "kent", "--unit", "atlantis"], ["unknown unit 'atlantis'"]),
        (["export-slides", "--year", "2019"], ["no figures for year '2019'"]),
        (["export-slides", "--view", "nowhere"], ["unknown view 'nowhere'"]),
        (["export-slides", "--chart", "nope"], ["unknown chart 'nope'"]),
    ],
)
def test_bad_arguments_exit_with_a_message_and_write_nothing(arguments, words, tmp_path, capsys):
    output = tmp_path / "out.file"
    _fails_cleanly([*arguments, "-o", str(output)], output, capsys, *words)


def test_a_missing_output_folder_is_refused(tmp_path, capsys):
    output = tmp_path / "missing" / "deck.pptx"
    with pytest.raises(SystemExit) as stopped:
        main(["export-slides", "-o", str(output)])
    assert stopped.value.code == EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_missing_output_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["export-chart", A_CHART, "--format", "csv"])
    assert stopped.value.code == EXIT_USAGE
    assert "-o/--output" in capsys.readouterr().err


def test_export_chart_writes_the_data_as_csv_with_filters_in_its_metadata(tmp_path, capsys):
    output = tmp_path / "chart.zip"
    assert (
        main(["export-chart", A_CHART, "--format", "csv", "--year", "2019/20", "-o", str(output)])
        == 0
    )
    assert f"Wrote {output}" in capsys.readouterr().out
    with zipfile.ZipFile(output) as archive:
        text = archive.read(f"{A_CHART}-metadata.csv").decode("utf-8-sig")
        table = archive.read(f"{A_CHART}.csv").decode("utf-8-sig")
    metadata = dict(list(csv.reader(io.StringIO(text)))[1:])
    assert "Financial year: 2019/20" in metadata["Filters"]
    assert next(csv.reader(io.StringIO(table)))[0] != "Chart"  # the header is row 1


def test_python_m_dashboard_writes_a_png_of_the_stated_size(tmp_path):
    output = tmp_path / "chart.png"
    command = [sys.executable, "-m", "dashboard", "export-chart", A_CHART, "--format", "png"]
    command += ["--size", "1280x720", "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    data = output.read_bytes()
    assert struct.unpack(">II", data[16:24]) == (1280, 720)


def test_export_slides_for_one_unit_writes_a_deck_that_opens(tmp_path, capsys):
    output = tmp_path / "deck.pptx"
    view = "investment" if charts_for_view("investment") else next(iter(CHARTS.values())).view
    status = main(["export-slides", "--unit", "merseyside", "--view", view, "-o", str(output)])
    assert status == 0
    deck = Presentation(str(output))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "VRU briefing: Merseyside"
    assert slides[-1].shapes.title.text.startswith("Data caveats")
    assert "charts have figures for these filters" in capsys.readouterr().out
    assert deck.slide_width == export.SLIDE_WIDTH
