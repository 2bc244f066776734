"""Data and sources, methods and data quality, and the accessibility statement."""

from __future__ import annotations

from dash import html

from layouts.pages import page_heading


def data_page() -> html.Div:
    return html.Div(page_heading("Data and sources", "Every figure with its source."))


def methods_page() -> html.Div:
    return html.Div(page_heading("Methods and data quality", "How the figures were gathered."))


def accessibility_page() -> html.Div:
    return html.Div(page_heading("Accessibility statement", "How this site meets WCAG 2.2 AA."))
