"""Police force areas: load the built GeoJSON, tabulate forces, map units to them, serve it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import flask
import pandas as pd

BOUNDARY_PATH = Path(__file__).resolve().parent.parent / "geo" / "police_force_areas.geojson"
BOUNDARY_URL = "/geo/police_force_areas.geojson"
BOUNDARY_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right"
)
GEOJSON_MEDIA_TYPE = "application/geo+json"
BOUNDARY_CACHE_CONTROL = "public, max-age=86400"

FORCE_COUNT = 43
METROPOLITAN_POLICE = "E23000001"
# The City has its own force and is outside the Mayor of London's VRU (which covers the Met area).
CITY_OF_LONDON = "E23000034"
WELSH_FORCES = ("W15000001", "W15000002", "W15000003", "W15000004")
PFA_CODE_PATTERN = re.compile(r"E230000(0[1-9]|[12][0-9]|3[0-9])|W1500000[1-4]")

FORCE_COLUMNS = ("pfa_code", "pfa_name", "area_km2")
COVERAGE_COLUMNS = ("pfa_code", "pfa_name", "unit_id", "is_vru_area")


class BoundaryFileError(ValueError):
    """The boundary GeoJSON is missing or not what `make geo` writes; the message names the file."""


def load_boundaries(path: Path) -> dict[str, Any]:
    """Read and check the force boundaries; call once at start-up and pass the dict around.

    Why check here: a truncated or hand-edited file would otherwise show up as a blank map in the
    browser with no error, so the app refuses to start and names the file instead.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BoundaryFileError(
            f"boundary file {path} not found: it is committed in geo/; `make geo` rebuilds it"
        ) from None
    except OSError as error:
        raise BoundaryFileError(f"boundary file {path} cannot be read: {error}") from error
    try:
        geojson = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryFileError(f"boundary file {path} is not valid JSON: {error}") from error
    problem = _structure_problem(geojson)
    if problem:
        raise BoundaryFileError(f"boundary file {path} {problem}")
    return geojson


def _structure_problem(geojson: Any) -> str:
    """What is wrong with the collection, in words, or '' when it is as the build writes it."""
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        return "is not a GeoJSON FeatureCollection"
    features = geojson.get("features")
    if not isinstance(features, list) or not features:
        return "has no features"
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            return f"feature {number} has no properties"
        code = props.get("pfa_code")
        if not isinstance(code, str) or not PFA_CODE_PATTERN.fullmatch(code):
            return f"feature {number} has no valid properties.pfa_code (got {code!r})"
        if feature.get("id") != code:
            return f"feature {code} has id {feature.get('id')!r}, not its pfa_code"
        if code in seen:
            return f"has feature {code} twice"
        seen.add(code)
        if not isinstance(props.get("pfa_name"), str) or not props["pfa_name"]:
            return f"feature {code} has no pfa_name"
        area = props.get("area_km2")
        if not isinstance(area, int | float) or isinstance(area, bool) or area <= 0:
            return f"feature {code} has no positive area_km2"
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            return f"feature {code} is not a Polygon or MultiPolygon"
    if len(seen) != FORCE_COUNT:
        return f"has {len(seen)} forces, expected {FORCE_COUNT}"
    return ""


def force_table(geojson: dict[str, Any]) -> pd.DataFrame:
    """One row per force (pfa_code, pfa_name, area_km2), sorted by code.

    Why: the map and the tables join on pfa_code, and the names shown come from the boundary file
    so that a force is named the same wherever it appears.
    """
    rows = [
        {column: feature["properties"][column] for column in FORCE_COLUMNS}
        for feature in geojson["features"]
    ]
    table = pd.DataFrame(rows, columns=list(FORCE_COLUMNS))
    table["area_km2"] = table["area_km2"].astype(float)
    return table.sort_values("pfa_code", ignore_index=True)


def unit_coverage(units: pd.DataFrame, forces: pd.DataFrame) -> pd.DataFrame:
    """One row per force: which unit (if any) covers it, from the units' `pfa_codes`.

    Columns: pfa_code, pfa_name, unit_id (NA where no unit), is_vru_area (bool). Coverage is only
    what `units.pfa_codes` says: the Wales unit lists the four Welsh forces, London lists the
    Metropolitan Police area alone, and City of London (E23000034) is a force of its own that no
    unit lists. Why strict: a code that matches no force, or a force claimed by two units, would
    colour the map wrongly without any error, so both raise ValueError.
    """
    known = set(forces["pfa_code"])
    owner: dict[str, str] = {}
    for unit_id, codes in zip(units["unit_id"], units["pfa_codes"], strict=True):
        for code in str(codes).split(";"):
            code = code.strip()
            if code not in known:
                raise ValueError(f"unit {unit_id!r} lists {code!r}, which is not a force area")
            if code in owner and owner[code] != unit_id:
                raise ValueError(f"force {code} is listed by both {owner[code]!r} and {unit_id!r}")
            owner[code] = unit_id
    coverage = forces.loc[:, ["pfa_code", "pfa_name"]].sort_values("pfa_code", ignore_index=True)
    coverage["unit_id"] = pd.array(
        [owner.get(code, pd.NA) for code in coverage["pfa_code"]], dtype="string"
    )
    coverage["is_vru_area"] = coverage["unit_id"].notna().astype(bool)
    return coverage


def register_boundary_route(server: flask.Flask, path: Path, url: str = BOUNDARY_URL) -> None:
    """Serve the boundary file at `url` with a strong ETag and a one-day cache.

    Why: plotly.js fetches the GeoJSON by URL once per page instead of it riding in every figure
    (about 330 KB); the bytes are read once here, so the file on disk can change only with a
    restart, and a browser revalidating gets 304 without a body.
    """
    try:
        body = path.read_bytes()
    except OSError as error:
        raise BoundaryFileError(f"boundary file {path} cannot be read: {error}") from error
    etag = hashlib.sha256(body).hexdigest()[:32]

    def boundaries() -> flask.Response:
        if flask.request.if_none_match.contains_weak(etag):
            response = flask.Response(status=304)
        else:
            response = flask.Response(body, content_type=GEOJSON_MEDIA_TYPE)
        response.set_etag(etag)
        response.headers["Cache-Control"] = BOUNDARY_CACHE_CONTROL
        return response

    server.add_url_rule(url, endpoint=f"boundaries:{url}", view_func=boundaries, methods=["GET"])
