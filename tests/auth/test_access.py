"""No editor page or action answers without a session, or with the wrong role; nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashboard.auth.models import Account, AuditEvent
from dashboard.store.models import Observation, Release
from tests.auth.conftest import sign_in, token_from

UNIT = "essex"
OTHER_UNIT = "kent"
FIGURE = {
    "unit": UNIT,
    "metric_id": "reach_total",
    "financial_year": "2022-23",
    "value": "1250",
    "qualifier": "exact",
    "value_status": "reported",
    "period_label": "April 2022 to March 2023",
    "definition": "Young people who took part in at least one funded session",
}
PAGES = ["/upload", "/upload/template.csv", "/upload/template.xlsx", "/review", "/admin"]
ACTIONS = [
    ("/upload/check", {"unit": UNIT}),
    ("/upload/figure", FIGURE),
    ("/upload/submit", {"payload": "x"}),
    ("/review/1/publish", {}),
    ("/review/1/reject", {"reason": "no"}),
    ("/review/1/withdraw", {"reason": "no"}),
    ("/admin/accounts", {"username": "intruder", "password": "p" * 20, "admin": "1"}),
    ("/admin/accounts/someone/disable", {}),
    ("/admin/accounts/someone/password", {"password": "p" * 20}),
    ("/admin/accounts/someone/roles", {"admin": "1"}),
]


def _counts(figures) -> tuple[int, int, int]:
    with figures.engine.connect() as connection:
        return (
            connection.execute(select(func.count()).select_from(Release)).scalar_one(),
            connection.execute(select(func.count()).select_from(Observation)).scalar_one(),
            connection.execute(select(func.count()).select_from(Account)).scalar_one(),
        )


@pytest.mark.parametrize("path", PAGES)
def test_editor_pages_send_a_visitor_without_a_session_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    json = client.get(path, headers={"Accept": "application/json"})
    assert json.status_code == 401
    assert json.get_json() == {"error": "sign in first"}


@pytest.mark.parametrize(("path", "form"), ACTIONS)
def test_editor_actions_without_a_session_change_nothing(client, figures, path, form):
    before = _counts(figures)
    response = client.post(path, data=form)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    api = client.post(path, json=form)
    assert api.status_code == 401
    assert _counts(figures) == before


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (("editor", UNIT), ["/review", "/admin"]),
        (("publisher", ""), ["/upload", "/upload/template.csv", "/admin"]),
        (("admin", ""), ["/upload", "/review"]),
    ],
)
def test_each_role_is_refused_the_other_roles_pages(client, people, role, paths):
    username = people.make("user", role)
    assert sign_in(client, username).status_code == 302
    for path in paths:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        (("editor", UNIT), [a for a in ACTIONS if not a[0].startswith("/upload")]),
        (("publisher", ""), [a for a in ACTIONS if not a[0].startswith("/review")]),
        (("admin", ""), [a for a in ACTIONS if not a[0].startswith("/admin")]),
    ],
)
def test_each_role_is_refused_the_other_roles_actions(client, people, figures, role, actions):
    username = people.make("user", role)
    sign_in(client, username)
    home = {"editor": "/upload", "publisher": "/review", "admin": "/admin"}[role[0]]
    token = token_from(client, home)
    before = _counts(figures)
    for path, form in actions:
        response = client.post(path, data={**form, "csrf_token": token})
        assert response.status_code == 403, path
    assert _counts(figures) == before


def test_an_editor_cannot_use_another_units_template_or_submit_for_it(client, people, figures):
    sign_in(client, people.make("essex", ("editor", UNIT)))
    assert client.get(f"/upload/template.csv?unit={OTHER_UNIT}").status_code == 403
    token = token_from(client)
    before = _counts(figures)
    response = client.post(
        "/upload/figure", data={**FIGURE, "unit": OTHER_UNIT, "csrf_token": token}
    )
    assert response.status_code == 403
    assert _counts(figures) == before


def test_a_state_change_without_the_csrf_token_is_refused(client, people, figures):
    sign_in(client, people.make("pub", ("publisher", ""), ("admin", "")))
    before = _counts(figures)
    for path, form in ACTIONS[3:]:
        assert client.post(path, data=form).status_code == 403, path
        assert client.post(path, data={**form, "csrf_token": "forged"}).status_code == 403
    assert _counts(figures) == before


def test_a_form_posted_from_another_site_is_refused_even_with_a_token(client, people, figures):
    sign_in(client, people.make("admin", ("admin", "")))
    token = token_from(client, "/admin")
    before = _counts(figures)
    response = client.post(
        "/admin/accounts",
        data={"username": "x-from-evil", "password": "p" * 20, "admin": "1", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert _counts(figures) == before


def test_sign_in_itself_needs_the_csrf_token(client, people):
    username = people.make("editor", ("editor", UNIT))
    response = client.post("/login", data={"username": username, "password": "x"})
    assert response.status_code == 403
    assert client.get("/upload").status_code == 302


def test_a_cookie_copied_before_sign_out_is_refused_after_it(editors_app, client, people):
    sign_in(client, people.make("editor", ("editor", UNIT)))
    assert client.get("/upload").status_code == 200
    cookie = client.get_cookie("vru_session").value
    token = token_from(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = editors_app.server.test_client()
    replay.set_cookie("vru_session", cookie)
    response = replay.get("/upload")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_an_idle_session_ends(client, people, monkeypatch):
    import time

    from dashboard.auth import web

    sign_in(client, people.make("editor", ("editor", UNIT)))
    assert client.get("/upload").status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(web.time, "time", lambda: later)
    assert client.get("/upload").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite_lax(client, people):
    response = sign_in(client, people.make("editor", ("editor", UNIT)))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain HTTP in this test


def test_a_disabled_accounts_session_ends_at_once(client, people, figures):
    from dashboard.auth import accounts

    username = people.make("editor", ("editor", UNIT))
    sign_in(client, username)
    assert client.get("/upload").status_code == 200
    accounts.set_active(figures.engine, username, False, by="test")
    assert client.get("/upload").status_code == 302


def test_sign_ins_and_refusals_are_in_the_audit_log(client, people, figures):
    username = people.make("editor", ("editor", UNIT))
    sign_in(client, username, "wrong password!")
    sign_in(client, username)
    with figures.engine.connect() as connection:
        actions = list(
            connection.execute(
                select(AuditEvent.action, AuditEvent.address).where(AuditEvent.actor == username)
            )
        )
    assert ("sign-in failed", client.environ_base["REMOTE_ADDR"]) in actions
    assert ("signed in", client.environ_base["REMOTE_ADDR"]) in actions
