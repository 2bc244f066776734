"""Password guessing is slowed and locked; the answers never say which part was wrong."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import select

from dashboard import __main__ as cli
from dashboard.auth import accounts
from dashboard.auth.accounts import AccountError, Policy
from dashboard.auth.models import Account
from dashboard.config import Settings
from dashboard.factory import create_app
from tests.auth.conftest import PASSWORD, SECRET, editor_settings, sign_in

UNIT = "essex"


def test_a_right_password_signs_in_and_a_wrong_one_says_nothing_specific(client, people):
    username = people.make("editor", ("editor", UNIT))
    wrong = sign_in(client, username, "wrong password!")
    unknown = sign_in(client, "nobody-at-all", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "the name or password is wrong" in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).count("Sign-in failed") == 1
    right = sign_in(client, username)
    assert right.status_code == 302
    assert right.headers["Location"] == "/upload"


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    editors_app, client, people
):
    username = people.make("editor", ("editor", UNIT))
    for _ in range(3):  # VRU_LOGIN_MAX_FAILURES=3 in these tests
        assert sign_in(client, username, "guess guess guess").status_code == 401
    locked = sign_in(client, username)
    assert locked.status_code == 401
    assert "paused after repeated failures" in locked.get_data(as_text=True)
    # From another address too: the lock is on the account, not only on the guesser.
    other = editors_app.server.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert sign_in(other, username).status_code == 401
    assert other.get("/upload").status_code == 302


def test_one_address_guessing_many_accounts_is_locked(client, people):
    names = [people.make(f"e{i}", ("editor", UNIT)) for i in range(2)]
    for attempt in range(12):  # four times the per-account limit, spread over two names
        sign_in(client, names[attempt % 2] + "-typo", "guess guess guess")
    assert sign_in(client, names[0]).status_code == 401


def test_the_lock_lifts_after_the_window(figures, people):
    username = people.make("editor", ("editor", UNIT))
    policy = Policy(max_failures_per_account=2, window=__import__("datetime").timedelta(0))
    for _ in range(3):
        accounts.authenticate(
            figures.engine, username, "nope nope nope", address="a", policy=policy
        )
    assert (
        accounts.authenticate(figures.engine, username, PASSWORD, address="a", policy=policy)
        is not None
    )


def test_passwords_are_stored_as_argon2id_hashes(figures, people):
    username = people.make("editor", ("editor", UNIT))
    with figures.engine.connect() as connection:
        stored = connection.execute(
            select(Account.password_hash).where(Account.username == username)
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_short_passwords_and_unknown_units_are_refused(figures, people):
    with pytest.raises(AccountError, match="at least 12"):
        accounts.create_account(
            figures.engine, "shorty", "short", [("admin", "")], unit_ids=[], by="t"
        )
    with pytest.raises(AccountError, match="known unit"):
        people.make("bad", ("editor", "atlantis"))


def test_without_a_secret_key_every_editor_route_answers_503(real_store, tmp_path):
    app = create_app(Settings.from_env({"VRU_STORE_DIR": str(tmp_path)}), real_store)
    client = app.server.test_client()
    for path in ("/login", "/upload", "/upload/template.csv", "/review", "/admin", "/logout"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "VRU_SECRET_KEY" in response.get_data(as_text=True)
    assert client.post("/login", data={"username": "a", "password": "b"}).status_code == 503
    assert "oidc_login" not in {rule.endpoint for rule in app.server.url_map.iter_rules()}


def test_a_short_secret_key_stops_the_app_from_starting(real_store, tmp_path):
    with pytest.raises(ValueError, match="32 characters"):
        create_app(
            Settings.from_env({"VRU_SECRET_KEY": "short", "VRU_STORE_DIR": str(tmp_path)}),
            real_store,
        )


def test_single_sign_on_is_off_by_default_and_configuring_it_adds_its_routes(
    editors_app, real_store, figures, tmp_path
):
    assert Settings.defaults().oidc_issuer == ""
    endpoints = {rule.endpoint for rule in editors_app.server.url_map.iter_rules()}
    assert "oidc_login" not in endpoints
    settings = editor_settings(
        tmp_path,
        VRU_OIDC_ISSUER="https://idp.example.org/realms/police",
        VRU_OIDC_CLIENT_ID="vru",
        VRU_OIDC_CLIENT_SECRET="s3cret",
    )
    app = create_app(settings, real_store, figures=figures)
    rules = {rule.endpoint: rule.rule for rule in app.server.url_map.iter_rules()}
    assert rules["oidc_login"] == "/login/oidc"
    assert rules["oidc_callback"] == "/login/oidc/callback"
    page = app.server.test_client().get("/login").get_data(as_text=True)
    assert 'href="/login/oidc"' in page


def test_an_identity_provider_user_signs_in_only_to_an_existing_active_account(figures, people):
    username = people.make("sso", ("publisher", ""))
    assert accounts.principal_for_subject(figures.engine, "stranger@example.org", "idp|1") is None
    first = accounts.principal_for_subject(figures.engine, username, "idp|42")
    assert first is not None and first.has("publisher")
    # The account is now bound to that subject: another subject with the same name is refused.
    assert accounts.principal_for_subject(figures.engine, username, "idp|43") is None


def _run_cli(monkeypatch, tmp_path, argv, stdin_text):
    monkeypatch.setenv("VRU_STORE_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    return cli.main(argv)


def test_the_users_command_adds_disables_and_resets_without_a_password_in_argv(
    monkeypatch, tmp_path, capsys
):
    from dashboard.store import Store

    status = _run_cli(
        monkeypatch, tmp_path, ["users", "add", "first-admin", "--admin"], "a long admin password\n"
    )
    assert status == 0
    assert "first-admin created: admin" in capsys.readouterr().out
    store = Store(f"sqlite:///{tmp_path / 'vru.sqlite'}")
    policy = Policy()
    assert accounts.authenticate(
        store.engine, "first-admin", "a long admin password", address="x", policy=policy
    )
    assert (
        _run_cli(
            monkeypatch,
            tmp_path,
            ["users", "reset-password", "first-admin"],
            "another long password\n",
        )
        == 0
    )
    assert not accounts.authenticate(
        store.engine, "first-admin", "a long admin password", address="x", policy=policy
    )
    assert _run_cli(monkeypatch, tmp_path, ["users", "disable", "first-admin"], "") == 0
    assert not accounts.authenticate(
        store.engine, "first-admin", "another long password", address="x", policy=policy
    )
    assert _run_cli(monkeypatch, tmp_path, ["users", "add", "tiny", "--publisher"], "short\n") == 2
    assert "at least 12" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["users", "add", "x", "--admin", "--password", "in-argv-password"])


def test_no_account_exists_until_one_is_created(tmp_path):
    from dashboard.store import Store

    store = Store(f"sqlite:///{tmp_path / 'vru.sqlite'}")
    store.upgrade()
    assert accounts.accounts_table(store.engine).empty
    assert SECRET  # the tests' key; no key ships with the app
    assert Settings.defaults().secret_key == ""
