"""How long a slide deck takes: the default view and one unit, with one browser for the batch.

Run: `.venv/bin/python bench/deck_benchmark.py [--unit kent] [--repeat 2] [--out folder]`.
Not a test: it prints timings (target: at most 10 s per deck on a 2-core machine, browser
already running) and, with --out, keeps the decks to look at. Charts are built, pictures drawn
and the deck assembled exactly as the "Download slides" button does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import plotly.graph_objects as go  # noqa: E402

from dashboard import export  # noqa: E402
from dashboard.charts import CHARTS, charts_for_view  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.datastore import load_store  # noqa: E402
from dashboard.geography import BOUNDARY_PATH  # noqa: E402
from dashboard.measures import DEFAULT_MEASURE  # noqa: E402
from dashboard.selection import Selection  # noqa: E402

DEFAULT_VIEW = "map"  # the home page, "/"


def timed_deck(store, selection, names, renderer, title) -> tuple[float, dict[str, float], bytes]:
    """Seconds in total and per step: build charts, draw pictures, assemble the deck."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    results, failed = export.build_results(store, selection, names)
    steps["charts"] = time.perf_counter() - started
    mark = time.perf_counter()
    pictures = export.slide_pictures(results, renderer)
    steps["pictures"] = time.perf_counter() - mark
    mark = time.perf_counter()
    context = export.export_context(store, selection)
    deck = export.build_deck(
        results, title=title, context=context, pictures=pictures, failed=failed
    )
    steps["assemble"] = time.perf_counter() - mark
    return time.perf_counter() - started, steps, deck


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="kent", help="the unit of the one-unit deck")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each deck (warm browser)")
    parser.add_argument("--out", type=Path, help="folder to keep the decks in")
    args = parser.parse_args()
    settings = Settings.from_env()
    store = load_store(settings.data_dir, settings.geo_dir / BOUNDARY_PATH.name)
    default_names = [spec.name for spec in charts_for_view(DEFAULT_VIEW)] or list(CHARTS)
    cases = [
        ("default view (map, no filters)", Selection(measure=DEFAULT_MEASURE), default_names),
        (
            f"one unit's profile page (/unit/{args.unit})",
            Selection((args.unit,), None, DEFAULT_MEASURE),
            [spec.name for spec in charts_for_view("profile")],
        ),
        (
            f"one unit ({args.unit}, every chart: the CLI's export-slides --unit)",
            Selection((args.unit,), None, DEFAULT_MEASURE),
            list(CHARTS),
        ),
    ]
    started = time.perf_counter()
    with export.ImageRenderer() as renderer:
        # A first, trivial image: the browser starts in the background and is ready after it.
        renderer.render(go.Figure(go.Bar(x=[1], y=[1])), "png", width=100, height=100)
        print(f"browser start and a first tiny image: {time.perf_counter() - started:.1f} s")
        for label, selection, names in cases:
            runs = []
            for run in range(args.repeat):
                seconds, steps, deck = timed_deck(
                    store, selection, names, renderer, f"Benchmark: {label}"
                )
                runs.append(seconds)
                detail = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
                print(f"{label}, run {run + 1}: {seconds:.1f} s ({detail}); {len(deck) // 1024} KB")
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    name = (
                        "default" if not selection.units else f"{selection.units[0]}-{len(names)}"
                    )
                    (args.out / f"deck-{name}.pptx").write_bytes(deck)
            verdict = "within" if min(runs) <= 10 else "over"
            print(
                f"  best {min(runs):.1f} s, median {statistics.median(runs):.1f} s: {verdict} 10 s"
            )
    print(f"total with browser start and stop: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
