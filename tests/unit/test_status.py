"""What a statistics user expects on a dashboard: status, last update, revisions, rules, contact."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from plotly.utils import PlotlyJSONEncoder

from callbacks.routing import view_pages
from dashboard import rules
from dashboard.datastore import DataError, DataStore, load_store
from dashboard.revisions import last_updated, load_revisions

DATA = Path(__file__).resolve().parents[2] / "data"


def _text(component: object) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder)


def test_revisions_log_is_read_newest_first_and_dates_the_footer(real_store: DataStore) -> None:
    log = pd.read_csv(DATA / "revisions.csv", dtype=str)
    assert len(real_store.revisions) == len(log) >= 2
    assert list(real_store.revisions["date"]) == sorted(log["date"], reverse=True)
    newest = pd.Timestamp(log["date"].max())
    assert last_updated(real_store.revisions) == f"{newest.day} {newest:%B %Y}"


def test_methods_page_has_status_rules_strengths_revisions_and_contact(real_store) -> None:
    page = _text(view_pages(real_store, contact="team@example.org")["/methods"]())
    assert "not official statistics" in page
    for name, text in rules.RULES:
        assert name in page and text[:40] in page
    assert "Strengths" in page and "Limitations" in page
    for change in real_store.revisions["change"]:
        assert json.dumps(change)[1:60] in page
    assert "mailto:team@example.org" in page


def test_without_a_contact_the_page_says_none_is_set(real_store) -> None:
    page = _text(view_pages(real_store)["/methods"]())
    assert "No contact address has been set" in page


def test_every_page_footer_carries_the_status_and_last_update(real_store) -> None:
    from dashboard.factory import create_app

    app = create_app()
    layout = app.server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert "not official statistics" in layout
    assert f"Data last updated {last_updated(real_store.revisions)}" in layout
    assert "methods#methods-revisions-heading" in layout


def test_a_bad_revision_date_stops_the_app_naming_the_line(tmp_path: Path) -> None:
    for name in ("units.csv", "metrics.csv", "observations.csv", "sources.csv"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "revisions.csv").write_text("date,change,reason\n2026-13-40,Something,\n")
    with pytest.raises(DataError, match=r"revisions.csv, line 2, column 'date'"):
        load_store(tmp_path)
    (tmp_path / "revisions.csv").unlink()
    assert load_revisions(tmp_path).empty, "a data folder without a log still loads"
