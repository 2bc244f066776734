"""Headers a security review expects on every response, real 404s, robots.txt.

The Content-Security-Policy lets the page run only the app's own scripts and Dash's inline
scripts by their hashes (`app.csp_hashes()`); styles need 'unsafe-inline' because Dash and
plotly set style attributes. Framing stays as dashboard.embed decides: that hook adds
`frame-ancestors` to the policy set here.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import dash
import flask

HSTS = "max-age=31536000; includeSubDomains"
ROBOTS_TXT = "User-agent: *\nDisallow: /_dash-\nDisallow: /embed/\n"
# Dash serves the page for any path it does not know (its catch-all route); those two rules
# are the ones to check against the app's real pages.
PAGE_RULES = frozenset({"/", "/<path:path>"})
UNIT_PREFIX = "/unit/"
EMBED_PREFIX = "/embed/"


def content_security_policy(script_hashes: Collection[str]) -> str:
    """The policy for every response (frame-ancestors is added by dashboard.embed)."""
    scripts = " ".join(["'self'", *dict.fromkeys(script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            # plotly draws some marks and exports as data:/blob: images; the map's library
            # runs its workers from blob: addresses.
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def is_page(path: str, pages: Collection[str], unit_ids: Collection[str]) -> bool:
    """Whether a path is one of the app's pages (embed pages are judged by dashboard.embed)."""
    path = path.rstrip("/") or "/"
    if path in pages or path.startswith(EMBED_PREFIX):
        return True
    return path.startswith(UNIT_PREFIX) and path.removeprefix(UNIT_PREFIX) in unit_ids


def install_security_headers(
    app: dash.Dash, *, pages: Collection[str], unit_ids: Collection[str], https: bool
) -> None:
    """Call after every callback is registered: the script hashes cover clientside callbacks.

    Register after dashboard.embed.install_frame_policy: Flask runs after_request hooks last
    first, so the framing hook then adds its part to this policy.
    """
    server = app.server
    policy = content_security_policy(app.csp_hashes())
    pages = frozenset(pages)
    units = frozenset(unit_ids)

    def robots() -> flask.Response:
        return flask.Response(ROBOTS_TXT, mimetype="text/plain")

    server.add_url_rule("/robots.txt", "robots_txt", robots)
    favicon = Path(app.config.assets_folder) / "favicon.ico"

    def favicon_ico() -> flask.Response:
        # Browsers ask for /favicon.ico whatever the page links; the page links the same file
        # under /assets/.
        return flask.send_file(favicon, mimetype="image/x-icon", max_age=86400)

    if favicon.is_file():
        server.add_url_rule("/favicon.ico", "favicon_ico", favicon_ico)

    def add_headers(response: flask.Response) -> flask.Response:
        request = flask.request
        rule = request.url_rule.rule if request.url_rule is not None else None
        if rule in PAGE_RULES and not is_page(request.path, pages, units):
            # The page still explains itself ("Page not found"), but scanners and caches see
            # that /.env or /.git/config is not there.
            response.status_code = 404
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if https:
            response.headers["Strict-Transport-Security"] = HSTS
        return response

    server.after_request(add_headers)
