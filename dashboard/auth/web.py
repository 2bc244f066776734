"""Sign-in and the editors' pages as a Flask blueprint: /login, /logout, /upload, /review, /admin.

Why plain HTML forms and not Dash callbacks: every action that changes data is then an ordinary
POST to one route, which checks the session, the role and a CSRF token before it does anything;
no Dash callback changes data, so the public callbacks need no token. Pages answer a visitor who
is not signed in with a redirect to /login (401 JSON for API-style requests) and a signed-in
visitor without the role with 403, never with their content.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure under VRU_HTTPS) holding the
account id, the account's session nonce and the time of the last request. Signing out changes the
nonce, so a copy of the cookie is refused afterwards; so is one idle longer than the setting.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import flask
import pandas as pd
from itsdangerous import BadSignature, URLSafeSerializer

from dashboard.auth import accounts, uploads
from dashboard.auth.accounts import AccountError, Policy, Principal
from dashboard.auth.models import ADMIN, EDITOR, PUBLISHER
from dashboard.config import Settings
from dashboard.datastore import DataError

log = logging.getLogger(__name__)

EXTENSION = "vru_editors"
SESSION_KEY = "auth"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_NAME = "vru_session"
# How a publisher is named in the public release records (the audit log names the person).
PUBLIC_PUBLISHER = "publisher"
PROTECTED_PATHS = ("/upload", "/review", "/admin", "/logout")
GENERIC_FAILURE = (
    "Sign-in failed: the name or password is wrong, or sign-in is paused after repeated "
    "failures. Try again later, or ask an administrator."
)


@dataclass(frozen=True)
class Editors:
    """What the editor routes need, kept on the Flask app (no module-level state)."""

    settings: Settings
    figures: Any  # dashboard.store.Store
    policy: Policy
    oidc: Any = None

    @property
    def engine(self):
        return self.figures.engine

    @property
    def idle(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.settings.session_idle_minutes)


def editors() -> Editors:
    return flask.current_app.extensions[EXTENSION]


def client_address() -> str:
    return (flask.request.remote_addr or "")[:100]


def _wants_json() -> bool:
    request = flask.request
    return (
        request.path.startswith(("/api/", "/_dash"))
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def csrf_token() -> str:
    token = flask.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        flask.session["csrf"] = token
    return token


def current_principal() -> Principal | None:
    """The signed-in account, or None (and the stale session dropped)."""
    if "principal" in flask.g:
        return flask.g.principal
    flask.g.principal = None
    data = flask.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        account_id, nonce, seen = int(data["id"]), str(data["nonce"]), float(data["seen"])
    except (KeyError, TypeError, ValueError):
        flask.session.pop(SESSION_KEY, None)
        return None
    if time.time() - seen > editors().idle.total_seconds():
        flask.session.pop(SESSION_KEY, None)
        return None
    principal = accounts.principal_for(editors().engine, account_id, nonce)
    if principal is None:
        flask.session.pop(SESSION_KEY, None)
        return None
    data["seen"] = time.time()
    flask.session[SESSION_KEY] = data
    flask.g.principal = principal
    return principal


def start_session(principal: Principal) -> None:
    flask.session.clear()
    flask.session.permanent = True
    flask.session[SESSION_KEY] = {
        "id": principal.account_id,
        "nonce": principal.nonce,
        "seen": time.time(),
    }
    flask.session["csrf"] = secrets.token_urlsafe(32)
    flask.g.principal = principal


def _refuse(status: int, message: str) -> flask.Response:
    if _wants_json():
        return flask.make_response(flask.jsonify({"error": message}), status)
    return flask.make_response(
        flask.render_template("auth/refused.html", status=status, message=message), status
    )


def require(role: str) -> Callable:
    """Only signed-in accounts with `role` reach the view; others get 401/redirect or 403."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None:
                if _wants_json():
                    return _refuse(401, "sign in first")
                return flask.redirect(flask.url_for("editors.login", next=flask.request.path))
            if not principal.has(role):
                return _refuse(403, "Your account may not use this page.")
            return view(principal, *args, **kwargs)

        return wrapped

    return decorate


