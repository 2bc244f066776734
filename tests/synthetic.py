"""SYNTHETIC test data: a tiny hand-made dataset with made-up figures, for tests only.

The numbers below are invented to exercise the code (bounds, gaps, periods); they describe no
real unit and must never be shown as real figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dashboard import schema

UNITS = [
    {
        "unit_id": "alpha",
        "name": "Alpha Violence Reduction Unit",
        "unit_type": "VRU",
        "area_name": "Alpha",
        "pfa_codes": "E23000001",
        "grant_recipient": "Alpha",
        "pcc": "PCC A",
        "lead": "Lead A",
        "model_notes": "Synthetic.",
        "start_year": "2019-20",
        "source_id": "synthetic",
        "page": "4",
    },
    {
        "unit_id": "beta",
        "name": "Beta Violence Reduction Network",
        "unit_type": "VRN",
        "area_name": "Beta",
        "pfa_codes": "W15000001;W15000002",
        "grant_recipient": "Beta",
        "pcc": "",
        "lead": "",
        "model_notes": "",
        "start_year": "2019-20",
        "source_id": "synthetic",
        "page": "6",
    },
    {
        "unit_id": "gamma",
        "name": "Gamma Violence Reduction Partnership",
        "unit_type": "VRP",
        "area_name": "Gamma",
        "pfa_codes": "E23000002",
        "grant_recipient": "Gamma",
        "pcc": "",
        "lead": "",
        "model_notes": "",
        "start_year": "2019-20",
        "source_id": "synthetic",
        "page": "8",
    },
]
METRICS = [
    {
        "metric_id": "funding_home_office_vru",
        "label": "Home Office VRU grant",
        "category": "funding",
        "unit_of_measure": "gbp",
        "reach_type": "",
        "description": "Grant.",
        "higher_is_better": "",
        "money_kind": "unit_grant",
    },
    {
        "metric_id": "reach_total",
        "label": "People reached",
        "category": "reach",
        "unit_of_measure": "people",
        "reach_type": "all",
        "description": "Reach.",
        "higher_is_better": "true",
    },
    {
        "metric_id": "knife_offences_count",
        "label": "Knife offences",
        "category": "outcome",
        "unit_of_measure": "offences",
        "reach_type": "",
        "description": "Offences.",
        "higher_is_better": "false",
    },
]


def _obs(obs_id: str, unit_id: str, metric_id: str, value: str, **extra: str) -> dict[str, str]:
    row = {name: "" for name in schema.OBSERVATIONS.column_names}
    row |= {
        "obs_id": obs_id,
        "unit_id": unit_id,
        "metric_id": metric_id,
        "value": value,
        "qualifier": "exact",
        "value_status": "reported",
        "period_label": "2019/20",
        "period_start": "2019-04-01",
        "period_end": "2020-03-31",
        "financial_year": "2019-20",
        "source_id": "synthetic",
        "page": "4",
    }
    row |= extra
    return row


OBSERVATIONS = [
    # alpha: funding and reach for the same year -> a ratio; funding is a lower bound
    _obs("s-001", "alpha", "funding_home_office_vru", "1000000", qualifier="over"),
    _obs("s-002", "alpha", "reach_total", "2000"),
    _obs(
        "s-003",
        "alpha",
        "knife_offences_count",
        "80",
        baseline_value="100",
        baseline_period_label="2018/19",
    ),
    # beta: funding and reach for different periods -> no ratio, with a reason
    _obs(
        "s-004", "beta", "funding_home_office_vru", "500000", page="", url="https://example.org/b"
    ),
    _obs(
        "s-005",
        "beta",
        "reach_total",
        "300",
        period_label="since July 2019",
        period_start="2019-07-01",
        period_end="2020-06-30",
        financial_year="",
    ),
    # gamma: only a chart in the source -> no value
    _obs(
        "s-006",
        "gamma",
        "knife_offences_count",
        "",
        value_status="chart_only",
        note="Synthetic chart-only figure.",
    ),
    _obs(
        "s-007",
        "national",
        "funding_home_office_vru",
        "35000000",
        qualifier="up_to",
        period_label="2020/21",
        period_start="2020-04-01",
        period_end="2021-03-31",
        financial_year="2020-21",
    ),
]
SOURCES = [
    {
        "source_id": "synthetic",
        "title": "Synthetic test source",
        "publisher": "Tests (TST)",
        "published": "2020",
        "url": "",
        "licence": "",
    },
]

TABLES = {"units": UNITS, "metrics": METRICS, "observations": OBSERVATIONS, "sources": SOURCES}


def write_tables(directory: Path, tables: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write the synthetic tables (or the given ones) as CSV files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for spec in schema.TABLES:
        rows = (tables or TABLES)[spec.name]
        with (directory / spec.filename).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(spec.column_names))
            writer.writeheader()
            writer.writerows(rows)
    return directory
