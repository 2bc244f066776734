"""Words about a chart for alt text, speaker notes and caveats."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import ChartResult
from dashboard.charts.trends import series_words
from dashboard.export.tables import (
    _is_missing,
)

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Words about a chart: kind, alt text, key figures, caveats

LABEL_COLUMNS = ("unit_name", "label", "metric_label", "area_name", "geography", "category")
PERIOD_COLUMNS = ("period", "period_label", "financial_year")


def has_marks(result: ChartResult) -> bool:
    """Whether the figure draws anything (an empty selection gives a figure with no traces)."""
    return result.draws_anything


def chart_kind(figure: go.Figure) -> str:
    """'Horizontal bar chart', 'Map', 'Line chart'... for alt text."""
    types = [trace.type for trace in figure.data]
    if any(t.startswith("choropleth") or t.startswith("scattermap") for t in types):
        return "Map"
    if "bar" in types:
        bars = [trace for trace in figure.data if trace.type == "bar"]
        return "Horizontal bar chart" if bars[0].orientation == "h" else "Bar chart"
    scatters = [trace for trace in figure.data if trace.type == "scatter"]
    if scatters:
        modes = " ".join(str(trace.mode or "lines") for trace in scatters)
        return "Line chart" if "lines" in modes else "Dot chart"
    if "heatmap" in types:
        return "Heat map"
    return "Chart"


def alt_text(result: ChartResult) -> str:
    """What a screen reader says for the picture: kind, title, what it covers, the message."""
    return (
        f"{chart_kind(result.figure)}: {result.title} ({result.subtitle}). {result.summary} "
        "The figures are in the speaker notes and in the chart's data download."
    )


def key_figures(table: pd.DataFrame, limit: int = 12) -> list[str]:
    """'Kent and Medway VRU: over £1.1m (2020/21)' for each drawn row, up to `limit`."""
    if "value_text" not in table.columns:
        return []
    rows = table[table["value"].notna()] if "value" in table.columns else table
    label = next((c for c in LABEL_COLUMNS if c in rows.columns), None)
    period = next((c for c in PERIOD_COLUMNS if c in rows.columns), None)
    lines = []
    for _, row in rows.head(limit).iterrows():
        text = str(row["value_text"])
        if label and not _is_missing(row[label]):
            text = f"{row[label]}: {text}"
        if period and not _is_missing(row[period]):
            text += f" ({row[period]})"
        lines.append(text)
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more in the data download.")
    return lines


def speaker_notes(result: ChartResult) -> str:
    """The chart's plain-English summary, its key figures, its caveats and its source."""
    parts = [result.summary]
    figures = key_figures(result.table)
    if figures:
        parts.append("Key figures:\n" + "\n".join(f"• {line}" for line in figures))
    if result.caveats:
        parts.append("Caveats:\n" + "\n".join(f"• {c}" for c in result.caveats))
    parts.append(result.source_line)
    return "\n\n".join(parts)


def series_names(table: pd.DataFrame) -> list[str]:
    """The series a chart draws, in words a reader knows ('ONS July 2019 release'), never the
    internal names ('ons_jul2019'): the table's own `series_name` where it has one, else the
    slug in words, else the source that the series comes from."""
    if "series_name" in table.columns:
        return sorted({str(s) for s in table["series_name"].dropna() if str(s)})
    if "series" not in table.columns:
        return []
    names = set()
    for slug, rows in table.dropna(subset=["series"]).groupby("series"):
        words = series_words(str(slug))
        sources = rows["source_short"].dropna().unique() if "source_short" in rows else []
        if words == str(slug).replace("_", " ") and len(sources) == 1:
            words = str(sources[0])
        names.add(words)
    return sorted(names)


def _listed(names: Sequence[str], limit: int = 4) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def deck_caveats(
    results: Sequence[ChartResult],
    omitted: Sequence[ChartResult] = (),
    failed: Sequence[str] = (),
) -> list[str]:
    """The closing slide: qualifiers, gaps and series breaks across the deck, charts left out.

    Each chart's own caveats are in its speaker notes; this slide is the summary a reader
    needs before quoting any figure.
    """
    items: list[str] = []
    words: set[str] = set()
    qualified = 0
    for result in results:
        table = result.table
        if "qualifier" in table.columns:
            drawn = table[table["value"].notna()] if "value" in table.columns else table
            bound = drawn["qualifier"].dropna().astype(str)
            bound = bound[~bound.isin(["", "exact"])]
            qualified += len(bound)
            words |= {w.replace("_", " ") for w in bound}
    if qualified:
        items.append(
            f"Qualifiers: {qualified} figures are given by their source as bounds or estimates "
            f"({', '.join(sorted(words))}). Each keeps its qualifier, and a figure calculated "
            "from a bound is itself a bound."
        )
    gaps = []
    for result in results:
        table = result.table
        if "value" in table.columns and len(table):
            missing = int(table["value"].isna().sum())
            if missing:
                gaps.append(f"{result.title} ({missing} of {len(table)} rows)")
    if gaps:
        items.append(
            "Gaps: some rows have no figure in " + "; ".join(gaps) + ". They are left blank "
            "with a reason (in the notes and the data downloads), never drawn as 0."
        )
    for result in results:
        series = series_names(result.table)
        if len(series) > 1:
            items.append(
                f"Series breaks in '{result.title}': {len(series)} series "
                f"({_listed(series)}) are drawn separately and never joined into one line."
            )
    if omitted:
        names = [result.title for result in omitted]
        items.append(f"No figures for these filters, so no slide: {_listed(names, 8)}.")
    if failed:
        items.append(f"Could not be drawn (the error has been logged): {_listed(failed, 8)}.")
    items.append(
        "Every figure is quoted as published, with its source page or web address in the "
        "speaker notes and the data downloads. Each chart's own caveats are in its notes."
    )
    return items
