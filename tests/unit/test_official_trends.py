"""Trends and comparisons on the publishers' tables, checked against the raw files themselves.

The expected figures are read here from the shipped ONS workbooks and DfE CSV with openpyxl and
csv, not through the importers, so an importer fault cannot hide itself.
"""

from __future__ import annotations

import csv

import openpyxl
import pytest

from dashboard.charts import CHARTS
from dashboard.charts.compare import compare_chart
from dashboard.config import PROJECT_ROOT
from dashboard.selection import Selection

RAW = PROJECT_ROOT / "data" / "raw"
SEPTEMBER_2019 = RAW / "ons_crime" / "policeforceareatablesyearendingseptember2019.xlsx"
DFE = RAW / "dfe" / "exc_nat_region_la.csv"
LA_LOOKUP = PROJECT_ROOT / "geo" / "la_to_force.csv"


def _build(store, chart: str, *units: str, year: str | None = None):
    return CHARTS[chart].build(store, Selection(tuple(units), year))


def _drawn(result, panel: str, period: str) -> float:
    rows = result.table[(result.table["panel"] == panel) & (result.table["period_label"] == period)]
    assert len(rows) == 1, f"{panel}, {period}: {len(rows)} rows"
    return float(rows["value"].iloc[0])


def _p5_row(code: str) -> tuple:
    book = openpyxl.load_workbook(SEPTEMBER_2019, read_only=True, data_only=True)
    return next(r for r in book["Table P5"].iter_rows(values_only=True) if r[0] == code)


@pytest.mark.parametrize("chart", ["knife-offences-series", "knife-rate-series"])
def test_every_unit_area_shows_a_knife_series_or_says_ons_gives_none(real_store, chart):
    for unit_id in real_store.unit_ids:
        result = _build(real_store, chart, unit_id)
        mine = result.table[result.table["unit_id"] == unit_id]
        assert len(mine) >= 9, unit_id  # years ending March 2011 to 2019, at least
        assert (result.table["unit_id"] == "national").any()
        if unit_id == "greater_manchester":
            assert "ONS gives no figure for Greater Manchester" in result.summary
            assert "year ending December 2019" in result.summary


@pytest.mark.parametrize("chart", ["school-exclusions", "suspension-rates"])
def test_every_english_unit_shows_an_exclusion_series_and_wales_says_why(real_store, chart):
    for unit_id in real_store.unit_ids:
        result = _build(real_store, chart, unit_id)
        mine = result.table[result.table["unit_id"] == unit_id]
        if unit_id == "wales":
            assert mine.empty
            assert "England only" in result.summary
            texts = {a.text for a in result.figure.layout.annotations}
            assert any("England only" in str(t) for t in texts)
        else:
            assert len(mine) >= 15, unit_id  # 2006/07 to 2022/23, less any year DfE lacks
            assert set(result.table["panel"]) == {result.table["panel"].iloc[0], "England"}


def test_northumbria_knife_count_is_the_one_in_onss_table(real_store):
    """Year ending March 2019: the September 2019 edition's Table P5, Northumbria's row."""
    row = _p5_row("E23000007")
    book = openpyxl.load_workbook(SEPTEMBER_2019, read_only=True, data_only=True)
    header = next(
        r for r in book["Table P5"].iter_rows(values_only=True) if r[2] and "Mar '19" in str(r)
    )
    column = header.index("Apr '18 to Mar '19")
    result = _build(real_store, "knife-offences-series", "northumbria")
    assert _drawn(result, "Northumbria", "year ending March 2019") == row[column] == 942
    assert "942 (year ending March 2019)" in result.summary


def test_a_unit_of_several_forces_gets_the_sum_of_their_rows(real_store):
    book = openpyxl.load_workbook(SEPTEMBER_2019, read_only=True, data_only=True)
    rows = [r for r in book["Table P5"].iter_rows(values_only=True) if str(r[0])[:3] == "W15"]
    assert len(rows) == 4
    result = _build(real_store, "knife-offences-series", "wales")
    assert _drawn(result, "Wales", "year ending March 2011") == sum(r[2] for r in rows)


def test_knife_rate_uses_onss_own_population_for_the_year(real_store):
    """The rate is recomputed from the mid-2018 estimates; ONS's Table P3 (mid-2018, rounded
    to 100) must give the same rate to within the rounding."""
    book = openpyxl.load_workbook(SEPTEMBER_2019, read_only=True, data_only=True)
    p3 = next(r for r in book["Table P3"].iter_rows(values_only=True) if r[0] == "E23000007")
    expected = 100_000 * 942 / p3[2]
    result = _build(real_store, "knife-rate-series", "northumbria")
    drawn = _drawn(result, "Northumbria", "year ending March 2019")
    assert drawn == pytest.approx(expected, abs=0.01)
    assert "mid-year population estimates" in " ".join(result.caveats)


def test_northumbria_exclusion_rate_is_dfes_counts_over_its_headcount(real_store):
    """2018/19: the sum of the 'Total' rows of Northumbria's six authorities in DfE's file."""
    with LA_LOOKUP.open(encoding="utf-8") as stream:
        mine = {r["dfe_la_code"] for r in csv.DictReader(stream) if r["pfa_code"] == "E23000007"}
    excluded = pupils = 0
    with DFE.open(encoding="utf-8-sig") as stream:
        for row in csv.DictReader(stream):
            if (
                row["time_period"] == "201819"
                and row["geographic_level"] == "Local authority"
                and row["school_type"] == "Total"
                and row["old_la_code"] in mine
            ):
                excluded += int(row["perm_excl"])
                pupils += int(row["headcount"])
    assert (excluded, pupils) == (342, 207372)
    result = _build(real_store, "school-exclusions", "northumbria")
    drawn = _drawn(result, "Northumbria", "2018/19 academic year")
    assert drawn == pytest.approx(100 * excluded / pupils, abs=1e-5)


