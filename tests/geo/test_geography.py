"""dashboard.geography: loading the boundaries, the force table, unit coverage, the file route."""

from __future__ import annotations

import json
from pathlib import Path

import flask
import pandas as pd
import pytest

from dashboard import geography
from dashboard.geography import (
    BOUNDARY_PATH,
    BOUNDARY_URL,
    CITY_OF_LONDON,
    METROPOLITAN_POLICE,
    WELSH_FORCES,
    BoundaryFileError,
    force_table,
    load_boundaries,
    register_boundary_route,
    unit_coverage,
)

REPO = Path(__file__).resolve().parents[2]
UNITS = REPO / "data" / "units.csv"


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return load_boundaries(BOUNDARY_PATH)


@pytest.fixture(scope="module")
def forces(boundaries: dict) -> pd.DataFrame:
    return force_table(boundaries)


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return pd.read_csv(UNITS, dtype=str, keep_default_na=False)


def _synthetic_forces() -> pd.DataFrame:
    """Three made-up forces, enough to exercise the coverage rules."""
    return pd.DataFrame(
        {
            "pfa_code": ["E23000001", "E23000034", "W15000001"],
            "pfa_name": ["Force A", "Force B", "Force C"],
            "area_km2": [10.0, 3.0, 20.0],
        }
    )


def test_boundary_path_is_the_committed_file() -> None:
    assert BOUNDARY_PATH == REPO / "geo" / "police_force_areas.geojson"
    assert BOUNDARY_URL == "/geo/police_force_areas.geojson"


def test_load_boundaries_reads_43_forces(boundaries: dict) -> None:
    assert boundaries["type"] == "FeatureCollection"
    assert len(boundaries["features"]) == 43


def test_load_boundaries_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(BoundaryFileError, match=r"nowhere\.geojson"):
        load_boundaries(missing)


