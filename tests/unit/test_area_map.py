"""The force-area choropleth: traces, groups, missing values, selection, inset, empty input."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from dashboard.figures.area_map import (
    TRACE_NO_DATA,
    TRACE_NOT_VRU,
    TRACE_SELECTED,
    TRACE_VALUES,
    build_area_map,
    value_trace_updates,
)
from dashboard.geography import BOUNDARY_ATTRIBUTION, BOUNDARY_URL

# A tiny stand-in for the boundary file: the builder passes it through without reading it.
GEOJSON = {"type": "FeatureCollection", "features": []}


def _frame() -> pd.DataFrame:
    """Six hand-made forces: two VRU areas with values, one VRU area without, three without VRU.

    Wales's unit covers two of the rows, as the real Wales unit covers four forces.
    """
    return pd.DataFrame(
        {
            "pfa_code": [
                "W15000002",
                "E23000001",
                "E23000014",
                "E23000034",
                "E23000031",
                "W15000001",
            ],
            "pfa_name": [
                "Gwent",
                "Metropolitan Police",
                "West Midlands",
                "City of London",
                "Surrey",
                "North Wales",
            ],
            "unit_id": pd.array(
                ["wales", "london", "west_midlands", None, None, "wales"], dtype="string"
            ),
            "unit_name": pd.array(
                ["Wales VPU", "London VRU", "West Midlands VRU", None, None, "Wales VPU"],
                dtype="string",
            ),
            "value": [5.0, 10.0, math.nan, math.nan, math.nan, 5.0],
            "hover_text": [
                "Wales VPU: 5 (2019/20)",
                "London VRU: 10 (2019/20)",
                "shown only as a chart in the source",
                "",
                "",
                "Wales VPU: 5 (2019/20)",
            ],
        }
    )


def test_map_has_eight_choroplethmap_traces_in_fixed_order() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    assert [trace.type for trace in figure.data] == ["choroplethmap"] * 8
    assert [trace.subplot for trace in figure.data] == ["map"] * 4 + ["map2"] * 4
    names = [trace.name for trace in figure.data[:4]]
    assert names[TRACE_NOT_VRU] == "Not a VRU area"
    assert names[TRACE_NO_DATA] == "VRU area, no figure for this selection"
    assert names[TRACE_VALUES] == "Value"
    assert names[TRACE_SELECTED].startswith("Selected unit")
    assert [trace.name for trace in figure.data[4:]] == names


@pytest.mark.parametrize("geojson", [BOUNDARY_URL, GEOJSON], ids=["url", "dict"])
def test_map_passes_the_geojson_through_unchanged(geojson: dict | str) -> None:
    figure = build_area_map(_frame(), geojson)
    for trace in figure.data:
        assert trace.geojson == geojson
        assert trace.featureidkey == "properties.pfa_code"
    if isinstance(geojson, str):
        assert json.loads(figure.to_json())["data"][0]["geojson"] == BOUNDARY_URL


def test_value_trace_holds_vru_areas_with_values_in_code_order() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    values = figure.data[TRACE_VALUES]
    assert list(values.locations) == ["E23000001", "W15000001", "W15000002"]
    assert list(values.z) == [10.0, 5.0, 5.0]
    assert [row[0] for row in values.customdata] == ["london", "wales", "wales"]
    assert values.coloraxis == "coloraxis"


def test_map_draws_missing_values_as_no_data() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    no_data, values = figure.data[TRACE_NO_DATA], figure.data[TRACE_VALUES]
    assert list(no_data.locations) == ["E23000014"]
    assert "E23000014" not in values.locations
    assert all(not math.isnan(z) for z in values.z)
    assert 0 not in list(values.z)
    assert no_data.showscale is False
    colours = {stop[1] for stop in no_data.colorscale}
    assert len(colours) == 1, "no data is one flat colour, never a point on the value scale"


def test_no_data_hover_says_no_data_and_gives_the_reason() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    no_data = figure.data[TRACE_NO_DATA]
    assert "no figure" in no_data.hovertemplate.lower()
    assert "%{customdata[2]}" in no_data.hovertemplate
    assert no_data.customdata[0][2] == "shown only as a chart in the source"


def test_forces_without_a_vru_are_light_grey_and_say_so() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    not_vru = figure.data[TRACE_NOT_VRU]
    assert list(not_vru.locations) == ["E23000031", "E23000034"]
    (colour,) = {stop[1] for stop in not_vru.colorscale}
    assert colour.startswith("#") and min(int(colour[i : i + 2], 16) for i in (1, 3, 5)) > 0xD0
    assert no_data_colour(figure) != colour
    assert "Not a VRU area" in not_vru.hovertemplate
    assert not_vru.showscale is False


def no_data_colour(figure) -> str:
    (colour,) = {stop[1] for stop in figure.data[TRACE_NO_DATA].colorscale}
    return colour


def test_values_use_a_colour_blind_safe_scale() -> None:
    figure = build_area_map(_frame(), GEOJSON, colorbar_title="people")
    axis = figure.layout.coloraxis
    viridis_start = "#440154"
    assert axis.colorscale[0][1].lower() == viridis_start
    assert axis.colorbar.title.text == "people"


def test_selected_units_are_outlined_more_strongly() -> None:
    figure = build_area_map(_frame(), GEOJSON, selected=["wales"])
    outline = figure.data[TRACE_SELECTED]
    assert list(outline.locations) == ["W15000001", "W15000002"]
    assert outline.marker.line.width > figure.data[TRACE_VALUES].marker.line.width
    assert outline.hoverinfo == "skip"
    assert list(figure.data[TRACE_SELECTED + 4].locations) == ["W15000001", "W15000002"]


def test_no_selection_keeps_an_empty_outline_trace() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    assert len(figure.data) == 8
    assert list(figure.data[TRACE_SELECTED].locations) == []


def test_london_inset_repeats_the_traces_and_centres_on_the_city() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    for index in range(4):
        assert list(figure.data[index + 4].locations) == list(figure.data[index].locations)
    assert figure.data[TRACE_VALUES + 4].showlegend is False
    inset = figure.layout.map2
    assert inset.style == "white-bg"
    assert inset.center.lat == pytest.approx(51.515, abs=0.01)
    assert inset.center.lon == pytest.approx(-0.09, abs=0.02)
    assert inset.domain.x[0] > 0.5 and inset.domain.y[0] > 0.5
    assert any("City of London" in (note.text or "") for note in figure.layout.annotations)


def test_map_fits_england_and_wales_without_tiles() -> None:
    figure = build_area_map(_frame(), GEOJSON, title="People reached")
    view = figure.layout.map
    assert view.style == "white-bg"
    assert view.center.lat == pytest.approx(52.7)
    assert view.center.lon == pytest.approx(-2.0)
    assert view.zoom == pytest.approx(5.0)
    assert figure.layout.height == 600
    assert figure.layout.title.text == "People reached"


def test_map_shows_the_boundary_attribution() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    assert BOUNDARY_ATTRIBUTION in [note.text for note in figure.layout.annotations]


def test_input_frame_is_unchanged() -> None:
    frame = _frame()
    before = frame.copy()
    build_area_map(frame, GEOJSON, selected=["london"])
    value_trace_updates(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_empty_frame_gives_a_no_data_figure() -> None:
    figure = build_area_map(_frame().iloc[0:0], GEOJSON, title="People reached")
    assert len(figure.data) == 0
    texts = [note.text for note in figure.layout.annotations]
    assert any("no data for this selection" in text.lower() for text in texts)
    assert figure.layout.title.text == "People reached"


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="hover_text"):
        build_area_map(_frame().drop(columns="hover_text"), GEOJSON)


def test_a_force_twice_is_refused() -> None:
    frame = pd.concat([_frame(), _frame().iloc[[1]]], ignore_index=True)
    with pytest.raises(ValueError, match="E23000001"):
        build_area_map(frame, GEOJSON)


def test_value_trace_updates_match_a_rebuilt_figure() -> None:
    """Patching the figure for new values must give what building it afresh gives."""
    first = build_area_map(_frame(), BOUNDARY_URL)
    changed = _frame()
    changed["value"] = [math.nan, 7.5, 2.0, math.nan, math.nan, math.nan]
    changed["hover_text"] = ["not reported", "7.5", "2", "", "", "not reported"]
    rebuilt = build_area_map(changed, BOUNDARY_URL)
    updates = value_trace_updates(changed)
    assert sorted(updates) == [TRACE_NO_DATA, TRACE_VALUES, TRACE_NO_DATA + 4, TRACE_VALUES + 4]
    for index, props in updates.items():
        for key, value in props.items():
            first.data[index][key] = value
    assert first.to_plotly_json()["data"] == rebuilt.to_plotly_json()["data"]


def test_figure_serialises_to_json() -> None:
    figure = build_area_map(_frame(), BOUNDARY_URL, selected=["london"])
    data = json.loads(figure.to_json())
    assert len(data["data"]) == 8


def test_a_single_selected_id_as_a_string_is_one_unit() -> None:
    figure = build_area_map(_frame(), GEOJSON, selected="london")
    assert list(figure.data[TRACE_SELECTED].locations) == ["E23000001"]
