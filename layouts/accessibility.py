"""The accessibility statement (/accessibility), in the order the 2018 regulations ask for."""

from __future__ import annotations

from datetime import date

from dash import html

from dashboard.accessibility import (
    AXE_TAGS,
    COMPLIANCE,
    KNOWN_ISSUES,
    LAST_REVIEWED,
    OUT_OF_SCOPE,
    PREPARED,
    STANDARD,
    TESTED_PAGES,
    KnownIssue,
)
from layouts.pages import page_heading
from layouts.status import contact_link

SITE = "the Violence Reduction Units dashboard"


def _when(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _section(title: str, anchor: str, *children: object) -> html.Section:
    heading_id = f"accessibility-{anchor}-heading"
    return html.Section(
        [html.H2(title, id=heading_id, className="h4 mt-4"), *children],
        **{"aria-labelledby": heading_id},
    )


def _issue(issue: KnownIssue) -> html.Li:
    return html.Li(
        [
            html.P(issue.summary, className="mb-1"),
            html.P(
                [html.Strong("Fails: "), "; ".join(issue.criteria), "."],
                className="mb-1",
            ),
            html.P([html.Strong("Meanwhile: "), issue.workaround], className="mb-1"),
            html.P([html.Strong("We plan to fix it by "), _when(issue.fix_by), "."]),
        ],
        id=f"accessibility-issue-{issue.key}",
    )


def accessibility_page(contact: str = "") -> html.Div:
    """The statement: status, what is not accessible, formats, reporting, enforcement, testing.

    `contact` (VRU_CONTACT) is where this copy's users ask for formats and report problems.
    """
    return html.Div(
        [
            *page_heading(
                "Accessibility statement",
                f"This statement applies to {SITE}. We want as many people as possible to be "
                "able to use it: to change colours, contrast and fonts, zoom to 400% without "
                "losing content, and get around with a keyboard, speech recognition or a screen "
                "reader.",
            ),
            _section(
                "Compliance status",
                "status",
                html.P(
                    f"This website is {COMPLIANCE} with the {STANDARD}, because of the "
                    "non-compliances listed below."
                ),
                html.Ul(
                    [
                        html.Li(
                            "Every chart has a plain-English summary that follows the filters, "
                            "a table of the same figures and a source line."
                        ),
                        html.Li(
                            "Every filter and switch is named by its visible label; every page "
                            "has its own title and one main heading."
                        ),
                        html.Li(
                            "Everything but the chart toolbars works with the keyboard, with a "
                            "visible focus outline; the first Tab stop skips to the content."
                        ),
                        html.Li("Filters live in the address, so any view can be bookmarked."),
                    ]
                ),
            ),
            _section(
                "Non-accessible content",
                "issues",
                html.P("These parts do not yet meet the standard:"),
                html.Ul([_issue(issue) for issue in KNOWN_ISSUES]),
                html.P("Not covered by the regulations:", className="mb-1"),
                html.Ul([html.Li(text) for text in OUT_OF_SCOPE]),
            ),
            _section(
                "Asking for another format",
                "formats",
                html.P(
                    "Every chart's figures can be downloaded as CSV or Excel, and every view as "
                    "slides with speaker notes. If you need the information in another form "
                    "(large print, plain text, audio or braille, say), ask the organisation "
                    "that runs this copy of the dashboard, or open an issue in the project's "
                    "issue tracker. Tell us the page address and the format you need; we aim "
                    "to reply within 5 working days."
                ),
                html.P(["Contact for this copy of the dashboard: ", contact_link(contact)]),
            ),
            _section(
                "Reporting a problem",
                "reporting",
                html.P(
                    "If something on this site is hard to use, or you find a problem not listed "
                    "here, tell us the same way: which page (copy the address), what you were "
                    "trying to do, and which browser and assistive technology you use."
                ),
            ),
            _section(
                "Enforcement procedure",
                "enforcement",
                html.P(
                    "The Equality and Human Rights Commission (EHRC) is responsible for "
                    "enforcing the accessibility regulations in England, Scotland and Wales. "
                    "If you are not happy with how we answer your complaint, contact the "
                    "Equality Advisory and Support Service (EASS). In Northern Ireland, contact "
                    "the Equality Commission for Northern Ireland (ECNI)."
                ),
            ),
            _section(
                "How we tested this website",
                "testing",
                html.P(
                    "Automated browser tests, run on every change in headless Chromium, check "
                    + ", ".join(TESTED_PAGES)
                    + " with axe-core (every rule tagged "
                    + ", ".join(AXE_TAGS)
                    + ", none turned off) and with HTML_CodeSniffer (through pa11y), at desktop "
                    "width and 320 pixels wide (as at 400% zoom), and again after picking a "
                    "unit, changing the year and showing a chart as its table. A finding of "
                    "any severity fails the tests."
                ),
                html.P(
                    "A keyboard-only test uses Tab, Shift+Tab, Enter, Space and the arrow keys "
                    "to reach the skip link and the navigation, pick a unit, a year and a "
                    "measure, reset the filters, switch a chart to its table and use the data "
                    "grid, checking the effect and the focus outline at each step. The site "
                    "has not yet been tried by disabled users or with a range of screen readers."
                ),
            ),
            _section(
                "Preparation of this statement",
                "dates",
                html.P(
                    f"This statement was prepared on {_when(PREPARED)}. It was last reviewed "
                    f"on {_when(LAST_REVIEWED)}."
                ),
            ),
        ]
    )
