"""Accounts, roles, sign-in checks and the audit log, on the store's database.

Passwords are hashed with argon2id (memory-hard). Guessing is slowed by the hash itself and
stopped by a lock: too many failures for one account, or from one address, within the window
refuse every further attempt until the window has passed, with the same generic answer as a
wrong password, so an attacker learns nothing about which accounts exist.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update

from dashboard.auth.models import (
    ADMIN,
    EDITOR,
    PUBLISHER,
    ROLES,
    Account,
    AccountRole,
    AuditEvent,
    LoginAttempt,
)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_HASHER = PasswordHasher()
# Verified when the account does not exist, so an unknown name costs as long as a known one.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account change that cannot be made; the message says why, in plain words."""


@dataclass(frozen=True)
class Policy:
    """How much guessing is tolerated before sign-in is refused for a while."""

    max_failures_per_account: int = 5
    max_failures_per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Principal:
    """A signed-in account as the web layer sees it."""

    account_id: int
    username: str
    display_name: str
    nonce: str
    roles: frozenset[tuple[str, str]]

    def has(self, role: str) -> bool:
        return any(r == role for r, _ in self.roles)

    @property
    def editor_units(self) -> tuple[str, ...]:
        return tuple(sorted(unit for role, unit in self.roles if role == EDITOR and unit))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def hash_password(password: str) -> str:
    check_password(password)
    return _HASHER.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")


def check_roles(roles: Iterable[tuple[str, str]], unit_ids: Iterable[str]) -> list[tuple[str, str]]:
    """Roles as (role, unit) pairs: editors name a known unit, the others none."""
    known = set(unit_ids)
    checked = []
    for role, unit in dict.fromkeys(roles):
        if role not in ROLES:
            raise AccountError(f"unknown role '{role}'; roles: {', '.join(ROLES)}")
        if role == EDITOR and unit not in known:
            raise AccountError(f"an editor role needs a known unit, not '{unit}'")
        if role != EDITOR and unit:
            raise AccountError(f"the {role} role is not tied to a unit")
        checked.append((role, unit))
    if not checked:
        raise AccountError("an account needs at least one role")
    return checked


def audit(engine: Engine, actor: str, action: str, detail: str = "", address: str = "") -> None:
    """Record one event (its own transaction, so a refused action is recorded too)."""
    with engine.begin() as connection:
        connection.execute(
            insert(AuditEvent),
            {"at": now(), "actor": actor, "action": action, "detail": detail, "address": address},
        )


def audit_events(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The newest events first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                AuditEvent.at,
                AuditEvent.actor,
                AuditEvent.action,
                AuditEvent.detail,
                AuditEvent.address,
            )
            .order_by(AuditEvent.event_id.desc())
            .limit(limit)
        ).all()
    frame = pd.DataFrame(
        [tuple(r) for r in rows], columns=["at", "actor", "action", "detail", "address"]
    )
    frame["at"] = [_utc(v) for v in frame["at"]]
    return frame


def _account(connection, username: str) -> Any:
    return connection.execute(
        select(*Account.__table__.columns).where(Account.username == username)
    ).one_or_none()


def create_account(
    engine: Engine,
    username: str,
    password: str | None,
    roles: Iterable[tuple[str, str]],
    *,
    unit_ids: Iterable[str],
    by: str,
    address: str = "",
    display_name: str = "",
    oidc_subject: str = "",
) -> int:
    """A new active account; without a password it can sign in only through OpenID Connect."""
    username = username.strip()
    if not username or len(username) > 200 or any(c.isspace() for c in username):
        raise AccountError("a username needs 1 to 200 characters and no spaces")
    checked = check_roles(roles, unit_ids)
    password_hash = hash_password(password) if password is not None else ""
    with engine.begin() as connection:
        if _account(connection, username) is not None:
            raise AccountError(f"there is already an account '{username}'")
        account_id = connection.execute(
            insert(Account).returning(Account.account_id),
            {
                "username": username,
                "display_name": display_name or username,
                "password_hash": password_hash,
                "oidc_subject": oidc_subject,
                "active": True,
                "session_nonce": secrets.token_hex(16),
                "created_at": now(),
            },
        ).scalar_one()
        connection.execute(
            insert(AccountRole),
            [{"account_id": account_id, "role": r, "unit_id": u} for r, u in checked],
        )
    audit(engine, by, "account created", f"{username}: {describe_roles(checked)}", address)
    return int(account_id)


