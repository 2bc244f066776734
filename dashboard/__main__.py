"""Command line: briefings (`export-slides`, `export-chart`), official data (`import`,
`build-data`) and the open data package (`dump`).

Every argument is checked against the data before anything is drawn, and files are written
whole or not at all, so a typo never leaves a half-written deck behind.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from dashboard import export
from dashboard.charts import CHARTS, build_chart
from dashboard.config import Settings, SettingsError
from dashboard.datastore import DataError, DataStore, load_store
from dashboard.geography import BOUNDARY_PATH
from dashboard.measures import DEFAULT_MEASURE, MEASURE_IDS
from dashboard.selection import Selection
from dashboard.store import cli as store_cli

PROG = "python -m dashboard"
EXIT_USAGE = 2  # a bad argument, as argparse itself uses
EXIT_FAILED = 1  # the arguments were fine but the file could not be made


EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class UsageError(ValueError):
    """An argument names something the data does not have."""


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="UNIT_ID",
        help="a unit_id from data/units.csv; repeat for several units (default: all units)",
    )
    parser.add_argument(
        "--year", help="a financial year such as 2019-20 or 2019/20 (default: all years)"
    )
    parser.add_argument(
        "--measure",
        help=f"a measure of the map and charts (default: {DEFAULT_MEASURE})",
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, help="the file to write (its folder must exist)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the output file if it exists already"
    )


def build_parser() -> argparse.ArgumentParser:
    """The commands and their options (also what `--help` prints)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Export the VRU dashboard's charts for briefings, or import official tables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    slides = commands.add_parser(
        "export-slides",
        help="a 16:9 PowerPoint deck of the charts for the chosen units and year",
        description="Write a 16:9 PowerPoint deck: a title slide, one slide per chart with "
        "figures for the filters (picture, alt text, source line, notes), and data caveats.",
    )
    _filters(slides)
    slides.add_argument(
        "--view",
        help="only the charts of one view: " + ", ".join(sorted({s.view for s in CHARTS.values()})),
    )
    slides.add_argument(
        "--chart",
        action="append",
        default=[],
        metavar="CHART",
        help="only these charts (repeat); default: every chart",
    )
    slides.add_argument("--title", help="the deck's title (default: 'VRU briefing: <units>')")
    chart = commands.add_parser(
        "export-chart",
        help="one chart as a PNG, SVG or PDF image, or its data as CSV or XLSX",
        description="Write one chart in presentation style (title, subtitle and source inside "
        "the image), or the data it shows.",
    )
    chart.add_argument("chart", help="the chart's name: " + ", ".join(CHARTS))
    chart.add_argument("--format", required=True, choices=("png", "svg", "pdf", "csv", "xlsx"))
    chart.add_argument(
        "--size",
        choices=export.PNG_SIZE_KEYS,
        help="pixel size of a PNG (default: 1920x1080; drawn at 2x scale)",
    )
    _filters(chart)
    importer = commands.add_parser(
        "import",
        help="read a publisher's file (DfE exclusions, ONS force area tables or population "
        "estimates) into tidy rows",
        description="Check a whole publisher's file and print how many tidy rows it gives; with "
        "-o, write them as CSV. A file that is not in the publisher's layout is refused (exit "
        "2) with the sheet, row and column that could not be read.",
    )
    importer.add_argument("kind", choices=IMPORT_KINDS, help="the publisher's format")
    importer.add_argument("file", type=Path, help="the publisher's file (.csv, .xlsx or .xls)")
    importer.add_argument("-o", "--output", type=Path, help="write the rows to this CSV file")
    importer.add_argument(
        "--mid-year",
        type=int,
        help="ons-population only: the mid-year of an 'All ages' table whose title was lost",
    )
    store_cli.add_commands(commands)
    from dashboard.auth import cli as users_cli

    users_cli.add_parser(commands)
    commands.add_parser(
        "build-data",
        help="rebuild data/official/ and data/observations_official.csv from data/raw/",
        description="What `make data` runs: check data/raw/MANIFEST.csv, import every file and "
        "write the derived tables (the same bytes on every run).",
    )
    dump = commands.add_parser(
        "dump",
        help="write every table as a Frictionless Data Package (the backup and the open data "
        "download)",
        description="Write one CSV per table and a datapackage.json (table schemas, keys, "
        "licence, sources) into FOLDER: the same files as /api/v1/datapackage.zip.",
    )
    dump.add_argument("-o", "--output", required=True, type=Path, help="the folder to write")
    dump.add_argument(
        "--force", action="store_true", help="replace a package already in the folder"
    )
    return parser


