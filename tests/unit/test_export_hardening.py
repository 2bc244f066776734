"""Slides and exports with many units or long words; the command line's care with files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import textwrap
import types
import zipfile

import pytest
from pptx import Presentation

from dashboard import __main__ as cli
from dashboard import export, ids, serving
from dashboard.config import Settings
from dashboard.factory import create_app
from dashboard.selection import Selection
from layouts.exports import EMBED_KEY


def test_a_deck_for_every_unit_with_a_long_title_opens(real_store):
    selection = Selection(tuple(real_store.unit_ids), "2019-20", None)
    context = export.export_context(real_store, selection)
    assert len(context.filters) > 255
    deck = export.build_deck([], title="A briefing " * 40, context=context, pictures={})
    opened = Presentation(io.BytesIO(deck))
    properties = opened.core_properties
    assert len(properties.title) <= 255 and properties.title.endswith("…")
    assert len(properties.subject) <= 255
    # The title slide still carries every unit's name.
    words = " ".join(
        shape.text_frame.text for shape in opened.slides[0].shapes if shape.has_text_frame
    )
    assert all(name in words for name in real_store.units["area_name"])


def test_the_filters_line_names_only_units_that_exist(real_store):
    line = export.filters_description(real_store, Selection(("kent", "atlantis"), None, None))
    assert "Kent" in line and "atlantis" not in line


def _csv_download_request(chart: str) -> dict:
    """A click on 'CSV' in one chart's Download menu: one input per menu entry, in order."""
    keys = [*(fmt.key for fmt in export.EXPORT_FORMATS), EMBED_KEY]
    button = ids.export_button(chart, "csv")
    download, notice = ids.export_download(chart), ids.export_notice(chart)
    return {
        "output": f"..{download}.data...{notice}.children..",
        "outputs": [
            {"id": download, "property": "data"},
            {"id": notice, "property": "children"},
        ],
        "inputs": [
            {
                "id": ids.export_button(chart, key),
                "property": "n_clicks",
                "value": 1 if key == "csv" else None,
            }
            for key in keys
        ],
        "state": [
            {"id": "filters-unit-dropdown", "property": "value", "value": ["kent"]},
            {"id": "filters-year-dropdown", "property": "value", "value": None},
            {"id": "filters-measure-dropdown", "property": "value", "value": None},
            {"id": "page-url-location", "property": "pathname", "value": "/"},
            {"id": "page-url-location", "property": "href", "value": "http://x/"},
        ],
        "changedPropIds": [f"{button}.n_clicks"],
    }


def _on_day(monkeypatch, day: dt.date) -> None:
    class Day(dt.date):
        @classmethod
        def today(cls):
            return day

    fake = types.SimpleNamespace(date=Day)
    monkeypatch.setattr(serving, "dt", fake)
    monkeypatch.setattr(export.formats, "dt", fake)


def test_a_repeated_export_states_the_day_it_was_downloaded(real_store, monkeypatch):
    client = create_app(Settings.defaults(), real_store).server.test_client()
    client.get("/")
    body = _csv_download_request("funding-by-year")
    texts = []
    for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 2)):
        _on_day(monkeypatch, day)
        answer = client.post("/_dash-update-component", json=body).get_json()
        download = answer["response"][ids.export_download("funding-by-year")]["data"]
        content = download["content"]
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(content))) as archive:
            texts.append(archive.read("funding-by-year-metadata.csv").decode("utf-8-sig"))
    assert "Date downloaded,2026-12-01 " in texts[0]
    assert "Date downloaded,2026-12-02 " in texts[1]


def _csv_args(path) -> list[str]:
    return ["export-chart", "funding-by-year", "--format", "csv", "--unit", "kent", "-o", str(path)]


def test_the_command_line_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "chart.zip"
    target.write_text("keep me")
    with pytest.raises(SystemExit) as stopped:
        cli.main(_csv_args(target))
    assert stopped.value.code == cli.EXIT_USAGE
    assert target.read_text() == "keep me"
    assert "--force" in capsys.readouterr().err
    assert cli.main([*_csv_args(target), "--force"]) == 0
    assert zipfile.is_zipfile(target)


def test_ctrl_c_ends_with_one_line_and_status_130(tmp_path, monkeypatch, capsys):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "chart_file", interrupted)
    target = tmp_path / "chart.zip"
    assert cli.run(_csv_args(target)) == 130
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("words", [1, 2, 3, 4, 5])
def test_the_title_slide_heading_fits_below_its_overline(real_store, words):
    """The heading is anchored at the bottom of its box, so a title needing more lines than
    the box holds grows upwards over the overline (seen on a two-unit comparison deck)."""
    title = " ".join(["Comparison of Northumbria and London"] * words)
    context = export.export_context(real_store, Selection(("northumbria", "london"), None, None))
    deck = Presentation(
        io.BytesIO(export.build_deck([], title=title, context=context, pictures={}))
    )
    heading = deck.slides[0].placeholders[0]
    overline = next(
        s for s in deck.slides[0].shapes if s.has_text_frame and s.text_frame.text.isupper()
    )
    sizes = {run.font.size.pt for p in heading.text_frame.paragraphs for run in p.runs}
    assert len(sizes) == 1
    size = sizes.pop()
    # Lines at a bold sans's average glyph width (0.6 em), 1.2 line height.
    per_line = int(heading.width / 12700 / (size * 0.6))
    needed = len(textwrap.wrap(title, per_line)) * size * 1.2 * 12700
    assert heading.top + heading.height - needed >= overline.top + overline.height
    assert size >= 24
