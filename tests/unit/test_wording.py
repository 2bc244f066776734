"""Counts in the page's sentences agree with their nouns and verbs (issue 13, item 8)."""

from __future__ import annotations

import pandas as pd

from dashboard import wording
from dashboard.charts.profile import _describe_outcomes, _describe_reach
from dashboard.transforms import overview_sentence


def test_counts_and_verbs_agree() -> None:
    assert wording.count(1, "funding figure") == "1 funding figure"
    assert wording.count(3, "funding figure") == "3 funding figures"
    assert wording.count_with_verb(1, "unit") == "1 unit has"
    assert wording.count_with_verb(0, "unit") == "0 units have"
    assert wording.count_with_verb(2, "change", "is") == "2 changes are"


def test_overview_with_one_funded_unit_says_has() -> None:
    overview = pd.DataFrame({"funding": ["£1m", "no figure"]})
    sentence = overview_sentence(overview, "2020-21", 18)
    assert "1 has a Home Office VRU funding figure" in sentence
    assert "1 have" not in sentence


def test_profile_summaries_say_one_figure_not_one_figures() -> None:
    reach = pd.DataFrame(
        {
            "metric_id": ["reach_young_people"],
            "value": [2750.0],
            "value_status": ["reported"],
            "is_alternative": [False],
            "display_text": ["over 2,750"],
            "metric_label": ["Young people reached"],
            "period_label": ["2020/21"],
        }
    )
    text = _describe_reach("London", reach)
    assert "1 reach figure;" in text and "1 reach figures" not in text
    outcomes = pd.DataFrame(
        {
            "baseline_value": [10.0],
            "value": [8.0],
            "metric_label": ["Knife crime"],
            "display_text": ["down 20%"],
            "period_label": ["2019/20"],
        }
    )
    text = _describe_outcomes("Kent", outcomes)
    assert "1 outcome figure;" in text and "1 state " not in text and "1 states a change" in text


def test_one_chosen_unit_with_a_pair_does_not_list_zero_without_one(real_store):
    from dashboard.charts import CHARTS
    from dashboard.selection import Selection

    one = CHARTS["funding-per-person"].build(real_store, Selection(units=("northumbria",)))
    assert "0 chosen units without" not in one.summary
    assert "1 of 1 chosen unit has" in one.summary


def test_a_chart_drawing_few_units_never_says_all_of_them(real_store):
    from dashboard.charts import CHARTS
    from dashboard.selection import Selection

    result = CHARTS["funding-per-person"].build(real_store, Selection(year="2019-20"))
    assert "all " not in result.subtitle
    assert f"of {len(real_store.units)} VRU areas" in result.subtitle
