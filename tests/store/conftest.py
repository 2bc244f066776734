"""Fixtures of the store tests: every test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is a throw-away cluster made here (initdb in a temporary folder, pg_ctl
start on a free port, stopped at the end), from Debian's `postgresql` package (`make
postgres` installs it). Missing binaries fail the run, so CI cannot pass without them; set
VRU_SKIP_POSTGRES=1 to skip the PostgreSQL half on a machine without them (it says so loudly).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.store import Store
from tests import synthetic

DATA_DIR = PROJECT_ROOT / "data"
GEO_PATH = PROJECT_ROOT / "geo" / "police_force_areas.geojson"
PG_USER = "vru"


def _postgres_bin() -> Path | None:
    configured = os.environ.get("PG_BIN")
    if configured:
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    for candidate in versions:
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` account then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class PostgresServer:
    """A cluster of its own in a temporary folder, reachable on 127.0.0.1:port."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "cluster"
        self.port = _free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres_user(
                [
                    str(self.bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    PG_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres_user(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres_user(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )

    def create_database(self) -> str:
        import psycopg

        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        message = (
            "PostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL half of the store "
            "tests cannot run. Install them with `make postgres` (Debian's postgresql package)"
        )
        if os.environ.get("VRU_SKIP_POSTGRES") == "1":
            warnings.warn(message + "; SKIPPED because VRU_SKIP_POSTGRES=1", stacklevel=1)
            pytest.skip(message + " (VRU_SKIP_POSTGRES=1)")
        pytest.fail(message + ", or set VRU_SKIP_POSTGRES=1 to skip them on this machine.")
    folder = Path("/tmp") / f"vru-pg-{uuid.uuid4().hex[:8]}"
    server = PostgresServer(bin_dir, folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database()


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.write_tables(tmp_path_factory.mktemp("synthetic-data"))


@pytest.fixture
def store(database_url: str, synthetic_dir: Path) -> Store:
    """A store seeded with the small synthetic tables."""
    made = Store(database_url, data_dir=synthetic_dir)
    made.ensure_ready()
    return made


@pytest.fixture
def real_data_store(database_url: str) -> Store:
    """A store seeded with the real bundled tables."""
    made = Store(database_url, data_dir=DATA_DIR, geo_path=GEO_PATH)
    made.ensure_ready()
    return made