def test_news_figures_are_drawn_only_where_no_table_covers_the_period(real_store):
    result = _build(real_store, "knife-offences-series", "london")
    table = result.table
    official = table["source_short"].str.startswith("ONS 20") & table["citation"].str.contains(
        "policeforceareadatatables"
    )
    news = table[~official & (table["unit_id"] == "london")]
    assert not news.empty
    official_periods = set(table.loc[official & (table["unit_id"] == "london"), "period_label"])
    assert not set(news["period_label"]) & official_periods
    lines = [t for t in result.figure.data if t.mode and "lines" in t.mode]
    assert all("Reported in the news" not in str(t.hovertext) for t in lines)


def test_all_units_share_one_scale_and_draw_no_hidden_legend(real_store):
    figure = _build(real_store, "knife-rate-series").figure
    ranges = {
        tuple(figure.layout[name].range)
        for name in figure.layout
        if name.startswith("yaxis") and figure.layout[name].range
    }
    assert len(ranges) == 1
    assert figure.layout.showlegend is False
    assert len(figure.data) <= 4 * 20  # a few traces per panel, not one per release


@pytest.mark.parametrize("unit_id", ["northumbria", "london", "greater_manchester", "wales"])
def test_compare_shows_one_period_per_measure_and_rates_not_counts(real_store, unit_id):
    result = compare_chart(real_store, Selection((unit_id,)))
    table = result.table
    panels = table.groupby("metric_label")["period_label"].nunique()
    assert table["group_label"].nunique() <= 8
    assert panels.le(1).all() or table.groupby("metric_label")["group_label"].nunique().le(1).all()
    assert "Knife or sharp instrument offences (ONS)" not in set(table["metric_label"])
    labels = dict(zip(real_store.metrics["metric_id"], real_store.metrics["label"], strict=True))
    for count in ("pupil_headcount", "permanent_exclusions_count", "suspensions_count"):
        assert labels[count] not in set(table["metric_label"])
    # one release per unit and period: no unit appears twice in a panel
    assert not table.duplicated(["group_label", "unit_id", "geography", "series"]).any()
    official = table[table["series"].str.startswith(("ons_pfa", "dfe_"), na=False)]
    assert not official.duplicated(["group_label", "unit_id"]).any()


@pytest.mark.parametrize("chart", ["knife-rate-series", "school-exclusions", "suspension-rates"])
@pytest.mark.parametrize("unit_id", ["northumbria", "london", "kent"])
def test_the_higher_lines_end_label_sits_above_the_lower_ones(real_store, chart, unit_id):
    """Direct labels read in the order of the lines they name, and are anchored in data
    coordinates with no pixel shifts (the export rescales type but not shifts, so a shifted
    label lands somewhere else in the file than on the screen)."""
    result = CHARTS[chart].build(real_store, Selection((unit_id,)))
    names = {"England and Wales", "England", unit_id.replace("_", " ").title()}
    labels = [note for note in result.figure.layout.annotations if note.text in names]
    assert all(not note.xshift and not note.yshift for note in labels)
    if len(labels) < 2:
        pytest.skip("fewer than two lines end in this panel")
    ends = {}
    for trace in result.figure.data:
        if trace.mode and "lines" in trace.mode:
            ends[trace.name] = [y for y in trace.y if y is not None][-1]
    upper, lower = sorted(labels, key=lambda note: -ends[note.text])
    assert upper.y >= lower.y, (upper.text, lower.text)


@pytest.mark.parametrize("chart", ["knife-offences-series", "knife-rate-series"])
def test_the_subtitle_says_how_the_small_multiples_share_their_scale(real_store, chart):
    """A reader compares panels by eye: the subtitle must say which share a y scale."""
    result = _build(real_store, chart)
    layout = result.figure.layout.to_plotly_json()
    ranges = {
        tuple(axis["range"]) if axis.get("range") else None
        for name, axis in layout.items()
        if name.startswith("yaxis")
    }
    if len(ranges) == 1:
        assert "areas share both axes" in result.subtitle
    else:  # the areas share one range; the national panel alone has its own
        assert "areas share one scale, England and Wales has its own" in result.subtitle
        assert "each area on its own scale" not in result.subtitle


def test_a_change_of_year_reuses_the_units_parts_and_any_set_of_units_is_not_kept() -> None:
    """After a release the year-independent parts of a trend chart (points, table, words) are
    kept per chart and unit, so a change of year builds the figure alone; but a visitor may
    ask for any of a million sets of units, and those must not grow the worker's memory."""
    from dashboard.datastore import load_store

    store = load_store(PROJECT_ROOT / "data")  # its own, so that nothing is kept before
    kept = store.__dict__.setdefault("_derived", {})
    chart = "knife-rate-series"
    every = _build(store, chart, year="2021-22")
    assert ("official-chart-parts", chart, ()) in kept
    again = _build(store, chart, year="2023-24")
    assert again.table is not every.table  # each answer has its own table to change
    assert again.table.equals(every.table) and again.summary == every.summary
    assert again.figure_json() != every.figure_json()  # the shaded year moved
    _build(store, chart, "wales", year="2021-22")
    assert ("official-chart-parts", chart, ("wales",)) in kept
    before = len(kept)
    for units in (("kent", "essex"), ("essex", "kent"), ("kent", "essex", "wales")):
        result = _build(store, chart, *units)
        assert list(result.table["unit_id"].dropna().unique()) != []
    assert not [key for key in kept if key[0] == "official-chart-parts" and len(key[2]) > 1]
    assert len([key for key in kept if key[0] == "official-chart-parts"]) == 2
    assert len(kept) == before  # the sets of units kept nothing new
