"""The accessibility statement has every part the 2018 regulations ask for, and stays current."""

from __future__ import annotations

from datetime import date

from dash import html

from dashboard.accessibility import (
    KNOWN_ISSUES,
    LAST_REVIEWED,
    PREPARED,
    REVIEW_EVERY_DAYS,
)
from layouts.accessibility import accessibility_page


def _texts(component: object) -> list[str]:
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [text for child in component for text in _texts(child)]
    children = getattr(component, "children", None)
    return [] if children is None else _texts(children)


def _headings(component: object) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if isinstance(node, html.H1 | html.H2):
            found.append(" ".join(_texts(node.children)))
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            walk(children)

    walk(component)
    return found


def test_statement_has_the_sections_the_regulations_ask_for_in_order():
    assert _headings(accessibility_page()) == [
        "Accessibility statement",
        "Compliance status",
        "Non-accessible content",
        "Asking for another format",
        "Reporting a problem",
        "Enforcement procedure",
        "How we tested this website",
        "Preparation of this statement",
    ]


def test_statement_gives_status_enforcement_bodies_and_dates():
    text = " ".join(_texts(accessibility_page()))
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG)" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text
    assert f"prepared on {PREPARED.day} {PREPARED:%B %Y}" in text
    assert f"last reviewed on {LAST_REVIEWED.day} {LAST_REVIEWED:%B %Y}" in text


def test_each_known_issue_names_failing_criteria_and_a_date_to_fix_it():
    text = " ".join(_texts(accessibility_page()))
    for issue in KNOWN_ISSUES:
        assert issue.criteria, issue.key
        assert all(c.split()[0].count(".") == 2 for c in issue.criteria), issue.criteria
        assert "; ".join(issue.criteria) in text
        assert f"{issue.fix_by.day} {issue.fix_by:%B %Y}" in text
        assert issue.fix_by > LAST_REVIEWED, f"{issue.key}: its fix date has passed; review it"


def test_statement_was_reviewed_within_the_last_year():
    # Fails a year after the last review on purpose: the statement must be reviewed regularly.
    assert PREPARED <= LAST_REVIEWED <= date.today()
    assert (date.today() - LAST_REVIEWED).days <= REVIEW_EVERY_DAYS


def test_statement_says_whom_to_ask_for_another_format():
    text = " ".join("".join(_texts(accessibility_page("access@example.org"))).split())
    assert "Contact for this copy of the dashboard: access@example.org" in text
    assert "No contact address has been set" in " ".join(_texts(accessibility_page()))