def _check_csrf() -> flask.Response | None:
    """Every state-changing request to these routes carries the session's token."""
    request = flask.request
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        return _refuse(403, "This form was sent from another site.")
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = flask.session.get("csrf") or ""
    if not expected or not secrets.compare_digest(str(sent), str(expected)):
        return _refuse(
            403,
            "The form has expired or was not sent from this site; reload the page and try again.",
        )
    return None


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no backslashes) is followed."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _home_for(principal: Principal) -> str:
    if principal.has(EDITOR):
        return "/upload"
    if principal.has(PUBLISHER):
        return "/review"
    return "/admin"


def _render(template: str, status: int = 200, **context: Any) -> flask.Response:
    return flask.make_response(flask.render_template(template, **context), status)


def _audit(principal: Principal | None, action: str, detail: str = "") -> None:
    actor = principal.username if principal else "anonymous"
    accounts.audit(editors().engine, actor, action, detail, client_address())


def _snapshot():
    return editors().figures.snapshot()


def _unit_names() -> dict[str, str]:
    units = _snapshot().units
    return dict(zip(units["unit_id"], units["name"], strict=True))


blueprint = flask.Blueprint("editors", __name__, template_folder="templates")


@blueprint.before_app_request
def _guard_state_changes() -> flask.Response | None:
    # Only this blueprint's routes: the public Dash callbacks change nothing.
    if flask.request.blueprint != "editors":
        return None
    if flask.request.endpoint != "editors.login" and current_principal() is None:
        return None  # the route's role check answers: redirect to /login, or 401
    return _check_csrf()


@blueprint.app_context_processor
def _template_helpers() -> dict[str, Any]:
    if flask.request.blueprint != "editors":
        return {}
    return {"csrf_token": csrf_token, "principal": current_principal(), "CSRF_FIELD": CSRF_FIELD}


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> flask.Response:
    ed = editors()
    next_path = _safe_next(flask.request.values.get("next"))
    if flask.request.method == "GET":
        principal = current_principal()
        if principal is not None:
            return flask.redirect(next_path or _home_for(principal))
        return _render("auth/login.html", next_path=next_path, oidc=ed.oidc is not None)
    username = flask.request.form.get("username", "")[:200]
    password = flask.request.form.get("password", "")
    principal = accounts.authenticate(
        ed.engine, username, password, address=client_address(), policy=ed.policy
    )
    if principal is None:
        return _render(
            "auth/login.html",
            401,
            error=GENERIC_FAILURE,
            next_path=next_path,
            oidc=ed.oidc is not None,
            username=username,
        )
    start_session(principal)
    return flask.redirect(next_path or _home_for(principal))


@blueprint.route("/logout", methods=["GET", "POST"])
def logout() -> flask.Response:
    principal = current_principal()
    if flask.request.method == "GET":
        if principal is None:
            return flask.redirect(flask.url_for("editors.login"))
        return _render("auth/logout.html")
    if principal is not None:
        accounts.end_sessions(editors().engine, principal.account_id)
        _audit(principal, "signed out")
    flask.session.clear()
    return flask.redirect(flask.url_for("editors.login", signed_out=1))


# --- upload (editors) ----------------------------------------------------------------------


def _unit_choice(principal: Principal, unit_id: str | None) -> str | None:
    units = principal.editor_units
    if unit_id is None or unit_id == "":
        return units[0] if units else None
    return unit_id if unit_id in units else None


def _upload_page(
    principal: Principal, unit_id: str, status: int = 200, **extra: Any
) -> flask.Response:
    names = _unit_names()
    return _render(
        "auth/upload.html",
        status,
        unit_id=unit_id,
        units=[(u, names.get(u, u)) for u in principal.editor_units],
        unit_name=names.get(unit_id, unit_id),
        metrics=uploads.unit_metrics(_snapshot()).to_dict("records"),
        qualifiers=uploads.schema.QUALIFIERS,
        statuses=uploads.VALUE_STATUSES,
        max_rows=uploads.MAX_ROWS,
        max_kb=uploads.MAX_UPLOAD_BYTES // 1000,
        columns=[
            (c, uploads.COLUMN_HELP[c], c in uploads.REQUIRED) for c in uploads.TEMPLATE_COLUMNS
        ],
        **extra,
    )


