"""Embedding: /embed/<chart> paths, the <iframe> snippet, and who may frame which page.

Only /embed/ pages may be shown inside another site's frame, and only by the origins the
operator lists (VRU_EMBED_ORIGINS); every other page refuses to be framed (clickjacking).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import flask

from dashboard.charts import CHARTS

log = logging.getLogger(__name__)

EMBED_PREFIX = "/embed/"
LAYOUT_PATH = "/_dash-layout"
# An origin as CSP writes it: scheme://host[:port], a wildcard host part, or '*'.
_ORIGIN = re.compile(r"^(\*|https?://(\*\.)?[A-Za-z0-9.\-]+(:(\d+|\*))?)$")
EMBED_HEIGHT_PX = 620  # of the iframe in the snippet: the chart, its words and the source line
EMBED_WORDS_PX = 260  # title, subtitle, summary, table switch and source line around the chart
EMBED_MAX_HEIGHT_PX = 2000


def embed_chart_name(path: str | None, prefix: str = "/") -> str | None:
    """'/embed/funding-per-person' -> 'funding-per-person'; None for any other path."""
    start = prefix.rstrip("/") + EMBED_PREFIX
    if not path or not path.startswith(start):
        return None
    return path[len(start) :].strip("/") or None


def is_embed_path(path: str | None, prefix: str = "/") -> bool:
    return bool(path) and path.startswith(prefix.rstrip("/") + EMBED_PREFIX)


def embed_url(base_url: str, chart: str, search: str = "") -> str:
    """The address of a chart's embed page with the same query as the view."""
    query = search if not search or search.startswith("?") else "?" + search
    return f"{base_url.rstrip('/')}{EMBED_PREFIX}{chart}{query}"


def embed_height(figure_height: int | None) -> int:
    """Frame height for a chart: its own height plus room for its words, within sane bounds."""
    if not figure_height:
        return EMBED_HEIGHT_PX
    return max(EMBED_HEIGHT_PX, min(int(figure_height) + EMBED_WORDS_PX, EMBED_MAX_HEIGHT_PX))


def embed_snippet(
    base_url: str, chart: str, search: str, title: str, height: int = EMBED_HEIGHT_PX
) -> str:
    """The <iframe> code a user pastes into their page: responsive width, titled, lazy."""
    src = html.escape(embed_url(base_url, chart, search), quote=True)
    return (
        f'<iframe src="{src}" title="{html.escape(title, quote=True)}" width="100%" '
        f'height="{height}" style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def frame_ancestors(origins: Sequence[str]) -> str:
    """The CSP source list for embed pages: the app itself plus each valid configured origin."""
    valid = []
    for origin in origins:
        if _ORIGIN.match(origin):
            valid.append(origin)
        else:
            log.warning("VRU_EMBED_ORIGINS: ignoring %r, which is not an origin", origin)
    return " ".join(["'self'", *valid])


def frame_headers(path: str, ancestors: str, prefix: str = "/") -> dict[str, str]:
    """Headers that say who may frame the page at `path` (`ancestors` from frame_ancestors)."""
    if is_embed_path(path, prefix):
        return {"Content-Security-Policy": f"frame-ancestors {ancestors}"}
    return {"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}


def install_frame_policy(server: flask.Flask, origins: Sequence[str], prefix: str = "/") -> None:
    """Add the framing headers to every response (merged into any CSP already set).

    An /embed/ address naming no chart answers 404 (the page still explains), and the layout
    answer varies with the page that asked for it (see `choose_layout`), so caches are told.
    """
    ancestors = frame_ancestors(origins)

    def add_frame_headers(response: flask.Response) -> flask.Response:
        path = flask.request.path
        for name, value in frame_headers(path, ancestors, prefix).items():
            if name == "Content-Security-Policy" and response.headers.get(name):
                kept = [
                    part.strip()
                    for part in response.headers[name].split(";")
                    if part.strip() and not part.strip().startswith("frame-ancestors")
                ]
                value = "; ".join([*kept, value])
            response.headers[name] = value
        if is_embed_path(path, prefix) and embed_chart_name(path, prefix) not in CHARTS:
            response.status_code = 404
        if path == prefix.rstrip("/") + LAYOUT_PATH:
            response.vary.add("Referer")
        return response

    server.after_request(add_frame_headers)


def is_embed_request(prefix: str = "/") -> bool:
    """Whether this request is for, or comes from, an /embed/ page.

    Dash asks for the layout with a separate request to /_dash-layout, made by the page in the
    browser; the Referer header names that page.
    """
    if not flask.has_request_context():
        return False
    if is_embed_path(flask.request.path, prefix):
        return True
    referrer = flask.request.referrer
    return bool(referrer) and is_embed_path(urlsplit(referrer).path, prefix)


def choose_layout(main: Any, embed: Any, prefix: str = "/") -> Callable[[], Any]:
    """A layout function for Dash: the embed shell for /embed/ pages, the full shell otherwise."""

    def layout() -> Any:
        return embed if is_embed_request(prefix) else main

    return layout
