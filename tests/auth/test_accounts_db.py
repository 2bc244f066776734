"""Accounts, sign-in limits and the audit log on both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

from dashboard.auth import accounts
from dashboard.auth.accounts import AccountError, Policy
from dashboard.store import migrate
from tests.store.conftest import (  # noqa: F401 - fixtures shared with the store tests
    database_url,
    postgres_server,
    store,
    synthetic_dir,
)

PASSWORD = "a long enough password"


def test_the_accounts_migration_runs_and_reverts(store):  # noqa: F811 - the fixture
    tables = set(inspect(store.engine).get_table_names())
    assert {"accounts", "account_roles", "login_attempts", "audit_log"} <= tables
    migrate_downgrade = __import__("alembic.command", fromlist=["downgrade"]).downgrade
    config = migrate.alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        migrate_downgrade(config, "0001_initial")
    assert "accounts" not in set(inspect(store.engine).get_table_names())
    store.upgrade()
    assert "accounts" in set(inspect(store.engine).get_table_names())


def test_accounts_sign_in_lock_and_audit_on_each_database(store):  # noqa: F811
    unit = store.snapshot().unit_ids[0]
    accounts.create_account(
        store.engine, "ed", PASSWORD, [("editor", unit)], unit_ids=[unit], by="t"
    )
    with pytest.raises(AccountError, match="already"):
        accounts.create_account(store.engine, "ed", PASSWORD, [("admin", "")], unit_ids=[], by="t")
    policy = Policy(max_failures_per_account=2, max_failures_per_address=8)
    signed = accounts.authenticate(store.engine, "ed", PASSWORD, address="a", policy=policy)
    assert signed is not None and signed.editor_units == (unit,)
    assert accounts.principal_for(store.engine, signed.account_id, signed.nonce) == signed
    for _ in range(2):
        assert (
            accounts.authenticate(store.engine, "ed", "wrong!", address="b", policy=policy) is None
        )
    assert accounts.authenticate(store.engine, "ed", PASSWORD, address="c", policy=policy) is None
    accounts.end_sessions(store.engine, signed.account_id)
    assert accounts.principal_for(store.engine, signed.account_id, signed.nonce) is None
    events = accounts.audit_events(store.engine)
    assert list(events["action"])[:4] == ["sign-in failed"] * 3 + ["signed in"]
    assert events["at"].iloc[0].tzinfo is not None
    assert abs(events["at"].iloc[0] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