@blueprint.route("/upload")
@require(EDITOR)
def upload(principal: Principal) -> flask.Response:
    unit_id = _unit_choice(principal, flask.request.args.get("unit"))
    if unit_id is None:
        return _refuse(403, "Your account may not submit figures for that unit.")
    return _upload_page(principal, unit_id)


@blueprint.route("/upload/template.<fmt>")
@require(EDITOR)
def upload_template(principal: Principal, fmt: str) -> flask.Response:
    unit_id = _unit_choice(principal, flask.request.args.get("unit"))
    if unit_id is None:
        return _refuse(403, "Your account may not submit figures for that unit.")
    if fmt == "csv":
        payload, mimetype = uploads.template_csv(_snapshot(), unit_id), "text/csv"
    elif fmt == "xlsx":
        payload = uploads.template_xlsx(_snapshot(), unit_id)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        flask.abort(404)
    response = flask.make_response(payload)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="figures-{unit_id}.{fmt}"'
    return response


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(editors().settings.secret_key, salt="vru-upload")


def _revisions_url() -> str:
    return flask.request.host_url.rstrip("/") + "/revisions"


def _checked(
    principal: Principal, unit_id: str, filename: str, figures: pd.DataFrame, numbers: list[int]
) -> flask.Response:
    snapshot = _snapshot()
    problems = uploads.check_figures(figures, numbers, snapshot, unit_id)
    if problems:
        _audit(principal, "upload refused", f"{unit_id}: {filename}: {len(problems)} problem(s)")
        return _upload_page(principal, unit_id, 422, problems=problems, filename=filename)
    rows = uploads.observation_rows(figures, unit_id, revisions_url=_revisions_url())
    changes = uploads.preview_changes(snapshot, rows)
    payload = _serializer().dumps(
        {
            "unit": unit_id,
            "file": filename,
            "csv": uploads.canonical_csv(figures),
            "by": principal.account_id,
        }
    )
    chart = uploads.preview_chart(snapshot, rows)
    return _render(
        "auth/preview.html",
        unit_id=unit_id,
        unit_name=_unit_names().get(unit_id, unit_id),
        filename=filename,
        changes=changes.to_dict("records"),
        charts=chart,
        payload=payload,
        label=uploads.UNIT_SUPPLIED_LABEL,
    )


@blueprint.route("/upload/check", methods=["POST"])
@require(EDITOR)
def upload_check(principal: Principal) -> flask.Response:
    unit_id = _unit_choice(principal, flask.request.form.get("unit"))
    if unit_id is None:
        return _refuse(403, "Your account may not submit figures for that unit.")
    sent = flask.request.files.get("file")
    if sent is None or not sent.filename:
        problems = [uploads.Problem(None, None, "choose a file to upload")]
        return _upload_page(principal, unit_id, 422, problems=problems)
    filename = sent.filename[-200:]
    payload = sent.stream.read(uploads.MAX_UPLOAD_BYTES + 1)
    try:
        figures, numbers = uploads.read_upload(filename, payload)
    except uploads.UploadRefused as refused:
        _audit(
            principal,
            "upload refused",
            f"{unit_id}: {filename}: {len(refused.problems)} problem(s)",
        )
        return _upload_page(principal, unit_id, 422, problems=refused.problems, filename=filename)
    return _checked(principal, unit_id, filename, figures, numbers)


@blueprint.route("/upload/figure", methods=["POST"])
@require(EDITOR)
def upload_figure(principal: Principal) -> flask.Response:
    unit_id = _unit_choice(principal, flask.request.form.get("unit"))
    if unit_id is None:
        return _refuse(403, "Your account may not submit figures for that unit.")
    record = {
        c: flask.request.form.get(c, "").strip()[: uploads.MAX_CELL_CHARS + 1]
        for c in uploads.TEMPLATE_COLUMNS
    }
    figures = pd.DataFrame([record], columns=list(uploads.TEMPLATE_COLUMNS))
    return _checked(principal, unit_id, "one figure (form)", figures, [1])


