"""The committed force boundaries: shape, validity, coverage, size and agreement with ONS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

REPO = Path(__file__).resolve().parents[2]
BOUNDARIES = REPO / "geo" / "police_force_areas.geojson"
UNITS = REPO / "data" / "units.csv"
REFERENCE = REPO.parent / "shared" / "reference" / "geo" / "ons_pfa_dec2020_buc.geojson"

EQUAL_AREA = "EPSG:27700"
CITY_OF_LONDON = "E23000034"
MAX_BYTES = 400 * 1024
# Neighbours must share their edges: the build makes an exact coverage, so any overlap is a bug;
# 1 m² absorbs floating-point noise from reprojecting to EPSG:27700 for measuring.
MAX_OVERLAP_M2 = 1.0
# No gap narrower than this between neighbours. Wider channels exist in the source itself (it is
# clipped to the coastline, so tidal rivers such as the Thames separate forces by tens of metres).
MIN_GAP_WIDTH_M = 10.0
MIN_IOU = 0.95
MIN_IOU_CITY = 0.6  # 3 km² drawn from super-generalised LSOAs: a few hundred metres is a lot
ALL_CODES = [f"E23{n:06d}" for n in range(1, 40)] + [f"W15{n:06d}" for n in range(1, 5)]
CODE = re.compile(r"E230000(0[1-9]|[12][0-9]|3[0-9])|W1500000[1-4]")


@pytest.fixture(scope="module")
def collection() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def forces() -> gpd.GeoDataFrame:
    """The forces in metres, for areas and distances."""
    frame = gpd.read_file(BOUNDARIES)
    return frame.to_crs(EQUAL_AREA).sort_values("pfa_code", ignore_index=True)


@pytest.fixture(scope="module")
def reference() -> gpd.GeoDataFrame:
    if not REFERENCE.exists():
        pytest.skip(f"ONS reference boundaries not present at {REFERENCE}")
    return gpd.read_file(REFERENCE).to_crs(EQUAL_AREA).set_index("pfa_code")


def test_file_has_one_feature_per_force_sorted_by_code(collection: dict) -> None:
    codes = [feature["properties"]["pfa_code"] for feature in collection["features"]]
    assert codes == ALL_CODES
    assert [feature["id"] for feature in collection["features"]] == codes


def test_features_carry_code_name_and_area(collection: dict) -> None:
    for feature in collection["features"]:
        props = feature["properties"]
        assert list(props) == ["pfa_code", "pfa_name", "area_km2"]
        assert CODE.fullmatch(props["pfa_code"])
        assert props["pfa_name"].strip()
        assert props["area_km2"] > 0
    names = {
        f["properties"]["pfa_code"]: f["properties"]["pfa_name"] for f in collection["features"]
    }
    assert names[CITY_OF_LONDON] == "City of London"
    assert names["E23000001"] == "Metropolitan Police"


def test_coordinates_are_lon_lat_with_five_decimals(collection: dict) -> None:
    longest = 0
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        coords = shapely.get_coordinates(shapely.geometry.shape(feature["geometry"]))
        assert (coords[:, 0] > -6.5).all() and (coords[:, 0] < 2.0).all(), "longitude"
        assert (coords[:, 1] > 49.8).all() and (coords[:, 1] < 55.9).all(), "latitude"
    for number in re.findall(r"-?\d+\.(\d+)", BOUNDARIES.read_text(encoding="utf-8")):
        longest = max(longest, len(number))
    assert longest <= 5


def test_file_is_at_most_400_kb() -> None:
    assert BOUNDARIES.stat().st_size <= MAX_BYTES


def test_every_force_is_a_valid_polygon(forces: gpd.GeoDataFrame) -> None:
    invalid = forces.loc[~forces.geometry.is_valid, "pfa_code"].tolist()
    assert not invalid, f"invalid geometry: {invalid}"
    assert len(forces) == 43


def test_neighbours_do_not_overlap(forces: gpd.GeoDataFrame) -> None:
    geoms = forces.geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    overlaps = {
        (forces.pfa_code[i], forces.pfa_code[j]): area
        for i, j in zip(left, right, strict=True)
        if i < j and (area := shapely.area(shapely.intersection(geoms[i], geoms[j]))) > 0
    }
    too_big = {pair: round(area, 2) for pair, area in overlaps.items() if area > MAX_OVERLAP_M2}
    assert not too_big, f"overlapping forces (m²): {too_big}"


def test_no_gaps_between_neighbours(forces: gpd.GeoDataFrame) -> None:
    geoms = forces.geometry.values
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    assert not [h.area for h in holes if h.area > MAX_OVERLAP_M2], "enclosed gaps between forces"
    edges = shapely.coverage_invalid_edges(geoms, gap_width=MIN_GAP_WIDTH_M)
    bad = {
        code: round(shapely.length(edge))
        for code, edge in zip(forces.pfa_code, edges, strict=True)
        if not shapely.is_empty(edge)
    }
    assert not bad, f"edges with a gap under {MIN_GAP_WIDTH_M} m or a mismatch (m): {bad}"


def test_area_property_matches_the_geometry(forces: gpd.GeoDataFrame) -> None:
    """area_km2 is measured before simplification; the drawn shape must be close to it."""
    for row in forces.itertuples():
        drawn = row.geometry.area / 1e6
        tolerance = 0.25 if row.pfa_code == CITY_OF_LONDON else 0.02
        assert drawn == pytest.approx(row.area_km2, rel=tolerance), row.pfa_code


def test_codes_used_by_units_are_all_on_the_map(collection: dict) -> None:
    units = pd.read_csv(UNITS, dtype=str, keep_default_na=False)
    on_map = {feature["properties"]["pfa_code"] for feature in collection["features"]}
    for unit_id, codes in zip(units["unit_id"], units["pfa_codes"], strict=True):
        listed = [code for code in codes.split(";") if code]
        assert listed, f"unit {unit_id} lists no force area"
        unknown = sorted(set(listed) - on_map)
        assert not unknown, f"unit {unit_id} lists codes not on the map: {unknown}"


def test_same_neighbouring_forces_as_ons(
    forces: gpd.GeoDataFrame, reference: gpd.GeoDataFrame
) -> None:
    def neighbours(codes: list[str], geoms: list) -> set[tuple[str, str]]:
        found = set()
        for i in range(len(geoms)):
            for j in range(i + 1, len(geoms)):
                shared = shapely.intersection(shapely.buffer(geoms[i], 1.0), geoms[j].boundary)
                if shapely.length(shared) > 0:
                    found.add((codes[i], codes[j]))
        return found

    ours = neighbours(forces.pfa_code.tolist(), list(forces.geometry))
    ons = reference.sort_index()
    theirs = neighbours(ons.index.tolist(), list(ons.geometry))
    assert ours == theirs, f"only ours: {ours - theirs}; only ONS: {theirs - ours}"


@pytest.mark.parametrize("code", ALL_CODES)
def test_force_matches_ons_boundary(
    code: str, forces: gpd.GeoDataFrame, reference: gpd.GeoDataFrame
) -> None:
    ours = forces.set_index("pfa_code").geometry[code]
    theirs = reference.geometry[code]
    iou = shapely.area(shapely.intersection(ours, theirs)) / shapely.area(
        shapely.union(ours, theirs)
    )
    floor = MIN_IOU_CITY if code == CITY_OF_LONDON else MIN_IOU
    name = reference.loc[code, "ref_name"]
    assert iou >= floor, f"{code} {name}: intersection over union {iou:.3f} < {floor}"
