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


MEASURES: tuple[Measure, ...] = (
    Measure("funding_home_office_vru", "Home Office VRU funding", ("funding_home_office_vru",)),
    Measure("reach_total", "People reached (all)", ("reach_total",)),
    Measure("reach_universal", "People reached (universal)", ("reach_universal",)),
    Measure("reach_targeted", "People reached (targeted)", ("reach_targeted",)),
    Measure("reach_young_people", "Young people reached", ("reach_young_people",)),
    Measure(
        "funding_per_person",
        "Funding per person reached",
        ("funding_home_office_vru", "reach_total"),
        derived=True,
    ),
    Measure("knife_crime_change_pct", "Change in knife crime (%)", ("knife_crime_change_pct",)),
)
DEFAULT_MEASURE = "funding_home_office_vru"
MEASURE_IDS: tuple[str, ...] = tuple(m.measure_id for m in MEASURES)


def measure(measure_id: str) -> Measure:
    return next(m for m in MEASURES if m.measure_id == measure_id)