@blueprint.route("/upload/submit", methods=["POST"])
@require(EDITOR)
def upload_submit(principal: Principal) -> flask.Response:
    try:
        data = _serializer().loads(flask.request.form.get("payload", ""))
    except BadSignature:
        return _refuse(400, "The preview could not be read; upload the file again.")
    unit_id = _unit_choice(principal, str(data.get("unit", "")))
    if unit_id is None or data.get("by") != principal.account_id:
        return _refuse(403, "Your account may not submit figures for that unit.")
    figures, numbers = uploads.read_upload("preview.csv", str(data["csv"]).encode("utf-8"))
    snapshot = _snapshot()
    problems = uploads.check_figures(figures, numbers, snapshot, unit_id)
    if problems:  # the data changed since the preview (a measure removed, say)
        return _upload_page(principal, unit_id, 422, problems=problems, filename=data["file"])
    rows = uploads.observation_rows(figures, unit_id, revisions_url=_revisions_url())
    try:
        release_id = editors().figures.stage(
            rows,
            source_file=str(data["file"]),
            sha256=uploads.sha256(data["csv"]),
            # Releases are public (the Revisions page): they name the role, not the person;
            # the audit log, read only by admins, keeps who it was.
            by=f"editor of {unit_id}",
            command="upload",
            supplied_by=uploads.SUPPLIED_BY_UNIT,
        )
    except DataError as error:
        problems = [uploads.Problem(p.line, p.column, p.rule) for p in error.problems]
        return _upload_page(principal, unit_id, 422, problems=problems, filename=data["file"])
    _audit(
        principal,
        "upload submitted",
        f"release {release_id}: {unit_id}: {data['file']}: {len(rows)} figure(s)",
    )
    return _upload_page(principal, unit_id, submitted=release_id, submitted_rows=len(rows))


# --- review (publishers) -------------------------------------------------------------------


@blueprint.route("/review")
@require(PUBLISHER)
def review(principal: Principal) -> flask.Response:
    figures = editors().figures
    releases = figures.releases()
    pending = releases[releases["status"] == "pending"]
    previews = []
    for release in pending.to_dict("records"):
        changes = figures.preview(int(release["release_id"]))
        previews.append((release, changes.to_dict("records")))
    published = releases[releases["status"] == "published"].sort_values(
        "release_id", ascending=False
    )
    return _render(
        "auth/review.html",
        previews=previews,
        published=published.head(50).to_dict("records"),
        message=flask.request.args.get("done", ""),
    )


def _release_action(principal: Principal, release_id: int, action: str) -> flask.Response:
    from dashboard.store import StoreError

    figures = editors().figures
    reason = flask.request.form.get("reason", "").strip()[:2000]
    try:
        if action == "publish":
            figures.publish(release_id, by=PUBLIC_PUBLISHER)
        elif not reason:
            return _refuse(422, f"To {action} a release, give the reason.")
        elif action == "reject":
            figures.reject(release_id, by=PUBLIC_PUBLISHER, reason=reason)
        else:
            figures.withdraw(release_id, by=PUBLIC_PUBLISHER, reason=reason)
    except StoreError as error:
        return _refuse(409, str(error))
    past = {"publish": "published", "reject": "rejected", "withdraw": "withdrawn"}[action]
    _audit(
        principal, f"release {past}", f"release {release_id}" + (f": {reason}" if reason else "")
    )
    return flask.redirect(flask.url_for("editors.review", done=f"Release {release_id} {past}."))


@blueprint.route(
    "/review/<int:release_id>/<any(publish, reject, withdraw):action>", methods=["POST"]
)
@require(PUBLISHER)
def review_action(principal: Principal, release_id: int, action: str) -> flask.Response:
    return _release_action(principal, release_id, action)


# --- admin ---------------------------------------------------------------------------------


