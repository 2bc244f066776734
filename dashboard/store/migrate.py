"""Schema migrations (Alembic), run from Python on the store's own engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head", *, lock: int | None = None) -> None:
    """Bring the database to `revision`, in one transaction on PostgreSQL. With `lock` (a
    PostgreSQL advisory lock key), replicas starting together migrate one after the other."""
    config = alembic_config()
    with engine.begin() as connection:
        if lock is not None:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
