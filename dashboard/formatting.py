"""How a figure is written for people: the qualifier travels with the number, missing says why."""

from __future__ import annotations

import math

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about",
    "over": "over",
    "at_least": "at least",
    "nearly": "nearly",
    "under": "under",
    "up_to": "up to",
}
LOWER_BOUNDS = frozenset({"over", "at_least"})
UPPER_BOUNDS = frozenset({"nearly", "under", "up_to"})
MISSING_TEXT = "no figure"
# Figures a unit sends through the upload page: management information, not official
# statistics. Their source's short name is this label, so every citation carries it.
UNIT_SOURCE_ID = "unit_supplied"
UNIT_SUPPLIED_LABEL = "management information supplied by the unit"


def format_number(value: float, unit_of_measure: str) -> str:
    """Write a value in its unit without losing precision the source gave."""
    if unit_of_measure == "gbp":
        millions = value / 1_000_000
        if abs(value) >= 1_000_000 and round(millions, 1) == millions:
            return f"£{millions:,.1f}m".replace(".0m", "m")
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    if unit_of_measure == "percent":
        # Two decimals, as DfE and ONS publish rates, but three below 1%: a permanent exclusion rate
        # of 0.165% would otherwise read as 0.16%, 3% off. The exact value stays in files.
        places = 3 if abs(value) < 1 else 2
        return f"{round(value, places):,g}%"
    if unit_of_measure in {"rate_per_100k", "rate_per_10k"}:
        per = "100,000" if unit_of_measure == "rate_per_100k" else "10,000"
        return f"{value:,g} per {per}"
    if unit_of_measure == "year":
        return f"{value:.0f}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(
    value: float | None,
    unit_of_measure: str,
    qualifier: str = "exact",
    value_status: str = "reported",
) -> str:
    """A figure as it should be read: 'over £1.1m', 'about 50%', or why it is missing."""
    if value_status == "chart_only":
        return "not available (shown only as a chart in the source)"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    words = QUALIFIER_WORDS.get(qualifier, qualifier.replace("_", " "))
    number = format_number(float(value), unit_of_measure)
    text = f"{words} {number}".strip()
    if value_status == "provisional":
        text += " (provisional)"
    elif value_status == "alternative":
        text += " (another source's figure; not the one used)"
    return text


def citation_parts(text: str) -> tuple[str, str | None]:
    """'Name 2019 (https://...)' -> ('Name 2019', 'https://...'); other citations unchanged.

    Tables show the name as the text of a link, never a 200-character address as cell text.
    """
    text = str(text)
    if text.endswith(")") and " (http" in text:
        label, _, url = text[:-1].rpartition(" (")
        if url.startswith(("https://", "http://")):
            return label, url
    return text, None


def qualifier_words(qualifier: object) -> str:
    """'up_to' -> 'up to', 'exact' -> '' : a qualifier in the words people read."""
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return ""
    text = str(qualifier)
    return QUALIFIER_WORDS.get(text, text.replace("_", " "))


def citation(source_short: str, page: int | None, url: str | None) -> str:
    """Where a figure was read: 'APCC 2020, p. 12' or the short source name and its address."""
    if page is not None and not (isinstance(page, float) and math.isnan(page)):
        return f"{source_short}, p. {int(page)}"
    if url:
        return f"{source_short} ({url})"
    return source_short
