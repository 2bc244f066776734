"""Colour contrast of the chart palette and the site's own colours (WCAG 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re

import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.figures import theme

SITE_CSS = (PROJECT_ROOT / "dashboard" / "assets" / "site.css").read_text(encoding="utf-8")
WHITE = "#ffffff"
LIGHT_PANEL = "#f8f9fa"  # Bootstrap's bg-light, behind the filter bar


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_value(pattern: str) -> str:
    match = re.search(pattern, SITE_CSS)
    assert match, f"site.css no longer matches {pattern!r}"
    return match.group(1)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", theme.PALETTE)
def test_every_palette_colour_stands_out_from_white_by_3_to_1(colour):
    assert contrast(colour, WHITE) >= 3, colour


def test_palette_colours_are_distinct():
    assert len({c.lower() for c in theme.PALETTE}) == len(theme.PALETTE)


def test_header_text_and_focus_ring_are_readable_on_the_header():
    header = css_value(r"\.site-header \{ background: (#[0-9a-fA-F]{6}); \}")
    assert contrast(WHITE, header) >= 4.5  # nav link text
    assert contrast(WHITE, header) >= 3  # the white focus ring used in the header
    current = css_value(r'\[aria-current="page"\] \{ border-bottom-color: (#[0-9a-fA-F]{6}); \}')
    assert contrast(current, header) >= 3


def test_focus_ring_stands_out_on_white_and_on_the_filter_panel():
    ring = css_value(r":focus-visible \{ outline: 3px solid (#[0-9a-fA-F]{6});")
    assert contrast(ring, WHITE) >= 3
    assert contrast(ring, LIGHT_PANEL) >= 3


def test_links_and_the_reset_button_meet_4_5_to_1_on_the_light_panel():
    link = css_value(r"--bs-link-color: (#[0-9a-fA-F]{6});")
    button = css_value(r"--bs-btn-color: (#[0-9a-fA-F]{6});")
    for colour in (link, button):
        assert contrast(colour, LIGHT_PANEL) >= 4.5
        assert contrast(colour, WHITE) >= 4.5


def test_chart_text_colours_are_readable():
    assert contrast(theme.TEXT, WHITE) >= 4.5
