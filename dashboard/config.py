"""Settings, declared once (name, default, help) and read from the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _as_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _as_port(raw: str) -> int:
    port = int(raw)
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be 0-65535, got {port}")
    return port


def _as_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(f"unknown log level {raw!r}")
    return level


def _as_dir(raw: str) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _as_origins(raw: str) -> tuple[str, ...]:
    return tuple(part for part in raw.replace(",", " ").split() if part)


def _as_positive_int(raw: str) -> int:
    number = int(raw)
    if number < 1:
        raise ValueError(f"must be 1 or more, got {number}")
    return number


def _as_bind(raw: str) -> str:
    address = raw.strip()
    if address.startswith("unix:"):
        return address
    host, sep, port = address.rpartition(":")
    if not sep or not host:
        raise ValueError(f"expected HOST:PORT or unix:PATH, got {raw!r}")
    _as_port(port)
    return address


def _as_database_url(raw: str) -> str:
    url = raw.strip()
    if url and not url.startswith(("sqlite:///", "postgresql+psycopg://")):
        raise ValueError("expected postgresql+psycopg://... or sqlite:///PATH")
    return url


def _as_poll_seconds(raw: str) -> float:
    seconds = float(raw)
    if not 0.1 <= seconds <= 60:
        raise ValueError(f"must be between 0.1 and 60 seconds, got {seconds}")
    return seconds


def _setting(env: str, default: str, help_text: str, parse: Callable[[str], Any] = str) -> Any:
    """Declare a setting: the env var, its default (as the user would type it) and a help line."""
    return field(metadata={"env": env, "default": default, "help": help_text, "parse": parse})


class SettingsError(ValueError):
    """An environment variable holds a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything an operator can change, each field documented in README.md."""

    host: str = _setting("VRU_HOST", "127.0.0.1", "Interface the development server listens on.")
    port: int = _setting("VRU_PORT", "8050", "Port of the development server.", _as_port)
    debug: bool = _setting(
        "VRU_DEBUG",
        "false",
        "Dash debug mode (hot reload, error pop-ups); never in production.",
        _as_bool,
    )
    data_dir: Path = _setting(
        "VRU_DATA_DIR",
        "data",
        "Folder holding the CSV tables (relative paths start at the project folder).",
        _as_dir,
    )
    geo_dir: Path = _setting(
        "VRU_GEO_DIR", "geo", "Folder holding police_force_areas.geojson.", _as_dir
    )
    log_level: str = _setting("VRU_LOG_LEVEL", "INFO", "Python logging level.", _as_level)
    contact: str = _setting(
        "VRU_CONTACT",
        "",
        "Where users send questions and corrections (an email address or a web address), "
        "shown in every footer and on the methods page; empty says no contact is set.",
    )
    embed_origins: tuple[str, ...] = _setting(
        "VRU_EMBED_ORIGINS",
        "*",
        "Origins allowed to frame /embed/ pages (space or comma separated; * for any). "
        "Every other page refuses to be framed.",
        _as_origins,
    )
    cache_redis_url: str = _setting(
        "CACHE_REDIS_URL", "", "Redis URL for the figure/export cache; empty keeps it in-process."
    )
    cache_timeout: int = _setting(
        "VRU_CACHE_TIMEOUT", "3600", "Seconds a cached figure or export is kept.", int
    )
    callback_cache: bool = _setting(
        "VRU_CALLBACK_CACHE",
        "true",
        "Answer a repeated callback request from the cache (callbacks are pure functions of "
        "their inputs); false recomputes every answer.",
        _as_bool,
    )
    asset_cache_dir: Path = _setting(
        "VRU_ASSET_CACHE_DIR",
        "build/compressed",
        "Folder keeping scripts and styles compressed at start-up, so later starts reuse them "
        "(relative paths start at the project folder; it may be read-only).",
        _as_dir,
    )
    bind: str = _setting(
        "VRU_BIND",
        "127.0.0.1:8050",
        "Address gunicorn listens on (HOST:PORT, or unix:PATH); 0.0.0.0:8050 in the container.",
        _as_bind,
    )
    workers: int = _setting(
        "VRU_WORKERS",
        "2",
        "gunicorn worker processes; about one per CPU core (each holds the data and a cache).",
        _as_positive_int,
    )
    threads: int = _setting(
        "VRU_THREADS",
        "8",
        "Threads per gunicorn worker (gthread), so slow exports do not block quick callbacks.",
        _as_positive_int,
    )
    timeout: int = _setting(
        "VRU_TIMEOUT",
        "120",
        "Seconds one request may run: the app then stops it and answers 503 (slide decks take a "
        "few seconds); gunicorn also restarts a worker whose main loop is silent this long.",
        _as_positive_int,
    )
    max_body: int = _setting(
        "VRU_MAX_BODY",
        "2000000",
        "Largest request body accepted, in bytes; larger ones get 413 before they are read "
        "(the largest real callback, a CSV download of the data grid, sends about 200 KB).",
        _as_positive_int,
    )
    cache_max_entries: int = _setting(
        "VRU_CACHE_MAX_ENTRIES",
        "2000",
        "Most answers, charts and exports kept in each worker's in-process cache.",
        _as_positive_int,
    )
    cache_max_mb: int = _setting(
        "VRU_CACHE_MAX_MB",
        "100",
        "Most megabytes each worker's in-process cache holds; the least recently used go first.",
        _as_positive_int,
    )
    https: bool = _setting(
        "VRU_HTTPS",
        "false",
        "The site is served over HTTPS (by a proxy in front): send Strict-Transport-Security.",
        _as_bool,
    )
    database_url: str = _setting(
        "VRU_DATABASE_URL",
        "",
        "Database of the figures, e.g. postgresql+psycopg://user@host/vru (several replicas); "
        "empty: a SQLite file in VRU_STORE_DIR.",
        _as_database_url,
    )
    store_dir: Path = _setting(
        "VRU_STORE_DIR",
        "instance",
        "Folder of the SQLite store (vru.sqlite), created and seeded from the data folder on "
        "first start.",
        _as_dir,
    )
    store_poll_seconds: float = _setting(
        "VRU_STORE_POLL_SECONDS",
        "2",
        "How often each worker checks the store for a new release (seconds).",
        _as_poll_seconds,
    )
    # Editors (sign-in, upload, review, admin): see README "Editors".
    secret_key: str = _setting(
        "VRU_SECRET_KEY",
        "",
        "Key that signs sign-in cookies (at least 32 random characters, the same in every "
        "worker and replica); empty switches sign-in and every editor page off.",
    )
    session_idle_minutes: int = _setting(
        "VRU_SESSION_IDLE_MINUTES",
        "30",
        "Minutes without a request after which an editor's session ends.",
        _as_positive_int,
    )
    login_max_failures: int = _setting(
        "VRU_LOGIN_MAX_FAILURES",
        "5",
        "Failed sign-ins for one account within VRU_LOGIN_WINDOW_MINUTES before it is locked "
        "for that long (an address may fail four times as often).",
        _as_positive_int,
    )
    login_window_minutes: int = _setting(
        "VRU_LOGIN_WINDOW_MINUTES",
        "15",
        "Minutes over which failed sign-ins are counted, and how long a lock lasts.",
        _as_positive_int,
    )
    oidc_issuer: str = _setting(
        "VRU_OIDC_ISSUER",
        "",
        "OpenID Connect issuer URL (its /.well-known/openid-configuration is read); empty "
        "switches single sign-on off.",
    )
    oidc_client_id: str = _setting(
        "VRU_OIDC_CLIENT_ID", "", "Client id registered with the OpenID Connect provider."
    )
    oidc_client_secret: str = _setting(
        "VRU_OIDC_CLIENT_SECRET", "", "Client secret registered with the OpenID Connect provider."
    )
    oidc_username_claim: str = _setting(
        "VRU_OIDC_USERNAME_CLAIM",
        "email",
        "The claim of the provider's ID token that names an existing account's username.",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables, falling back to the declared defaults."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            meta = spec.metadata
            raw = environ.get(meta["env"], meta["default"])
            try:
                values[spec.name] = meta["parse"](raw)
            except (TypeError, ValueError) as exc:
                raise SettingsError(f"{meta['env']}={raw!r} is not valid: {exc}") from None
        return cls(**values)

    @classmethod
    def defaults(cls) -> Settings:
        """Settings as declared, ignoring the environment (used by tests)."""
        return cls.from_env({})


def documented_settings() -> list[tuple[str, str, str]]:
    """(env var, default, help) for each setting: the README table is checked against this."""
    return [
        (f.metadata["env"], f.metadata["default"], f.metadata["help"]) for f in fields(Settings)
    ]