def _admin_page(status: int = 200, **extra: Any) -> flask.Response:
    engine = editors().engine
    return _render(
        "auth/admin.html",
        status,
        accounts=accounts.accounts_table(engine).to_dict("records"),
        events=accounts.audit_events(engine).to_dict("records"),
        units=sorted(_unit_names().items()),
        **extra,
    )


@blueprint.route("/admin")
@require(ADMIN)
def admin(principal: Principal) -> flask.Response:
    return _admin_page(message=flask.request.args.get("done", ""))


def _roles_from_form() -> list[tuple[str, str]]:
    form = flask.request.form
    roles = [(EDITOR, unit) for unit in form.getlist("editor_unit")]
    roles += [(role, "") for role in (PUBLISHER, ADMIN) if form.get(role)]
    return roles


@blueprint.route("/admin/accounts", methods=["POST"])
@require(ADMIN)
def admin_create(principal: Principal) -> flask.Response:
    form = flask.request.form
    try:
        accounts.create_account(
            editors().engine,
            form.get("username", ""),
            form.get("password", ""),
            _roles_from_form(),
            unit_ids=_unit_names(),
            by=principal.username,
            address=client_address(),
            display_name=form.get("display_name", "")[:200],
        )
    except AccountError as error:
        return _admin_page(422, error=str(error))
    return flask.redirect(flask.url_for("editors.admin", done="Account created."))


@blueprint.route(
    "/admin/accounts/<username>/<any(disable, enable, password, roles):action>", methods=["POST"]
)
@require(ADMIN)
def admin_change(principal: Principal, username: str, action: str) -> flask.Response:
    engine, address = editors().engine, client_address()
    try:
        if action in ("disable", "enable"):
            if username == principal.username and action == "disable":
                raise AccountError("you cannot disable your own account")
            accounts.set_active(
                engine, username, action == "enable", by=principal.username, address=address
            )
        elif action == "password":
            accounts.reset_password(
                engine,
                username,
                flask.request.form.get("password", ""),
                by=principal.username,
                address=address,
            )
        else:
            accounts.set_roles(
                engine,
                username,
                _roles_from_form(),
                unit_ids=_unit_names(),
                by=principal.username,
                address=address,
            )
    except AccountError as error:
        return _admin_page(422, error=str(error))
    return flask.redirect(
        flask.url_for("editors.admin", done=f"Account {username}: done ({action}).")
    )


def _switched_off(path: str = "") -> flask.Response:
    del path
    return flask.make_response(
        "Sign-in is switched off on this site: the operator has not set VRU_SECRET_KEY.", 503
    )


def register(server: flask.Flask, settings: Settings, figures: Any) -> None:
    """Add the editor routes. Without VRU_SECRET_KEY they answer 503: a key made up per
    process would differ between workers and change on every restart, signing people out at
    random, so the safe choice is to refuse until the operator sets one."""
    if not settings.secret_key:
        log.warning("VRU_SECRET_KEY is not set: sign-in and the editor pages are switched off")
        for path in ("/login", *PROTECTED_PATHS):
            server.add_url_rule(
                path, f"editors_off_{path.strip('/')}", _switched_off, methods=["GET", "POST"]
            )
            server.add_url_rule(
                f"{path}/<path:path>",
                f"editors_off_{path.strip('/')}_sub",
                _switched_off,
                methods=["GET", "POST"],
            )
        return
    if len(settings.secret_key) < 32:
        raise ValueError("VRU_SECRET_KEY must have at least 32 characters")
    server.secret_key = settings.secret_key
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_idle_minutes),
    )
    policy = Policy(
        max_failures_per_account=settings.login_max_failures,
        max_failures_per_address=settings.login_max_failures * 4,
        window=dt.timedelta(minutes=settings.login_window_minutes),
    )
    oidc = None
    if settings.oidc_issuer:
        from dashboard.auth import oidc as oidc_module

        oidc = oidc_module.register(server, settings)
    server.extensions[EXTENSION] = Editors(settings, figures, policy, oidc)
    server.register_blueprint(blueprint)
