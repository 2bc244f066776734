"""Every address gets a title of its own, so tabs, history and screen readers tell pages apart."""

from __future__ import annotations

from dashboard.page_titles import PAGE_NAMES, page_title

UNITS = {"northumbria": "Northumbria Violence Reduction Unit"}


def test_a_unit_profile_is_titled_by_the_units_short_name():
    assert page_title("/unit/northumbria", UNITS) == "Northumbria VRU: profile · VRU dashboard"


def test_unknown_addresses_and_units_are_titled_page_not_found():
    assert page_title("/nowhere", UNITS) == "Page not found · VRU dashboard"
    assert page_title("/unit/atlantis", UNITS) == "Page not found · VRU dashboard"


def test_every_view_has_a_distinct_title_and_a_trailing_slash_changes_nothing():
    titles = {page_title(path, UNITS) for path in PAGE_NAMES}
    assert len(titles) == len(PAGE_NAMES)
    assert page_title("/trends/", UNITS) == page_title("/trends", UNITS) == "Trends · VRU dashboard"
    assert page_title(None, UNITS) == "Map · VRU dashboard"
