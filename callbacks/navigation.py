"""After a navigation: the current link marked, the tab titled, focus on the new heading."""

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


# The first page of a visit keeps focus at the top; after each later navigation focus moves to
# the new page's main heading (a screen reader reads it) and the status region names the page.
# The heading is looked for over a few frames, as React may not have drawn it yet.
TITLE_AND_FOCUS = """
function (title) {
    if (!title) {
        return window.dash_clientside.no_update;
    }
    document.title = title;
    if (!window.vruPageShown) {
        window.vruPageShown = true;
        return "";
    }
    var tries = 0;
    function focusHeading() {
        var heading = document.querySelector("#main h1");
        if (heading) {
            heading.setAttribute("tabindex", "-1");
            heading.focus();
        } else if (tries++ < 30) {
            window.requestAnimationFrame(focusHeading);
        }
    }
    window.requestAnimationFrame(focusHeading);
    return "Opened " + title.split(" · ")[0];
}
"""


def register(app: Dash, store: DataStore) -> None:
    app.clientside_callback(
        MARK_CURRENT_LINK,
        Output(ids.NAV_MAIN_CONTAINER, "data-current"),
        Output(ids.NAV_FOOTER_CONTAINER, "data-current"),
        Input(ids.URL_LOCATION, "pathname"),
    )
    app.clientside_callback(
        TITLE_AND_FOCUS,
        Output(ids.PAGE_ANNOUNCE_TEXT, "children"),
        Input(ids.PAGE_TITLE_STORE, "data"),
    )
