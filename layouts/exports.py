"""Download controls: each chart's export menu and embed-code button, the view's slides button."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.export import EXPORT_FORMATS

IMAGE_HEADER = "Image, presentation style"
DATA_HEADER = "Data behind the chart"
EMBED_HEADER = "Embed on another site"
EMBED_KEY = "embed"  # the menu entry that shows the embed code as text


SLIDES_PROGRESS_TEXT = "Building the slides: drawing every chart takes up to half a minute…"


def export_menu(chart: str, title: str) -> html.Div:
    """'Download' (images at their stated size, SVG, PDF, CSV, XLSX) and 'Copy embed code'.

    The menu names its chart for screen readers, since every card has one. The status line
    says what was downloaded or copied; "Show embed code" puts the code in a text box there,
    for keyboard users and anyone whose browser blocks the clipboard.
    """
    images = [fmt for fmt in EXPORT_FORMATS if fmt.is_image]
    data = [fmt for fmt in EXPORT_FORMATS if not fmt.is_image]

    def item(fmt) -> dbc.DropdownMenuItem:
        return dbc.DropdownMenuItem(fmt.label, id=ids.export_button(chart, fmt.key))

    return html.Div(
        [
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(IMAGE_HEADER, header=True),
                    *(item(fmt) for fmt in images),
                    dbc.DropdownMenuItem(divider=True),
                    dbc.DropdownMenuItem(DATA_HEADER, header=True),
                    *(item(fmt) for fmt in data),
                    dbc.DropdownMenuItem(divider=True),
                    dbc.DropdownMenuItem(EMBED_HEADER, header=True),
                    dbc.DropdownMenuItem(
                        "Show embed code (HTML)", id=ids.export_button(chart, EMBED_KEY)
                    ),
                ],
                label=["Download", html.Span(f" {title}", className="visually-hidden")],
                size="sm",
                color="secondary",
                toggle_class_name="btn-outline-secondary bg-white text-dark",
            ),
            # A real button (Tab, Enter, Space); the callback sends the code to the store and a
            # clientside callback puts it on the clipboard.
            html.Button(
                [
                    "Copy embed code",
                    html.Span(f" for {title}", className="visually-hidden"),
                ],
                id=ids.export_embed_button(chart),
                type="button",
                title="Copy HTML that shows this chart, with the current filters, on another site",
                className="btn btn-sm btn-outline-secondary",
            ),
            dcc.Store(id=ids.export_embed_store(chart)),
            dcc.Download(id=ids.export_download(chart)),
            html.Div(
                id=ids.export_notice(chart),
                role="status",
                className="small text-body-secondary w-100",
                **{"aria-live": "polite"},
            ),
        ],
        className="export-menu d-flex flex-wrap gap-2 align-items-center mb-2 no-print",
    )


def slides_bar() -> html.Div:
    """The view's 'Download slides' button; hidden on pages without charts."""
    # The outer box carries `hidden`; the flex layout sits inside, because Bootstrap's d-flex
    # (display: flex !important) would override the hidden attribute.
    return html.Div(
        _slides_box(),
        # Keeps the button's height while it is hidden: showing it moves nothing below it.
        className="slides-bar no-print",
    )


def _slides_box() -> html.Div:
    return html.Div(
        html.Div(
            [
                dbc.Button(
                    "Download slides (PowerPoint, 16:9)",
                    id=ids.EXPORT_SLIDES_BUTTON,
                    color="primary",
                    size="sm",
                    title="A slide per chart of this view with the current filters, speaker notes "
                    "and a slide of data caveats",
                ),
                dcc.Download(id=ids.EXPORT_SLIDES_DOWNLOAD),
                # Visible from the click until the file arrives (a deck takes 5-30 s), so the
                # button never looks dead; role=status reads it out once.
                html.Span(
                    [
                        dbc.Spinner(size="sm", spinner_class_name="me-1", type="border"),
                        SLIDES_PROGRESS_TEXT,
                    ],
                    id=ids.EXPORT_SLIDES_PROGRESS,
                    hidden=True,
                    role="status",
                    className="small",
                    **{"aria-live": "polite"},
                ),
                html.Span(
                    id=ids.EXPORT_SLIDES_NOTICE,
                    role="status",
                    className="small text-body-secondary",
                    **{"aria-live": "polite"},
                ),
            ],
            className="d-flex flex-wrap gap-2 align-items-center justify-content-end mb-2",
        ),
        id=ids.EXPORT_SLIDES_CONTAINER,
        hidden=True,
    )
