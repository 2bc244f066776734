"""`python -m dashboard db upgrade|seed|releases`, `load FILE`, `withdraw RELEASE`: thin commands
over the Store, each ending in one line of outcome and a clear exit status."""

from __future__ import annotations

import argparse
import getpass
import sys
from io import StringIO
from pathlib import Path

import pandas as pd

from dashboard.config import Settings, SettingsError
from dashboard.datastore import DataError
from dashboard.store import Store, StoreError, database_url, migrate
from dashboard.store.loading import IMPORT_KINDS, file_sha256, read_observation_file

PROG = "python -m dashboard"
EXIT_FAILED = 1
EXIT_USAGE = 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The store's commands, added to the command line's parser."""
    db = commands.add_parser(
        "db",
        help="create or migrate the store's database, or fill it from the data folder",
        description="upgrade: apply the schema migrations (run once before starting workers). "
        "seed: load the bundled tables of the data folder when they changed (the first time, "
        "all of them). releases: list every release.",
    )
    db.add_argument("action", choices=("upgrade", "seed", "releases"))
    load = commands.add_parser(
        "load",
        help="check a file of figures completely, then add it to the store as one release",
        description="Check every row first (every problem is listed with file, row, column and "
        "rule; exit 2 and nothing stored), then add or correct the figures in one transaction. "
        "FILE is a CSV in the observation format of data/observations.csv, or with --kind a "
        "publisher's file read by the importers.",
    )
    load.add_argument("file", type=Path)
    load.add_argument(
        "--kind",
        choices=IMPORT_KINDS,
        help="read FILE with an importer: a DfE exclusions CSV or ONS police force area tables",
    )
    load.add_argument("--by", help="who is loading (default: the login name)")
    load.add_argument("--reason", default="", help="why, shown on the Revisions page")
    withdraw = commands.add_parser(
        "withdraw",
        help="take back a published release (its figures stay in the history, marked withdrawn)",
        description="Withdraw every figure a release still shows; figures it had corrected are "
        "shown again. The reason is shown on the Revisions page.",
    )
    withdraw.add_argument("release", type=int, help="the release id (see `db releases`)")
    withdraw.add_argument("--reason", required=True, help="why the figures are taken back")
    withdraw.add_argument("--by", help="who withdraws it (default: the login name)")


STORE_COMMANDS = ("db", "load", "withdraw")


def _user(args: argparse.Namespace) -> str:
    if getattr(args, "by", None):
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _importer_rows(kind: str, path: Path, data_dir: Path) -> pd.DataFrame:
    """A publisher's file as observation rows, as `make data` derives them (text cells)."""
    from dashboard import official, schema
    from dashboard.build_data import read_units
    from dashboard.importers import dfe_exclusions, ons_pfa_tables

    units = read_units(data_dir)
    if kind == "dfe-exclusions":
        rows, _gaps = official.exclusion_observations(
            dfe_exclusions.import_file(path, data_dir), units
        )
    elif kind == "ons-pfa":
        rows, _gaps = official.knife_observations(ons_pfa_tables.import_file(path, data_dir), units)
    else:
        raise StoreError(
            "population estimates are the denominators of rates, not figures of their own; "
            "rebuild them with `make data`"
        )
    columns = list(schema.OBSERVATIONS.column_names)
    frame = pd.DataFrame(rows, columns=columns)
    text = official.to_csv_text(frame, ["obs_id"])
    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_filter=False)


def run(args: argparse.Namespace) -> int:
    """Run one store command; 0 done, 1 failed (database, state), 2 refused input."""
    try:
        settings = Settings.from_env()
        store = Store.from_settings(settings)
        if args.command == "db":
            return _db(args, store, settings)
        store.ensure_ready()
        if args.command == "load":
            return _load(args, store, settings)
        count = store.withdraw(args.release, by=_user(args), reason=args.reason)
        print(f"Release {args.release} withdrawn: {count} figures no longer shown.")
        return 0
    except SettingsError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except DataError as error:
        print(f"{PROG} {args.command}: refused, nothing was stored.\n{error}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as error:
        print(f"{PROG} {args.command}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # the database: unreachable, locked, refused
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(error, SQLAlchemyError):
            raise
        where = database_url(settings).split("@")[-1]
        print(
            f"{PROG} {args.command}: the database ({where}) failed: "
            f"{type(error).__name__}: {str(error).splitlines()[0]}; nothing was changed",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _db(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    if args.action == "upgrade":
        store.upgrade()
        print(f"The database is at schema revision {migrate.current(store.engine)}.")
        return 0
    if args.action == "seed":
        if not store.is_current_schema():
            store.upgrade()
        release_id = store.seed()
        if release_id is None:
            print(f"The bundled tables of {settings.data_dir} are in the store already.")
        else:
            print(f"Release {release_id}: the bundled tables of {settings.data_dir} loaded.")
        return 0
    store.ensure_ready()
    releases = store.releases()
    for r in releases.to_dict("records"):
        when = r["published_at"] if not pd.isna(r["published_at"]) else r["created_at"]
        print(
            f"{r['release_id']:>5}  {r['status']:<9}  {when:%Y-%m-%d %H:%M}  "
            f"+{r['rows_added']} ~{r['rows_changed']} -{r['rows_withdrawn']}  "
            f"{r['command']}  {r['source_file']}  by {r['created_by']}"
        )
    return 0


def _load(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"{PROG} load: error: {path} is not a file", file=sys.stderr)
        return EXIT_USAGE
    who = _user(args)
    command = f"load {'--kind ' + args.kind + ' ' if args.kind else ''}{path.name}"

    def checked(count: int) -> None:
        print(f"{path.name}: {count} rows checked; writing them as one release ...", flush=True)

    if args.kind:
        from dashboard.importers import ImportRefused

        try:
            rows = _importer_rows(args.kind, path, settings.data_dir)
        except ImportRefused as error:
            print(f"{PROG} load: refused: {error}", file=sys.stderr)
            return EXIT_USAGE
    else:
        rows = read_observation_file(path)
    release_id = store.load_rows(
        rows,
        source_file=str(path),
        sha256=file_sha256(path),
        by=who,
        command=command,
        on_checked=checked,
        reason=args.reason,
    )
    made = store.releases().set_index("release_id").loc[release_id]
    print(
        f"Release {release_id}: {made['rows_added']} figures added, {made['rows_changed']} "
        f"corrected, data version {store.version()}."
    )
    return 0
