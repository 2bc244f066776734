"""Exports without a browser: spreadsheet safety, CSV/XLSX contents, words and deck structure."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Emu

from dashboard import export
from dashboard.charts import CHARTS, build_chart
from dashboard.charts.base import ChartResult
from dashboard.selection import Selection

# Text that spreadsheets run as formulas (or as DDE commands), one per trigger character.
FORMULA_PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(A1:A2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|'/c notepad'!'A1'",
]
TODAY = dt.date(2026, 3, 5)
CONTEXT = export.ExportContext(
    "Units: Alpha · Financial year: 2019/20", TODAY, contact="vru-data@example.org"
)
# A valid 1 x 1 PNG, standing in for a rendered chart in deck-structure tests.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def _result(table: pd.DataFrame, *, marks: bool = True, chart: str = "made-up") -> ChartResult:
    figure = go.Figure(go.Bar(x=[1], y=["a"], orientation="h")) if marks else go.Figure()
    return ChartResult(
        chart=chart,
        title="A made-up chart",
        subtitle="Measure · Geography · 2019/20",
        source_line="Source: APCC 2020; Home Office 2023. Page or web address of each figure.",
        summary="One sentence that says what the chart shows.",
        plot=figure,
        table=table,
        caveats=("A caveat of this chart.",),
    )


def _hostile_table() -> pd.DataFrame:
    """SYNTHETIC rows: each payload in a text column, beside a negative number."""
    return pd.DataFrame(
        {
            "unit_name": FORMULA_PAYLOADS,
            "value_text": ["-13.5%"] * len(FORMULA_PAYLOADS),
            "qualifier": ["exact"] * len(FORMULA_PAYLOADS),
            "citation": ["=evil()"] * len(FORMULA_PAYLOADS),
            "value": [-13.5] * len(FORMULA_PAYLOADS),
            "count": pd.array([-2] * len(FORMULA_PAYLOADS), dtype="Int64"),
            "hover_text": ["<b>markup</b>"] * len(FORMULA_PAYLOADS),
        }
    )


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_neutralise_prefixes_every_formula_trigger(payload):
    assert export.neutralise(payload) == "'" + payload


@pytest.mark.parametrize("text", ["plain", "", "13.5", "over £1.1m", "'quoted", "a=b"])
def test_neutralise_leaves_harmless_text_alone(text):
    assert export.neutralise(text) == text


def test_spreadsheet_value_keeps_numbers_as_numbers_and_missing_as_empty():
    assert export.spreadsheet_value(-13.5) == -13.5
    assert export.spreadsheet_value(pd.NA) is None
    assert export.spreadsheet_value(float("nan")) is None
    assert export.spreadsheet_value(pd.Timestamp("2019-04-01")) == "2019-04-01"
    assert export.spreadsheet_value("-13.5%") == "'-13.5%"


def _zip_members(payload: bytes) -> dict[str, list[list[str]]]:
    """Each CSV inside a CSV download, parsed; the BOM (Excel reads UTF-8 with it) checked."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = {}
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith(b"\xef\xbb\xbf"), name
            members[name] = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return members


def test_csv_neutralises_formula_text_and_keeps_negative_numbers_readable():
    members = _zip_members(export.chart_file(_result(_hostile_table()), "csv", CONTEXT))
    rows = members["made-up.csv"]
    header, data = rows[0], rows[1:]
    assert "hover_text" not in header
    for row in data:
        cells = dict(zip(header, row, strict=True))
        assert cells["unit_name"].startswith("'")
        assert cells["citation"] == "'=evil()"
        assert float(cells["value"]) == -13.5 and cells["value"] == "-13.5"
        assert cells["count"] == "-2"
    assert [row[0] for row in data] == ["'" + p for p in FORMULA_PAYLOADS]
    every_row = [row for rows in members.values() for row in rows]
    text_cells = [cell for row in every_row for cell in row if cell and not _is_number(cell)]
    assert not any(cell.startswith(export.FORMULA_TRIGGERS) for cell in text_cells)


