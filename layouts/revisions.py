"""The Revisions page: every release and correction, newest first, figures on demand."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.revisions import RevisionEntry, long_date
from layouts.pages import page_heading

API_RELEASE_CSV = "/api/v1/observations?release={release}&format=csv"


def _figures_table(entry: RevisionEntry) -> html.Div:
    header = html.Thead(
        html.Tr(
            [
                html.Th(name, scope="col")
                for name in ("Unit", "Measure", "Period", "Figure", "Before", "Now")
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(f.unit),
                    html.Td(f.measure),
                    html.Td(f.period),
                    html.Td(f.figure),
                    html.Td(f.before or "new figure"),
                    html.Td(f.state),
                ]
            )
            for f in entry.figures
        ]
    )
    table = dbc.Table([header, body], bordered=False, striped=True, size="sm", className="mt-2")
    # A box that scrolls sideways on a narrow screen, reachable by keyboard (WCAG 1.4.10).
    return html.Div(
        table,
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": f"Figures of release {entry.release_id}"},
    )


def _figures(entry: RevisionEntry) -> list[object]:
    """The release's figures behind a disclosure (a native <details>, keyboard-ready)."""
    if entry.release_id is None or not (entry.figures or entry.more):
        return []
    count = len(entry.figures) + entry.more
    parts: list[object] = [_figures_table(entry)] if entry.figures else []
    link = html.A(
        f"all {count} figures of release {entry.release_id} as CSV",
        href=API_RELEASE_CSV.format(release=entry.release_id),
    )
    if entry.more:
        parts.append(html.P([f"{entry.more} more are not listed here: download ", link, "."]))
    else:
        parts.append(html.P(["Download ", link, "."]))
    noun = "figure" if count == 1 else "figures"
    return [html.Details([html.Summary(f"Show the {count} {noun}"), *parts], className="mb-2")]


def _entry(entry: RevisionEntry, index: int) -> html.Section:
    heading_id = ids.revisions_entry_heading(index)
    return html.Section(
        [
            html.H2(f"{long_date(entry.date)}: {entry.title}", id=heading_id, className="h5 mt-4"),
            html.P(entry.what),
            html.P(["Why: ", entry.why]) if entry.why else html.P("No reason was recorded."),
            *_figures(entry),
        ],
        **{"aria-labelledby": heading_id},
    )


def revisions_page(entries: Sequence[RevisionEntry], last_updated: str | None) -> html.Div:
    """Every change to the figures users can read about, newest first."""
    updated = f" The data last changed on {last_updated}." if last_updated else ""
    return html.Div(
        [
            *page_heading(
                "Revisions",
                "Every release of new figures and every correction, newest first: when, what "
                "changed and why." + updated,
            ),
            html.P(
                [
                    "A corrected or withdrawn figure is never deleted: the figure it replaced "
                    "stays in the record, and every figure's history can be downloaded from the ",
                    dcc.Link("Data and sources", href="/data"),
                    " page.",
                ]
            ),
            html.Div(
                [_entry(entry, i) for i, entry in enumerate(entries)]
                or [html.P("No revisions have been recorded.")],
                id=ids.REVISIONS_LIST_CONTAINER,
            ),
        ]
    )
