"""The force-area choropleth: traces, groups, missing values, selection, scale, fit, empty input."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from dashboard.figures.area_map import (
    ENGLAND_WALES_BOUNDS,
    NO_DATA_LINE,
    TRACE_NO_DATA,
    TRACE_NOT_VRU,
    TRACE_SELECTED,
    TRACE_VALUES,
    build_area_map,
    fit_to_frame,
    fitted_view,
    value_scale,
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


def test_map_has_four_choroplethmap_traces_in_fixed_order_and_no_inset() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    assert [trace.type for trace in figure.data] == ["choroplethmap"] * 4
    assert [trace.subplot for trace in figure.data] == ["map"] * 4
    assert "map2" not in figure.to_plotly_json()["layout"]
    assert not figure.layout.shapes, "no inset frame"
    names = [trace.name for trace in figure.data]
    assert names[TRACE_NOT_VRU] == "Not a VRU area"
    assert names[TRACE_NO_DATA] == "VRU area, no figure (outlined)"
    assert names[TRACE_VALUES] == "Value"
    assert names[TRACE_SELECTED].startswith("Selected unit")


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
    assert figure.data[TRACE_NO_DATA].marker.line.color != not_vru.marker.line.color
    assert "Not a VRU area" in not_vru.hovertemplate
    assert not_vru.showscale is False


def no_data_colour(figure) -> str:
    (colour,) = {stop[1] for stop in figure.data[TRACE_NO_DATA].colorscale}
    return colour


def _lightness(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (red + green + blue) / 3


def test_no_figure_is_light_and_outlined_never_heavier_than_data() -> None:
    """A gap is white with a grey outline: lighter than any colour of the value scale."""
    figure = build_area_map(_frame(), GEOJSON)
    no_data = figure.data[TRACE_NO_DATA]
    assert _lightness(no_data_colour(figure)) >= 0xF0
    assert no_data.marker.line.color == NO_DATA_LINE
    assert no_data.marker.line.width >= 1
    viridis_lightest = "#fde725"
    assert _lightness(no_data_colour(figure)) > _lightness(viridis_lightest)


def test_money_ticks_carry_pounds_and_whole_numbers_not_si_suffixes() -> None:
    scale = value_scale([400_000.0, 1_200_000.0, 2_000_000.0], title="£", money=True)
    texts = scale.coloraxis["colorbar"]["ticktext"]
    assert texts and all(text.startswith("£") for text in texts)
    assert "£2,000,000" in texts or "£1,000,000" in texts
    assert not any(text.endswith(("M", "k", "m")) for text in texts)


def test_one_value_dwarfing_the_rest_gets_a_log_scale_that_says_so() -> None:
    values = [185_000.0, 3_000.0, 5_000.0, 8_000.0, 12_000.0, 2_500.0]
    scale = value_scale(values, title="People")
    assert scale.log
    assert "log scale" in scale.coloraxis["colorbar"]["title"]["text"]
    assert scale.colour_of([1000.0]) == [pytest.approx(3.0)]
    assert "100,000" in scale.coloraxis["colorbar"]["ticktext"]
    # Without the outlier the same units keep a linear scale.
    assert not value_scale(values[1:], title="People").log


def test_colour_bar_and_key_sit_outside_the_map_not_over_it() -> None:
    figure = build_area_map(_frame(), GEOJSON, colorbar_title="£", money=True)
    colorbar = figure.layout.coloraxis.colorbar
    assert colorbar.orientation == "h" and colorbar.y <= 0 and colorbar.yanchor == "top"
    assert figure.layout.legend.y >= 1 and figure.layout.legend.yanchor == "bottom"
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False


def test_fitted_view_keeps_england_and_wales_inside_any_frame() -> None:
    for width, height in [(340, 420), (560, 470), (900, 300), (300, 900)]:
        view = fitted_view(ENGLAND_WALES_BOUNDS, width, height)
        zoom = view["zoom"]
        # Width of the bounds in px at this zoom (512 px world at zoom 0).
        west, south, east, north = ENGLAND_WALES_BOUNDS
        span_x = (east - west) / 360 * 512 * 2**zoom
        y = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (south, north)]
        span_y = (y[1] - y[0]) / (2 * math.pi) * 512 * 2**zoom
        assert span_x <= width and span_y <= height
        assert max(span_x / width, span_y / height) > 0.85, "fills the frame"


def test_fit_to_frame_refits_the_map_to_an_export_size() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    figure.update_layout(width=960, height=540)
    fitted = fit_to_frame(figure)
    assert fitted.layout.map.zoom != build_area_map(_frame(), GEOJSON).layout.map.zoom
    assert fitted.layout.map.domain.x[1] < 1, "landscape: key beside the map"
    assert fitted.layout.coloraxis.colorbar.orientation == "v"


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


def test_no_selection_keeps_an_empty_outline_trace() -> None:
    figure = build_area_map(_frame(), GEOJSON)
    assert len(figure.data) == 4
    assert list(figure.data[TRACE_SELECTED].locations) == []


def test_map_fits_england_and_wales_without_tiles() -> None:
    figure = build_area_map(_frame(), GEOJSON, title="People reached")
    view = figure.layout.map
    style = view.style
    assert [layer["type"] for layer in style["layers"]][:2] == ["background", "symbol"]
    assert style["sources"].keys() == {"unit-labels"}, "no tiles: only the names' points"
    assert figure.layout.meta["fitBounds"] == list(ENGLAND_WALES_BOUNDS)
    assert 50 < view.center.lat < 55.5 and -4 < view.center.lon < 0
    assert figure.layout.height == 600
    assert figure.layout.title.text == "People reached"


def test_map_leaves_the_boundary_attribution_to_the_source_line() -> None:
    """An annotation at the foot collided with ticks and the export's source line."""
    figure = build_area_map(_frame(), GEOJSON)
    assert BOUNDARY_ATTRIBUTION not in [note.text for note in figure.layout.annotations]


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
    assert sorted(updates) == [TRACE_NO_DATA, TRACE_VALUES]
    for index, props in updates.items():
        for key, value in props.items():
            first.data[index][key] = value
    assert first.to_plotly_json()["data"] == rebuilt.to_plotly_json()["data"]


def test_figure_serialises_to_json() -> None:
    figure = build_area_map(_frame(), BOUNDARY_URL, selected=["london"])
    data = json.loads(figure.to_json())
    assert len(data["data"]) == 4


def test_a_single_selected_id_as_a_string_is_one_unit() -> None:
    figure = build_area_map(_frame(), GEOJSON, selected="london")
    assert list(figure.data[TRACE_SELECTED].locations) == ["E23000001"]