def test_load_boundaries_names_a_file_that_is_not_json(tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(BoundaryFileError, match=r"broken\.geojson.*not valid JSON"):
        load_boundaries(broken)


def test_load_boundaries_rejects_a_feature_without_code(tmp_path: Path, boundaries: dict) -> None:
    damaged = json.loads(json.dumps(boundaries))
    del damaged["features"][5]["properties"]["pfa_code"]
    path = tmp_path / "damaged.geojson"
    path.write_text(json.dumps(damaged), encoding="utf-8")
    with pytest.raises(BoundaryFileError, match=r"damaged\.geojson.*feature 6.*pfa_code"):
        load_boundaries(path)


def test_load_boundaries_rejects_a_missing_force(tmp_path: Path, boundaries: dict) -> None:
    short = {"type": "FeatureCollection", "features": boundaries["features"][:42]}
    path = tmp_path / "short.geojson"
    path.write_text(json.dumps(short), encoding="utf-8")
    with pytest.raises(BoundaryFileError, match="42 forces, expected 43"):
        load_boundaries(path)


def test_force_table_has_one_row_per_force(forces: pd.DataFrame) -> None:
    assert list(forces.columns) == ["pfa_code", "pfa_name", "area_km2"]
    assert len(forces) == 43
    assert forces["pfa_code"].is_monotonic_increasing and forces["pfa_code"].is_unique
    assert forces["area_km2"].dtype == float
    by_code = forces.set_index("pfa_code")
    assert by_code.loc[CITY_OF_LONDON, "pfa_name"] == "City of London"
    assert by_code.loc[CITY_OF_LONDON, "area_km2"] < 5
    assert by_code.loc[METROPOLITAN_POLICE, "pfa_name"] == "Metropolitan Police"


def test_coverage_has_one_row_per_force(units: pd.DataFrame, forces: pd.DataFrame) -> None:
    coverage = unit_coverage(units, forces)
    assert list(coverage.columns) == ["pfa_code", "pfa_name", "unit_id", "is_vru_area"]
    assert len(coverage) == 43
    assert coverage["pfa_code"].tolist() == forces["pfa_code"].tolist()
    assert coverage["is_vru_area"].dtype == bool
    assert (coverage["is_vru_area"] == coverage["unit_id"].notna()).all()


def test_coverage_maps_every_unit(units: pd.DataFrame, forces: pd.DataFrame) -> None:
    coverage = unit_coverage(units, forces)
    assert set(coverage["unit_id"].dropna()) == set(units["unit_id"])
    assert coverage["unit_id"].dropna().nunique() == 20


def test_wales_unit_covers_the_four_welsh_forces(units: pd.DataFrame, forces: pd.DataFrame) -> None:
    coverage = unit_coverage(units, forces)
    wales = coverage.loc[coverage["unit_id"] == "wales", "pfa_code"].tolist()
    assert wales == list(WELSH_FORCES)


def test_london_unit_is_the_metropolitan_police_area_only(
    units: pd.DataFrame, forces: pd.DataFrame
) -> None:
    coverage = unit_coverage(units, forces)
    assert coverage.loc[coverage["unit_id"] == "london", "pfa_code"].tolist() == [
        METROPOLITAN_POLICE
    ]


def test_city_of_london_is_its_own_force_and_not_a_vru_area(
    units: pd.DataFrame, forces: pd.DataFrame
) -> None:
    coverage = unit_coverage(units, forces).set_index("pfa_code")
    assert coverage.loc[CITY_OF_LONDON, "pfa_name"] == "City of London"
    assert pd.isna(coverage.loc[CITY_OF_LONDON, "unit_id"])
    assert not coverage.loc[CITY_OF_LONDON, "is_vru_area"]


def test_coverage_counts(units: pd.DataFrame, forces: pd.DataFrame) -> None:
    coverage = unit_coverage(units, forces)
    # 19 units of one force each, and Wales with four.
    assert coverage["is_vru_area"].sum() == 23
    assert coverage["unit_id"].isna().sum() == 20


def test_coverage_leaves_its_inputs_unchanged() -> None:
    units = pd.DataFrame({"unit_id": ["a"], "name": ["A"], "pfa_codes": ["E23000001"]})
    forces = _synthetic_forces()
    units_before, forces_before = units.copy(), forces.copy()
    unit_coverage(units, forces)
    pd.testing.assert_frame_equal(units, units_before)
    pd.testing.assert_frame_equal(forces, forces_before)


def test_coverage_rejects_an_unknown_code() -> None:
    units = pd.DataFrame({"unit_id": ["a"], "name": ["A"], "pfa_codes": ["E23000099"]})
    with pytest.raises(ValueError, match=r"'a' lists 'E23000099'"):
        unit_coverage(units, _synthetic_forces())


def test_coverage_rejects_a_force_claimed_twice() -> None:
    units = pd.DataFrame(
        {
            "unit_id": ["a", "b"],
            "name": ["A", "B"],
            "pfa_codes": ["E23000001", "E23000001;W15000001"],
        }
    )
    with pytest.raises(ValueError, match="E23000001 is listed by both 'a' and 'b'"):
        unit_coverage(units, _synthetic_forces())


@pytest.fixture
def client() -> flask.testing.FlaskClient:
    server = flask.Flask("boundary-route-test")
    register_boundary_route(server, BOUNDARY_PATH)
    return server.test_client()


def test_route_serves_the_file_as_geojson(client: flask.testing.FlaskClient) -> None:
    response = client.get(BOUNDARY_URL)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    assert response.data == BOUNDARY_PATH.read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_route_sends_a_strong_etag(client: flask.testing.FlaskClient) -> None:
    etag = client.get(BOUNDARY_URL).headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert not etag.startswith("W/")
    assert client.get(BOUNDARY_URL).headers["ETag"] == etag


def test_route_answers_304_to_a_matching_etag(client: flask.testing.FlaskClient) -> None:
    etag = client.get(BOUNDARY_URL).headers["ETag"]
    response = client.get(BOUNDARY_URL, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_route_sends_the_body_for_a_stale_etag(client: flask.testing.FlaskClient) -> None:
    response = client.get(BOUNDARY_URL, headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert response.data == BOUNDARY_PATH.read_bytes()


def test_route_reads_the_file_once_at_registration(tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_bytes(b'{"type":"FeatureCollection","features":[]}')
    server = flask.Flask("boundary-route-once")
    register_boundary_route(server, path, url="/areas.geojson")
    path.unlink()
    assert server.test_client().get("/areas.geojson").status_code == 200


def test_route_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryFileError, match=r"absent\.geojson"):
        register_boundary_route(flask.Flask("missing"), tmp_path / "absent.geojson")


def test_attribution_is_the_ons_text() -> None:
    assert geography.BOUNDARY_ATTRIBUTION == (
        "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
        "Contains OS data © Crown copyright and database right"
    )
