"""Optional single sign-on through OpenID Connect (Authlib), on when VRU_OIDC_ISSUER is set.

The provider proves who someone is; the dashboard still decides what they may do. A provider's
user signs in only if an active account with the same username (by default the `email`
claim) exists here, created by an admin with its roles; nobody gets an account by signing in.
"""

from __future__ import annotations

from typing import Any

import flask
from authlib.integrations.flask_client import OAuth

from dashboard.auth import accounts
from dashboard.config import Settings

CLIENT = "vru_oidc"


def register(server: flask.Flask, settings: Settings) -> Any:
    """Add /login/oidc and its callback; returns the Authlib client."""
    oauth = OAuth(server)
    client = oauth.register(
        CLIENT,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )

    def start() -> flask.Response:
        return client.authorize_redirect(flask.url_for("oidc_callback", _external=True))

    def callback() -> flask.Response:
        from dashboard.auth import web

        ed = web.editors()
        address = web.client_address()
        try:
            token = client.authorize_access_token()
        except Exception:
            accounts.audit(
                ed.engine, "anonymous", "sign-in failed", "single sign-on error", address
            )
            return flask.make_response(
                flask.render_template("auth/refused.html", status=401, message=web.GENERIC_FAILURE),
                401,
            )
        claims = token.get("userinfo") or {}
        username = str(claims.get(settings.oidc_username_claim, ""))[:200]
        subject = f"{settings.oidc_issuer}|{claims.get('sub', '')}"
        principal = (
            accounts.principal_for_subject(ed.engine, username, subject) if username else None
        )
        if principal is None:
            accounts.audit(
                ed.engine,
                username or "anonymous",
                "sign-in failed",
                "single sign-on: no active account",
                address,
            )
            return flask.make_response(
                flask.render_template("auth/refused.html", status=401, message=web.GENERIC_FAILURE),
                401,
            )
        web.start_session(principal)
        accounts.audit(ed.engine, username, "signed in", "single sign-on", address)
        return flask.redirect(web._home_for(principal))

    server.add_url_rule("/login/oidc", "oidc_login", start)
    server.add_url_rule("/login/oidc/callback", "oidc_callback", callback)
    return client
