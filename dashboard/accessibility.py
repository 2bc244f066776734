"""The facts of the accessibility statement, as data, so tests can hold the statement to them.

The Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations
2018 ask a statement to give: how far the site complies, what is not accessible and why (with
the WCAG success criteria it fails and when it will be fixed), how to ask for another format,
how to report a problem, the enforcement procedure, how the site was tested, and when the
statement was prepared and last reviewed. Each known issue below has a browser test that
reproduces it (tests/browser/test_statement.py): when one is fixed that test fails, and the
statement has to change with the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STANDARD = "Web Content Accessibility Guidelines (WCAG) version 2.2, level AA"
COMPLIANCE = "partially compliant"
PREPARED = date(2026, 11, 24)
LAST_REVIEWED = date(2026, 12, 2)
# A statement must be reviewed regularly; the test of its dates fails when it is this old.
REVIEW_EVERY_DAYS = 365
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
TESTED_PAGES = (
    "the map",
    "trends",
    "investment and reach",
    "compare",
    "the units overview",
    "a unit profile",
    "data and sources",
    "methods",
    "this statement",
)


@dataclass(frozen=True)
class KnownIssue:
    """Something that fails a WCAG success criterion, and what we will do about it."""

    key: str  # names the test that reproduces it
    summary: str
    criteria: tuple[str, ...]  # e.g. "2.1.1 Keyboard (A)"
    workaround: str
    fix_by: date


KNOWN_ISSUES: tuple[KnownIssue, ...] = (
    KnownIssue(
        key="chart-toolbar-mouse-only",
        summary=(
            "The small toolbar that appears over a chart (zoom, pan, reset the axes, save a "
            "picture) can only be used with a mouse or touch: its buttons are left out of the "
            "keyboard's Tab order because a page of charts would otherwise need dozens of "
            "presses to get past them."
        ),
        criteria=("2.1.1 Keyboard (A)",),
        workaround=(
            "Every chart has a Download menu and a table with the same figures, both usable "
            "with the keyboard; zooming only enlarges what the table already lists."
        ),
        fix_by=date(2027, 6, 30),
    ),
    KnownIssue(
        key="chart-marks-not-navigable",
        summary=(
            "The bars, lines, dots and map areas of a chart cannot be visited one by one with "
            "the keyboard or read out by a screen reader; their values show on hover only."
        ),
        criteria=("1.1.1 Non-text content (A)", "2.1.1 Keyboard (A)"),
        workaround=(
            "Each chart has a plain-English summary above it and a 'Table' switch that shows "
            "every value it draws, with its source."
        ),
        fix_by=date(2027, 6, 30),
    ),
)

# What the regulations leave out of scope, and we name so nobody is surprised by it.
OUT_OF_SCOPE = (
    "Source documents we link to (reports, spreadsheets and PDF files) are published by other "
    "organisations; they are not ours to change and may not meet the same standard.",
)
