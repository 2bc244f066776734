"""Engines for the store: SQLite (the default, one file) or PostgreSQL (VRU_DATABASE_URL)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from dashboard.config import Settings

SQLITE_FILE = "vru.sqlite"


def database_url(settings: Settings) -> str:
    """VRU_DATABASE_URL, else a SQLite file in VRU_STORE_DIR (created when missing).

    A data folder other than the default gets a SQLite file of its own (named after a hash of
    its path), so pointing VRU_DATA_DIR at another folder never mixes two sets of tables.
    """
    if settings.database_url:
        return settings.database_url
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    name = SQLITE_FILE
    if settings.data_dir.resolve() != Settings.defaults().data_dir.resolve():
        tag = hashlib.sha256(str(settings.data_dir.resolve()).encode()).hexdigest()[:10]
        name = f"vru-{tag}.sqlite"
    return f"sqlite:///{settings.store_dir / name}"


def _sqlite_engine(url: str) -> Engine:
    """SQLite in WAL mode (readers never wait for a load), with real transactions.

    pysqlite's own transaction handling starts a transaction only before a write, so two
    SELECTs of one snapshot could see different data; here SQLAlchemy issues BEGIN itself.
    Writers use BEGIN IMMEDIATE, so two loads take turns instead of failing halfway.
    """
    engine = create_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("vru_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
