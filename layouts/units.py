"""The units overview: every unit with its key funding and reach figures and their sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Unit"),
    ("unit_type", "Type"),
    ("area_name", "Area"),
    ("pcc", "PCC or equivalent"),
    ("lead", "Unit lead"),
    ("funding", "Home Office VRU funding (period; source)"),
    ("reach", "People reached (period; source)"),
)


def overview_table(rows: Sequence[Mapping[str, object]]) -> dbc.Table:
    """A plain HTML table: readable by screen readers and printable as it is.

    Each unit's name links to its profile page.
    """
    header = html.Thead(html.Tr([html.Th(label, scope="col") for _, label in COLUMNS]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(dcc.Link(row["name"], href=f"/unit/{row['unit_id']}"), scope="row")
                    if key == "name"
                    else html.Td(row[key] or "")
                    for key, _ in COLUMNS
                ],
                **{"data-unit": row["unit_id"]},
            )
            for row in rows
        ]
    )
    return dbc.Table(
        [
            html.Caption(
                "Units, their areas and key figures as published", className="caption-top"
            ),
            header,
            body,
        ],
        id=ids.UNITS_OVERVIEW_TABLE,
        striped=True,
        bordered=True,
        responsive=True,
        className="align-top small",
    )


def units_page() -> html.Div:
    """The overview view; its table is filled by a callback from the filters."""
    return html.Div(
        [
            html.H1("Violence Reduction Units in England and Wales", className="h2"),
            html.P(
                "The units funded by the Home Office to prevent serious violence, with the "
                "funding and reach figures their sources give. Qualifiers such as 'over' stay "
                "with each figure; a gap reads 'no figure'.",
                className="lead",
            ),
            html.P(id=ids.UNITS_SUMMARY_TEXT, role="status"),
            html.Div(id=ids.UNITS_OVERVIEW_CONTAINER),
        ]
    )
