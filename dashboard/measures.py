"""Measures a user can pick for the map and charts (the `measure` key of the URL)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """A choosable measure: its URL value, its label and the metric(s) behind it."""

    measure_id: str
    label: str
    metric_ids: tuple[str, ...]
    derived: bool = False
    # A signed change (a fall is negative): drawn on a scale centred on zero, and stated over
    # its own period rather than a financial year.
    signed_change: bool = False


MEASURES: tuple[Measure, ...] = (
    Measure("funding_home_office_vru", "Home Office VRU funding", ("funding_home_office_vru",)),
    Measure(
        "people_reached",
        "People reached (largest figure per unit, group named)",
        ("reach_total", "reach_universal", "reach_targeted", "reach_young_people", "reach_pupils"),
        derived=True,
    ),
    Measure("reach_total", "People reached (no group given)", ("reach_total",)),
    Measure("reach_universal", "People reached (universal)", ("reach_universal",)),
    Measure("reach_targeted", "People reached (targeted)", ("reach_targeted",)),
    Measure("reach_young_people", "Young people reached", ("reach_young_people",)),
    Measure(
        "funding_per_person",
        "Funding per person reached",
        ("funding_home_office_vru", "reach_total"),
        derived=True,
    ),
    Measure(
        "knife_crime_change_pct",
        "Change in knife crime (%)",
        ("knife_crime_change_pct",),
        signed_change=True,
    ),
)
DEFAULT_MEASURE = "funding_home_office_vru"
MEASURE_IDS: tuple[str, ...] = tuple(m.measure_id for m in MEASURES)


def measure(measure_id: str) -> Measure:
    """The measure with this id (a KeyError-like StopIteration for an unknown one)."""
    return next(m for m in MEASURES if m.measure_id == measure_id)
