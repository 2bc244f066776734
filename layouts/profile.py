"""Unit profile: one unit's area, leadership, model, funding, reach, outcomes and sources."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from layouts.pages import page_heading


def profile_page(unit: Mapping[str, object]) -> html.Div:
    return html.Div(page_heading(str(unit["name"]), str(unit.get("model_notes") or "")))
