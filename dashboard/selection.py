"""The filter state of a view (units, financial year, measure) and its URL query form.

The URL is the only place a user's state lives, so a copied link reproduces the view.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlencode

UNIT_KEY = "unit"
YEAR_KEY = "year"
MEASURE_KEY = "measure"


@dataclass(frozen=True)
class Selection:
    """What the user has chosen; empty units means all units, no year means all years."""

    units: tuple[str, ...] = ()
    year: str | None = None
    measure: str | None = None


def parse_query(
    search: str | None,
    *,
    units: Collection[str],
    years: Collection[str],
    measures: Collection[str] = (),
    default_measure: str | None = None,
) -> tuple[Selection, list[str]]:
    """Read a query string; unknown values fall back to defaults and produce a notice each."""
    # The parsing rules live with every other browser input; imported here, as inputs.py
    # builds on Selection.
    from dashboard import inputs

    known = inputs.Known(tuple(units), tuple(years), tuple(measures), default_measure)
    return inputs.query_selection(search, known)


def to_query(selection: Selection, *, default_measure: str | None = None) -> str:
    """The query string for a selection ('' when everything is at its default)."""
    pairs: list[tuple[str, str]] = [(UNIT_KEY, unit) for unit in selection.units]
    if selection.year:
        pairs.append((YEAR_KEY, selection.year))
    if selection.measure and selection.measure != default_measure:
        pairs.append((MEASURE_KEY, selection.measure))
    return "?" + urlencode(pairs) if pairs else ""
