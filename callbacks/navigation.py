"""Marks the link to the page being shown with aria-current="page", in the header and footer."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboard import ids
from dashboard.datastore import DataStore

# dcc.Link takes no aria-* properties, so the attribute is set on the links in the browser.
# The callback's own output is the path, kept on each nav as data-current for tests and CSS.
MARK_CURRENT_LINK = """
function (pathname) {
    var path = (pathname || "/").replace(/\\/+$/, "") || "/";
    document.querySelectorAll("nav[data-current] a[href]").forEach(function (link) {
        if (link.getAttribute("href") === path) {
            link.setAttribute("aria-current", "page");
        } else {
            link.removeAttribute("aria-current");
        }
    });
    return [path, path];
}
"""


def register(app: Dash, store: DataStore) -> None:
    app.clientside_callback(
        MARK_CURRENT_LINK,
        Output(ids.NAV_MAIN_CONTAINER, "data-current"),
        Output(ids.NAV_FOOTER_CONTAINER, "data-current"),
        Input(ids.URL_LOCATION, "pathname"),
    )