IMPORT_KINDS = ("dfe-exclusions", "ons-pfa-tables", "ons-population")


def run_import(args: argparse.Namespace) -> int:
    """`import KIND FILE [-o OUT.csv]`: all rows or none; exit 2 with one message if refused."""
    from dashboard.importers import (
        AREA_COLUMNS,
        ImportRefused,
        dfe_exclusions,
        ons_pfa_tables,
        ons_population,
    )
    from dashboard.official import to_csv_text

    if not args.file.is_file():
        print(f"{PROG} import: error: {args.file} is not a file", file=sys.stderr)
        return EXIT_USAGE
    if args.output is not None:
        try:
            _check_output(args.output, "csv")
        except UsageError as error:
            print(f"{PROG} import: error: {error}", file=sys.stderr)
            return EXIT_USAGE
    started = time.perf_counter()
    try:
        if args.kind == "dfe-exclusions":
            rows = dfe_exclusions.import_file(args.file)
        elif args.kind == "ons-pfa-tables":
            rows = ons_pfa_tables.import_file(args.file)
        else:
            rows = ons_population.import_file(args.file, mid_year=args.mid_year)
    except ImportRefused as error:
        print(f"{PROG} import: refused: {error}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    if args.output is not None:
        text = to_csv_text(rows[list(AREA_COLUMNS)], ["series", "metric_id", "area_code", "row"])
        write_whole(args.output, text.encode("utf-8"))
    where = f", written to {args.output}" if args.output is not None else ""
    print(f"{args.file.name}: {len(rows)} rows imported in {elapsed:.1f} s{where}")
    return 0


def run_build_data() -> int:
    from dashboard import build_data
    from dashboard.importers import ImportRefused

    try:
        log = build_data.build()
    except ImportRefused as error:
        print(f"{PROG} build-data: refused: {error}", file=sys.stderr)
        return EXIT_USAGE
    print("\n".join(log))
    return 0


def run_dump(args: argparse.Namespace, settings: Settings) -> int:
    """`dump -o FOLDER`: the whole Data Package of the store (its current figures, releases and
    every version of every figure); each file written whole or not at all."""
    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.api.datapackage import DESCRIPTOR, write_package
    from dashboard.store import Store

    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        print(f"{PROG} dump: error: {folder} is a file; give a folder", file=sys.stderr)
        return EXIT_USAGE
    if (folder / DESCRIPTOR).exists() and not args.force:
        print(
            f"{PROG} dump: error: {folder} holds a package already; add --force to replace it",
            file=sys.stderr,
        )
        return EXIT_USAGE
    started = time.perf_counter()
    try:
        store = Store.from_settings(settings)
        store.ensure_ready()
        written = write_package(store.snapshot(), folder, store.history())
    except (DataError, SQLAlchemyError) as error:
        print(f"{PROG} dump: {error}; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"{PROG} dump: {error}", file=sys.stderr)
        return EXIT_FAILED
    elapsed = time.perf_counter() - started
    print(f"Wrote {len(written)} files to {folder} in {elapsed:.1f} s")
    return 0


def selection_from(args: argparse.Namespace, store: DataStore) -> Selection:
    """The filters of the command line, checked against the data; UsageError names the bad one."""
    known_units = set(store.unit_ids)
    for unit in args.unit:
        if unit not in known_units:
            raise UsageError(
                f"unknown unit '{unit}'. Known units: {', '.join(sorted(known_units))}"
            )
    year = args.year.replace("/", "-") if args.year else None
    if year is not None and year not in store.programme_years:
        raise UsageError(
            f"no figures for year '{args.year}'. Years with figures: "
            + ", ".join(store.programme_years)
        )
    measure = args.measure or DEFAULT_MEASURE
    if measure not in MEASURE_IDS:
        raise UsageError(f"unknown measure '{measure}'. Measures: {', '.join(MEASURE_IDS)}")
    return Selection(tuple(dict.fromkeys(args.unit)), year, measure)


def _chart_names(args: argparse.Namespace) -> list[str]:
    for name in args.chart:
        if name not in CHARTS:
            raise UsageError(f"unknown chart '{name}'. Charts: {', '.join(CHARTS)}")
    views = {spec.view for spec in CHARTS.values()}
    if args.view and args.view not in views:
        raise UsageError(f"unknown view '{args.view}'. Views: {', '.join(sorted(views))}")
    names = args.chart or list(CHARTS)
    return [n for n in names if not args.view or CHARTS[n].view == args.view]


def _check_output(path: Path, extension: str, force: bool = False) -> None:
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name ending in .{extension}")
    if path.exists() and not force:
        raise UsageError(f"{path} exists; add --force to replace it")


def write_whole(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def deck_title(store: DataStore, selection: Selection) -> str:
    """'VRU briefing: Kent and Essex' for up to three units, else 'VRU briefing'."""
    if not selection.units or len(selection.units) > 3:
        return "VRU briefing"
    names = store.units.set_index("unit_id").loc[list(selection.units), "area_name"]
    return "VRU briefing: " + " and ".join(names)


def export_slides(args: argparse.Namespace, store: DataStore) -> str:
    selection = selection_from(args, store)
    names = _chart_names(args)
    _check_output(args.output, "pptx", args.force)
    title = args.title or deck_title(store, selection)
    results, failed = export.build_results(store, selection, names)
    for name in failed:
        print(f"warning: the chart '{name}' could not be built; see the log", file=sys.stderr)
    with export.ImageRenderer() as renderer:
        pictures = export.slide_pictures(results, renderer)
    context = export.export_context(store, selection)
    deck = export.build_deck(
        results, title=title, context=context, pictures=pictures, failed=failed
    )
    write_whole(args.output, deck)
    shown = sum(export.has_marks(result) for result in results)
    return f"{shown} of {len(names)} charts have figures for these filters"


def check_names(args: argparse.Namespace) -> None:
    """What can be checked before the data is loaded: chart and view names, option pairs."""
    if args.command == "dump":
        return
    if args.command == "export-chart":
        if args.chart not in CHARTS:
            raise UsageError(f"unknown chart '{args.chart}'. Charts: {', '.join(CHARTS)}")
        if args.size and args.format != "png":
            raise UsageError("--size applies to PNG only; SVG and PDF are scalable")
    else:
        _chart_names(args)


def export_chart(args: argparse.Namespace, store: DataStore) -> str:
    selection = selection_from(args, store)
    _check_output(args.output, args.format, args.force)
    result = build_chart(args.chart, store, selection)
    context = export.export_context(store, selection)
    format_name = export.format_key(args.format, args.size)
    if export.FORMATS[format_name].is_image:
        with export.ImageRenderer() as renderer:
            payload = export.chart_file(result, format_name, context, renderer)
    else:
        payload = export.chart_file(result, format_name, context)
    write_whole(args.output, payload)
    return export.FORMATS[format_name].label


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status (0 done, 1 failed, 2 bad arguments)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "import":
        return run_import(args)
    if args.command == "build-data":
        return run_build_data()
    if args.command in store_cli.STORE_COMMANDS:
        return store_cli.run(args)
    if args.command == "users":
        from dashboard.auth import cli as users_cli

        return users_cli.run(args)
    try:
        check_names(args)
    except UsageError as error:
        parser.exit(EXIT_USAGE, f"{PROG} {args.command}: error: {error}\n")
    if args.command == "dump":
        try:
            return run_dump(args, Settings.from_env())
        except SettingsError as error:
            print(f"{PROG}: {error}", file=sys.stderr)
            return EXIT_FAILED
    try:
        settings = Settings.from_env()
        geo_path = settings.geo_dir / BOUNDARY_PATH.name
        store = load_store(settings.data_dir, geo_path if geo_path.is_file() else None)
    except (SettingsError, DataError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_FAILED
    started = time.perf_counter()
    command = export_slides if args.command == "export-slides" else export_chart
    try:
        what = command(args, store)
    except UsageError as error:
        parser.exit(EXIT_USAGE, f"{PROG} {args.command}: error: {error}\n")
    except (export.ExportError, OSError) as error:
        print(f"{PROG} {args.command}: {error}; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    elapsed = time.perf_counter() - started
    print(f"Wrote {args.output} ({what}) in {elapsed:.1f} s")
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """`main`, with Ctrl-C ending in one line and the shell's status for it (130), not a
    traceback; nothing half-written is left (see `write_whole`)."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(run())
