"""The browser tab's title for each address, so every page and state can be told apart."""

from __future__ import annotations

from collections.abc import Mapping

SITE_NAME = "VRU dashboard"
SEPARATOR = " · "
UNIT_PREFIX = "/unit/"
NOT_FOUND = "Page not found"
PAGE_NAMES: Mapping[str, str] = {
    "/": "Map",
    "/trends": "Trends",
    "/investment": "Investment and reach",
    "/compare": "Compare",
    "/units": "Units",
    "/data": "Data and sources",
    "/methods": "Methods and data quality",
    "/accessibility": "Accessibility statement",
    "/revisions": "Revisions",
}


def short_unit_name(name: str) -> str:
    """'Northumbria Violence Reduction Unit' -> 'Northumbria VRU' (titles are read first)."""
    return name.replace("Violence Reduction Unit", "VRU").strip()


def page_title(pathname: str | None, unit_names: Mapping[str, str]) -> str:
    """'Trends · VRU dashboard', 'Northumbria VRU: profile · VRU dashboard', 'Page not found · ...'.

    `unit_names` maps unit_id to the unit's full name; an unknown unit is a page not found.
    """
    path = (pathname or "/").rstrip("/") or "/"
    if path.startswith(UNIT_PREFIX):
        name = unit_names.get(path.removeprefix(UNIT_PREFIX))
        page = f"{short_unit_name(name)}: profile" if name else NOT_FOUND
    else:
        page = PAGE_NAMES.get(path, NOT_FOUND)
    return f"{page}{SEPARATOR}{SITE_NAME}"
