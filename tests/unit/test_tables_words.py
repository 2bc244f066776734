"""Tables say things in words: named source links, plain qualifiers, figures on a phone."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import transforms
from dashboard.catalogue import GRID_COLUMNS
from layouts.chart_card import cell_content, data_table
from layouts.data_sources import PHONE_FIGURE_EDGE, observations_grid


def _cells(node) -> list:
    found = []
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if isinstance(child, html.Td):
            found.append(child.children)
        elif hasattr(child, "to_plotly_json"):
            found += _cells(child)
    return found


def test_a_web_source_is_a_link_named_by_the_source_not_its_address() -> None:
    url = "https://www.itv.com/news/2019-12-29/police-commissioners-to-receive-extra-35m"
    row = pd.Series({"citation": f"ITV News 2019 ({url})"})
    cell = cell_content(row, "citation")
    assert isinstance(cell, html.A)
    assert cell.children == "ITV News 2019" and cell.href == url
    assert cell_content(pd.Series({"citation": "APCC 2020, p. 7"}), "citation") == (
        "APCC 2020, p. 7"
    )


def test_qualifiers_and_series_are_words_not_slugs() -> None:
    assert cell_content(pd.Series({"qualifier": "up_to"}), "qualifier") == "up to"
    assert cell_content(pd.Series({"qualifier": "exact"}), "qualifier") == ""
    row = pd.Series({"series": "itv_news", "source_short": "ITV News 2019"})
    assert cell_content(row, "series") == "ITV News 2019"


def test_chart_tables_show_no_raw_addresses_or_slugs(real_store) -> None:
    from dashboard.charts import build_chart
    from dashboard.selection import Selection

    result = build_chart("area-map", real_store, Selection(year="2020-21"))
    cells = _cells(data_table(result.table, "caption"))
    texts = [c for c in cells if isinstance(c, str)]
    assert not any("http" in text for text in texts)
    assert not any(text in {"up_to", "approximately", "itv_news"} for text in texts)


def test_units_overview_cells_name_sources_without_web_addresses(real_store) -> None:
    overview = transforms.unit_overview(real_store.observations, real_store.units)
    text = " ".join(str(v) for v in overview.to_numpy().ravel())
    assert "http" not in text
    assert "ITV News 2019" in text or "Home Office 2023" in text


def test_phone_grid_shows_the_figure_column_without_scrolling() -> None:
    grid = observations_grid()
    widths = 0
    for column in grid.columnDefs:
        widths += int(column.get("minWidth", 200))
        if column["headerName"] == "Figure":
            break
    assert [label for _, label in GRID_COLUMNS].index("Figure") <= 2
    assert widths <= PHONE_FIGURE_EDGE