def _is_number(text: str) -> bool:
    """What a spreadsheet reads as a plain number (and so never as a formula)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_download_is_the_table_with_its_header_in_row_1_and_the_metadata_beside_it():
    members = _zip_members(export.chart_file(_result(_hostile_table()), "csv", CONTEXT))
    assert sorted(members) == ["made-up-metadata.csv", "made-up.csv"]
    assert members["made-up.csv"][0][:2] == ["unit_name", "value_text"]
    metadata = members["made-up-metadata.csv"]
    assert metadata[0] == ["field", "value"]
    fields = dict(metadata[1:])
    assert fields["Title"] == "A made-up chart"
    assert fields["Filters"] == CONTEXT.filters
    assert fields["Source"].startswith("Source: APCC 2020; Home Office 2023")
    assert fields["Date downloaded"].startswith("2026-03-05")
    assert fields["Contact"] == "vru-data@example.org"
    assert fields["[note 1]"] == "A caveat of this chart."


def _sheet_rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_neutralises_text_cells_and_writes_numbers_as_numbers():
    book = load_workbook(io.BytesIO(export.table_xlsx(_result(_hostile_table()), CONTEXT)))
    sheet = book["Data"]
    values = _sheet_rows(sheet)
    header = values[0]
    assert header[0] == "unit_name"
    for row in values[1:]:
        cells = dict(zip(header, row, strict=True))
        assert cells["unit_name"].startswith("'")
        assert cells["value"] == -13.5 and isinstance(cells["value"], float)
        assert cells["count"] == -2
    for each in book.worksheets:
        for row in each.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{each.title}!{cell.coordinate} would be evaluated"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(export.FORMULA_TRIGGERS)
    assert sheet.freeze_panes == "A2"


def test_xlsx_is_laid_out_as_statisticians_publish_tables():
    """Analysis Function guidance: a cover sheet, a notes sheet with '[note N]' references,
    one table per sheet starting in A1, no merged cells."""
    book = load_workbook(io.BytesIO(export.table_xlsx(_result(_hostile_table()), CONTEXT)))
    assert book.sheetnames == ["Cover", "Notes", "Data"]
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        assert sheet["A1"].value, f"{sheet.title} does not start in A1"
        rows = _sheet_rows(sheet)
        assert all(any(v is not None for v in row) for row in rows), f"blank row in {sheet.title}"
    cover = dict(row[:2] for row in _sheet_rows(book["Cover"])[1:])
    assert cover["Title"] == "A made-up chart"
    assert cover["Source"].startswith("Source: APCC 2020")
    assert cover["Filters"] == CONTEXT.filters
    assert cover["Date downloaded"].startswith("2026-03-05")
    assert cover["Contact"] == "vru-data@example.org"
    assert "[note 1]" in cover["Notes"]
    notes = _sheet_rows(book["Notes"])
    assert notes[0] == ["Note number", "Note text"]
    assert notes[1] == ["[note 1]", "A caveat of this chart."]


def test_spreadsheets_say_when_no_contact_is_set():
    context = export.ExportContext(CONTEXT.filters, TODAY)
    book = load_workbook(io.BytesIO(export.table_xlsx(_result(_hostile_table()), context)))
    cover = dict(row[:2] for row in _sheet_rows(book["Cover"])[1:])
    assert cover["Contact"] == export.NO_CONTACT


def test_export_table_is_the_chart_table_with_qualifier_and_source_columns():
    table = pd.DataFrame({"unit_name": ["Alpha"], "value_text": ["£5"], "value": [5.0]})
    exported = export.export_table(_result(table))
    assert list(exported.columns) == ["unit_name", "value_text", "value", "qualifier", "citation"]
    assert list(table.columns) == ["unit_name", "value_text", "value"]  # input unchanged


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_exports_csv_and_xlsx_of_exactly_its_table(name, real_store):
    result = build_chart(name, real_store, Selection())
    context = export.export_context(real_store, Selection(), TODAY)
    members = _zip_members(export.chart_file(result, "csv", context))
    rows = members[f"{name}.csv"]
    assert len(rows) == 1 + len(result.table)
    assert {"qualifier", "citation"} <= set(rows[0])
    assert dict(members[f"{name}-metadata.csv"][1:])["Title"] == result.title
    book = load_workbook(io.BytesIO(export.table_xlsx(result, context)))
    assert book.sheetnames == ["Cover", "Notes", "Data"]
    sheet = book["Data"]
    assert sheet.max_row == 1 + len(result.table)
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert not any(each.merged_cells.ranges for each in book.worksheets)


def test_filters_description_names_units_year_and_measure(synthetic_store):
    words = export.filters_description(
        synthetic_store, Selection(("alpha",), "2019-20", "reach_total")
    )
    assert words == (
        "Units: Alpha · Financial year: 2019/20 · Measure: People reached (no group given)"
    )
    assert export.filters_description(synthetic_store, Selection()).startswith(
        "Units: all 3 VRU areas · Financial year: all years"
    )


def test_export_filename_says_what_when_and_where():
    selection = Selection(("kent", "essex"), "2019-20", None)
    assert (
        export.export_filename("funding-per-person", selection, "png", "1920x1080")
        == "vru-funding-per-person-2019-20-kent-essex-1920x1080.png"
    )
    assert export.export_filename("map", Selection(("a", "b", "c")), "zip") == "vru-map-3-units.zip"


def test_menu_offers_both_png_sizes_svg_pdf_csv_and_xlsx():
    assert [fmt.key for fmt in export.EXPORT_FORMATS] == [
        "png-1920x1080",
        "png-1280x720",
        "svg",
        "pdf",
        "csv",
        "xlsx",
    ]
    assert export.FORMATS["png-1920x1080"].label == "PNG image, 1920 × 1080 px"
    assert export.FORMATS["png-1280x720"].size.layout == (640, 360)
    assert export.format_key("png") == "png-1920x1080"
    assert export.format_key("png", "1280x720") == "png-1280x720"


def test_image_jobs_give_the_stated_pixel_size_for_every_chart(real_store):
    for name in CHARTS:
        result = build_chart(name, real_store, Selection())
        for size in export.PNG_SIZES:
            job = export.image_job(result, f"png-{size.key}")
            assert round(job.width * job.scale) == size.width
            assert round(job.height * job.scale) == size.height


def test_image_figure_puts_title_subtitle_and_source_inside_and_leaves_input_alone(real_store):
    result = build_chart("funding-per-person", real_store, Selection())
    before = result.figure.to_json()
    figure = export.image_figure(result)
    assert result.title in figure.layout.title.text
    # The subtitle may go on to say how many rows a long ranking leaves out (see row_cap).
    assert figure.layout.title.subtitle.text.replace("<br>", " ").startswith(result.subtitle)
    assert figure.layout.legend2.title.text.replace("<br>", " ") == result.source_line
    width, height = figure.layout.width, figure.layout.height
    assert width * 540 == height * 960 and width / 960 in export.STRETCH_STEPS  # 16:9 frame
    assert result.figure.to_json() == before


def test_chart_kind_names_the_chart_for_alt_text():
    assert export.chart_kind(go.Figure(go.Bar(x=[1], y=["a"], orientation="h"))) == (
        "Horizontal bar chart"
    )
    assert export.chart_kind(go.Figure(go.Scatter(x=[1], y=[1], mode="lines"))) == "Line chart"
    assert export.chart_kind(go.Figure(go.Choroplethmap())) == "Map"


def test_key_figures_list_drawn_rows_with_their_qualified_text_and_period():
    table = pd.DataFrame(
        {
            "unit_name": ["Alpha", "Beta"],
            "value_text": ["over £1m", "no data: no reach figure"],
            "value": [1_000_000.0, float("nan")],
            "period": ["2019/20", None],
        }
    )
    assert export.key_figures(table) == ["Alpha: over £1m (2019/20)"]


def test_deck_caveats_cover_qualifiers_gaps_series_breaks_and_charts_left_out():
    table = pd.DataFrame(
        {
            "unit_name": ["Alpha", "Beta", "Gamma"],
            "value_text": ["over £1m", "£5", "no data"],
            "qualifier": ["over", "exact", None],
            "value": [1.0, 5.0, float("nan")],
            "series": ["ONS 2019", "ONS 2023", "ONS 2023"],
        }
    )
    empty = _result(table.iloc[0:0], marks=False, chart="empty")
    items = export.deck_caveats([_result(table)], [empty], ["A broken chart"])
    text = "\n".join(items)
    assert "Qualifiers: 1 figures" in text and "over" in text
    assert "Gaps:" in text and "(1 of 3 rows)" in text
    assert "Series breaks" in text and "ONS 2019; ONS 2023" in text
    assert "No figures for these filters, so no slide: A made-up chart" in text
    assert "A broken chart" in text


def test_deck_has_title_chart_and_caveat_slides_with_pictures_alt_text_and_notes():
    table = pd.DataFrame({"unit_name": ["Alpha"], "value_text": ["£5"], "value": [5.0]})
    shown, empty = _result(table), _result(table.iloc[0:0], marks=False, chart="empty")
    deck_bytes = export.build_deck(
        [shown, empty], title="Test deck", context=CONTEXT, pictures={"made-up": TINY_PNG}
    )
    deck = Presentation(io.BytesIO(deck_bytes))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    slides = list(deck.slides)
    assert len(slides) == export.deck_slide_count([shown, empty]) == 3
    title_slide, chart_slide, caveats = slides
    assert title_slide.shapes.title.text == "Test deck"
    title_texts = " ".join(s.text_frame.text for s in title_slide.shapes if s.has_text_frame)
    assert CONTEXT.filters in title_texts and "5 March 2026" in title_texts
    assert "APCC 2020" in title_texts
    for shape in title_slide.placeholders:  # all four positions set, inside the slide
        assert shape.left > 0 and shape.top > 0
        assert shape.left + shape.width <= deck.slide_width
        assert shape.top + shape.height <= deck.slide_height
    assert chart_slide.shapes.title.text == "A made-up chart"
    pictures = [s for s in chart_slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert alt.startswith("Horizontal bar chart: A made-up chart") and shown.summary in alt
    notes = chart_slide.notes_slide.notes_text_frame.text
    assert shown.summary in notes and "Alpha: £5" in notes and "A caveat of this chart." in notes
    texts = " ".join(s.text_frame.text for s in chart_slide.shapes if s.has_text_frame)
    assert shown.source_line in texts and shown.subtitle in texts
    assert caveats.shapes.title.text == "Data caveats"


def test_long_caveat_lists_continue_on_further_slides():
    pages = export._caveat_pages([f"Caveat {i}: " + "words " * 30 for i in range(12)])
    assert len(pages) > 1 and sum(len(page) for page in pages) == 12
