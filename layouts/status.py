"""What a statistics user needs to see on every page: status, last update, revisions, contact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

STATUS_TEXT = "Compiled by this project from published sources; these are not official statistics."
REVISIONS_HREF = "/methods#methods-revisions-heading"
CONTACT_HREF = "/methods#methods-contact-heading"


def contact_link(contact: str) -> object:
    """An email address or web address as a link; plain words when none is set."""
    value = contact.strip()
    if not value:
        return "No contact address has been set for this copy of the dashboard."
    if value.startswith(("http://", "https://")):
        return html.A(value, href=value)
    if "@" in value and " " not in value:
        return html.A(value, href=f"mailto:{value}")
    return value


def status_line(last_updated: str | None, attribution: str) -> list[object]:
    """The footer's words: status, the date the data last changed, and where to read more."""
    updated = f" Data last updated {last_updated}." if last_updated else ""
    return [
        STATUS_TEXT + updated + " ",
        dcc.Link("Revisions and corrections", href=REVISIONS_HREF),
        " · ",
        dcc.Link("Contact", href=CONTACT_HREF),
        ". " + attribution,
    ]


def revisions_table(rows: Sequence[Mapping[str, object]]) -> dbc.Table | html.P:
    """The revisions log, newest first, as a plain table."""
    if not rows:
        return html.P("No revisions have been recorded.")
    header = html.Thead(
        html.Tr(
            [
                html.Th("Date", scope="col"),
                html.Th("What changed", scope="col"),
                html.Th("Why", scope="col"),
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(str(row["date"])),
                    html.Td(str(row["change"])),
                    html.Td(str(row["reason"] or "")),
                ]
            )
            for row in rows
        ]
    )
    return dbc.Table([header, body], bordered=False, striped=True, size="sm", className="small")


def _section(title: str, anchor: str, *children: object) -> html.Section:
    heading_id = f"methods-{anchor}-heading"
    return html.Section(
        [html.H2(title, id=heading_id, className="h4 mt-4"), *children],
        **{"aria-labelledby": heading_id},
    )


STRENGTHS = (
    "Every figure cites its source document and page, or the web address it was read from.",
    "Qualifiers ('over', 'about', 'up to') stay with each number in every chart, table and file.",
    "Missing figures are shown as missing with a reason, never as zero, and nothing is "
    "estimated, interpolated or filled in.",
)
LIMITATIONS = (
    "Coverage is partial: no public table gives every unit's grant, reach or spending for every "
    "year, so many headlines are 'at least' figures.",
    "Reach figures count different groups (young people, pupils, everyone) over different "
    "periods and are not comparable between units without care.",
    "Many knife crime figures were read from news reports of ONS releases rather than the ONS "
    "tables themselves; each is kept in the release it came from.",
    "Figures from the 2020 APCC report describe the units' first year and are not updated.",
)


def quality_sections(
    rules: Sequence[tuple[str, str]],
    revisions: Sequence[Mapping[str, object]],
    last_updated: str | None,
    contact: str,
) -> list[html.Section]:
    """Status, rules, strengths and limitations, revisions and contact, for the methods page."""
    updated = f"The data was last updated on {last_updated}." if last_updated else ""
    return [
        _section(
            "Status of these figures",
            "status",
            html.P(f"{STATUS_TEXT} {updated}".strip()),
            html.P(
                "The figures are gathered from the sources named beside each one: official "
                "statistics (ONS, DfE, NHS), Home Office statements and allocations, the units' "
                "and commissioners' own pages, and news reports of official figures."
            ),
        ),
        _section(
            "Rules every view follows",
            "rules",
            html.Dl(
                [
                    part
                    for name, text in rules
                    for part in (html.Dt(name), html.Dd(text, className="mb-2"))
                ]
            ),
        ),
        _section(
            "Strengths and limitations",
            "strengths",
            html.H3("Strengths", className="h5"),
            html.Ul([html.Li(text) for text in STRENGTHS]),
            html.H3("Limitations", className="h5"),
            html.Ul([html.Li(text) for text in LIMITATIONS]),
        ),
        _section(
            "Revisions and corrections",
            "revisions",
            html.P(
                "Every correction and addition to the figures, newest first. A corrected figure "
                "is kept and marked as another source's figure, never deleted."
            ),
            revisions_table(revisions),
        ),
        _section(
            "Contact",
            "contact",
            html.P(
                [
                    "Questions, corrections and requests for the data in another format: ",
                    contact_link(contact),
                ]
            ),
        ),
    ]