def describe_roles(roles: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{r} of {u}" if u else r for r, u in sorted(roles))


def _change(engine: Engine, username: str, values: dict) -> None:
    with engine.begin() as connection:
        if _account(connection, username) is None:
            raise AccountError(f"there is no account '{username}'")
        # A new nonce ends every session of the account.
        values = {**values, "session_nonce": secrets.token_hex(16)}
        connection.execute(update(Account).where(Account.username == username).values(**values))


def set_active(engine: Engine, username: str, active: bool, *, by: str, address: str = "") -> None:
    _change(engine, username, {"active": active})
    audit(engine, by, "account enabled" if active else "account disabled", username, address)


def reset_password(
    engine: Engine, username: str, password: str, *, by: str, address: str = ""
) -> None:
    """A new password; ends the account's sessions."""
    _change(engine, username, {"password_hash": hash_password(password)})
    audit(engine, by, "password reset", username, address)


def set_roles(
    engine: Engine,
    username: str,
    roles: Iterable[tuple[str, str]],
    *,
    unit_ids: Iterable[str],
    by: str,
    address: str = "",
) -> None:
    checked = check_roles(roles, unit_ids)
    with engine.begin() as connection:
        account = _account(connection, username)
        if account is None:
            raise AccountError(f"there is no account '{username}'")
        connection.execute(delete(AccountRole).where(AccountRole.account_id == account.account_id))
        connection.execute(
            insert(AccountRole),
            [{"account_id": account.account_id, "role": r, "unit_id": u} for r, u in checked],
        )
        connection.execute(
            update(Account)
            .where(Account.account_id == account.account_id)
            .values(session_nonce=secrets.token_hex(16))
        )
    audit(engine, by, "roles changed", f"{username}: {describe_roles(checked)}", address)


def accounts_table(engine: Engine) -> pd.DataFrame:
    """Every account with its roles (no hashes), for the admin page."""
    with engine.connect() as connection:
        accounts = connection.execute(
            select(
                Account.account_id,
                Account.username,
                Account.display_name,
                Account.active,
                Account.created_at,
                Account.oidc_subject,
            ).order_by(Account.username)
        ).all()
        roles = connection.execute(
            select(AccountRole.account_id, AccountRole.role, AccountRole.unit_id)
        ).all()
    by_account: dict[int, list[tuple[str, str]]] = {}
    for account_id, role, unit in roles:
        by_account.setdefault(account_id, []).append((role, unit))
    return pd.DataFrame(
        [
            {
                "username": a.username,
                "display_name": a.display_name,
                "active": bool(a.active),
                "created_at": _utc(a.created_at),
                "roles": describe_roles(by_account.get(a.account_id, [])),
                "single_sign_on": bool(a.oidc_subject),
            }
            for a in accounts
        ],
        columns=["username", "display_name", "active", "created_at", "roles", "single_sign_on"],
    )


def _principal(connection, account: Any) -> Principal:
    roles = connection.execute(
        select(AccountRole.role, AccountRole.unit_id).where(
            AccountRole.account_id == account.account_id
        )
    ).all()
    return Principal(
        account.account_id,
        account.username,
        account.display_name,
        account.session_nonce,
        frozenset((r, u) for r, u in roles),
    )


def _failures(connection, column, value: str, since: dt.datetime) -> int:
    return connection.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    ).scalar_one()


def is_throttled(engine: Engine, username: str, address: str, policy: Policy) -> bool:
    """Whether sign-in is refused for now for this account name or this address."""
    since = now() - policy.window
    with engine.connect() as connection:
        return (
            _failures(connection, LoginAttempt.username, username, since)
            >= policy.max_failures_per_account
            or _failures(connection, LoginAttempt.address, address, since)
            >= policy.max_failures_per_address
        )


def authenticate(
    engine: Engine, username: str, password: str, *, address: str, policy: Policy
) -> Principal | None:
    """The account if the name and password are right and guessing has not locked it; None
    otherwise, for every reason alike. Each attempt and its outcome is recorded."""
    username = username.strip()[:200]
    address = address[:100]
    throttled = is_throttled(engine, username, address, policy)
    with engine.connect() as connection:
        account = _account(connection, username)
        principal = _principal(connection, account) if account is not None else None
    stored = account.password_hash if account is not None and account.password_hash else None
    try:
        # Always hash, even when refusing: the answer takes as long whatever the reason.
        ok = _HASHER.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and stored is not None and not throttled and bool(account and account.active)
    with engine.begin() as connection:
        connection.execute(
            insert(LoginAttempt),
            {"username": username, "address": address, "at": now(), "succeeded": ok},
        )
    if ok:
        audit(engine, username, "signed in", "password", address)
        return principal
    why = "locked after repeated failures" if throttled else "wrong name or password"
    if account is not None and not account.active:
        why = "account disabled"
    audit(engine, username, "sign-in failed", why, address)
    return None


def principal_for(engine: Engine, account_id: int, nonce: str) -> Principal | None:
    """The account behind a session cookie, if it is active and its nonce is still valid."""
    with engine.connect() as connection:
        account = connection.execute(
            select(*Account.__table__.columns).where(Account.account_id == account_id)
        ).one_or_none()
        if account is None or not account.active:
            return None
        if not secrets.compare_digest(account.session_nonce, nonce):
            return None
        return _principal(connection, account)


def principal_for_subject(engine: Engine, username: str, subject: str) -> Principal | None:
    """The active account an identity provider's user maps to (by username), if any."""
    with engine.begin() as connection:
        account = _account(connection, username)
        if account is None or not account.active:
            return None
        if account.oidc_subject and account.oidc_subject != subject:
            return None
        if not account.oidc_subject:
            connection.execute(
                update(Account)
                .where(Account.account_id == account.account_id)
                .values(oidc_subject=subject)
            )
        return _principal(connection, account)


def end_sessions(engine: Engine, account_id: int) -> None:
    """Sign the account out everywhere: every cookie issued so far stops working."""
    with engine.begin() as connection:
        connection.execute(
            update(Account)
            .where(Account.account_id == account_id)
            .values(session_nonce=secrets.token_hex(16))
        )


__all__ = ["ADMIN", "EDITOR", "PUBLISHER", "ROLES"]
