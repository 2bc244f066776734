"""Every value a browser sends to a callback, parsed once into a typed value.

Why one place: a page left open across a data update, an old bookmark or a hand-made request
sends units, years or charts that no longer exist, strings where lists belong and lists where
strings belong. Each parser here takes whatever arrived (any JSON value), never raises, caps
its size before any work, and returns the default with a notice a user can read.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dashboard.charts import CHARTS
from dashboard.datastore import DataStore
from dashboard.measures import DEFAULT_MEASURE, MEASURE_IDS
from dashboard.selection import MEASURE_KEY, UNIT_KEY, YEAR_KEY, Selection

MAX_TEXT = 2_000  # characters of a path, query, address or id kept; the rest is not read
MAX_SHOWN = 40  # characters of a bad value repeated back in a notice
_YEAR = re.compile(r"^(\d{4})[-/](\d{2})$", re.ASCII)
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


@dataclass(frozen=True)
class Known:
    """What may be chosen: the data's units and years, the measures and the chart names."""

    units: tuple[str, ...]
    years: tuple[str, ...]
    measures: tuple[str, ...] = ()
    default_measure: str | None = None
    charts: frozenset[str] = field(default_factory=frozenset)


def text(raw: Any, limit: int = MAX_TEXT) -> str | None:
    """A string of at most `limit` characters that can be encoded, or None for anything else.

    A lone surrogate (which JSON allows) cannot be written to a page or a file, so it is not
    text.
    """
    if not isinstance(raw, str) or len(raw) > limit:
        return None
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return raw


def shown(raw: Any) -> str:
    """A bad value as a notice repeats it: printable, short."""
    value = raw if isinstance(raw, str) else type(raw).__name__
    value = value.encode("utf-8", "replace").decode("utf-8")
    value = "".join(ch if ch.isprintable() else "?" for ch in value[: MAX_SHOWN + 1])
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"


def year_label(year: str) -> str:
    """'2019-20' -> '2019/20', the form people read."""
    return year.replace("-", "/")


def units(
    raw: Any, known: Collection[str], where: str = "choice"
) -> tuple[tuple[str, ...], list[str]]:
    """The unit picker's value: known unit ids in order, without repeats, at most all units.

    A single string (an old link, a hand-made request) is one unit, not a list of letters.
    Only as many items as there are units (and one more) are read: a longer list is not a
    real choice, and reading it would be work an attacker chooses.
    """
    if raw is None or raw == "" or raw == []:
        return (), []
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        return (), [f"The unit {where} ({shown(raw)}) was not understood; showing all units."]
    chosen: list[str] = []
    unknown: list[str] = []
    for item in items[: len(known) + 1]:
        value = text(item)
        if value is not None and value in known:
            if value not in chosen:
                chosen.append(value)
        else:
            unknown.append(shown(item))
    extra = max(0, len(items) - len(known) - 1) + max(0, len(unknown) - 3)
    notices = [f"Unknown unit '{name}' in the {where} was ignored." for name in unknown[:3]]
    if extra:
        notices.append(f"{extra} more unknown units in the {where} were ignored.")
    return tuple(chosen), notices


def year(raw: Any, known: Collection[str]) -> tuple[str | None, list[str]]:
    """A financial year with figures ('2019-20'), else None (all years) and a notice.

    '2019/20' (the form shown on screen) is read as '2019-20'. A well-formed year without
    figures says so: "No figures for 2030/31".
    """
    if raw is None or raw == "":
        return None, []
    value = text(raw, 20)
    match = _YEAR.match(value or "")
    if match is None:
        return None, [f"'{shown(raw)}' is not a financial year; showing all years."]
    normal = f"{match.group(1)}-{match.group(2)}"
    if normal in known:
        return normal, []
    return None, [f"No figures for {year_label(normal)}; showing all years."]


def measure(raw: Any, known: Collection[str], default: str | None) -> tuple[str | None, list[str]]:
    """A known measure id, else the default (with a notice unless nothing was chosen)."""
    if raw is None or raw == "":
        return default, []
    value = text(raw, 200)
    if value in known:
        return value, []
    return default, [f"Unknown measure '{shown(raw)}'; showing the default measure."]


def chart_name(raw: Any, known: Collection[str]) -> str | None:
    """A chart name the catalogue knows, else None."""
    value = text(raw, 200)
    return value if value in known else None


def chart_of(component_id: Any, known: Collection[str]) -> str | None:
    """The chart named by a pattern-matching id such as {"type": ..., "chart": "area-map"}."""
    if not isinstance(component_id, Mapping):
        return None
    return chart_name(component_id.get("chart"), known)


def path(raw: Any) -> str:
    """A page path without its trailing slash ('/' for anything that is not a path)."""
    value = text(raw)
    if not value or not value.startswith("/"):
        return "/"
    return value.rstrip("/") or "/"


def search(raw: Any) -> str:
    """A query string ('' for anything that is not one)."""
    return text(raw) or ""


def origin(raw: Any) -> str:
    """'https://example.org' from a page address; '' when there is no usable one."""
    value = text(raw)
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    found = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return found if _ORIGIN.match(found) else ""


def clicks(raw: Any) -> int:
    """A button's click count (0 for anything that is not a count)."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else 0


def any_clicks(raw: Any) -> bool:
    """Whether a list of click counts (pattern-matching buttons) holds a click."""
    return isinstance(raw, list) and any(clicks(item) for item in raw[:100])


def choice(raw: Any, allowed: Collection[str], default: str) -> str:
    """One of a few fixed words (a chart/table switch), else the default."""
    value = text(raw, 50)
    return value if value in allowed else default


def clicked_point(raw: Any) -> tuple[str | None, str | None]:
    """(location, first customdata) of the first clicked point of a map, each None if absent."""
    if not isinstance(raw, Mapping):
        return None, None
    points = raw.get("points")
    if not isinstance(points, list) or not points or not isinstance(points[0], Mapping):
        return None, None
    point = points[0]
    location = text(point.get("location"), 200)
    custom = point.get("customdata")
    first = custom[0] if isinstance(custom, list) and custom else None
    return location, text(first, 200) if first else None


def record_ids(raw: Any, limit: int) -> list[str] | None:
    """The obs_id of each row a data grid reports as shown, at most `limit` (None: no order).

    Rows without a usable id are skipped: the server rebuilds the rows from the filters and
    only takes their order from here.
    """
    if not isinstance(raw, list):
        return None
    found = (row.get("obs_id") if isinstance(row, Mapping) else None for row in raw[:limit])
    return [obs_id for obs_id in found if text(obs_id, 200) is not None]


def store_data(raw: Any) -> dict[str, Any] | None:
    """A dcc.Store's data when it is a dict, else None (as if nothing was stored)."""
    return dict(raw) if isinstance(raw, Mapping) else None


def selection(
    unit_values: Any, year_value: Any, measure_value: Any, known: Choices
) -> tuple[Selection, list[str]]:
    """The filter widgets' values as a Selection, with a notice for each value left out."""
    chosen, unit_notices = units(unit_values, known.units)
    picked_year, year_notices = year(year_value, known.years)
    picked_measure, measure_notices = measure(measure_value, known.measures, known.default_measure)
    return (
        Selection(chosen, picked_year, picked_measure),
        [*unit_notices, *year_notices, *measure_notices],
    )


def query_selection(raw: Any, known: Choices) -> tuple[Selection, list[str]]:
    """The Selection a URL query names, whatever arrived: unknown values fall back with notices.

    Only the first value of `year` and `measure` counts; the query is read up to MAX_TEXT
    characters, so a huge address costs no more than a normal one.
    """
    params = parse_qs(search(raw).lstrip("?"), keep_blank_values=False)
    chosen, notices = units(params.get(UNIT_KEY, []), known.units, where="link")
    picked_year, year_notices = year((params.get(YEAR_KEY) or [None])[0], known.years)
    picked_measure, measure_notices = measure(
        (params.get(MEASURE_KEY) or [None])[0], known.measures, known.default_measure
    )
    return (
        Selection(chosen, picked_year, picked_measure),
        [*notices, *year_notices, *measure_notices],
    )


class LiveKnown:
    """What the store's current data lets a user choose, read at each use.

    Callbacks are registered once but the store follows new releases (dashboard/store/live.py):
    a unit or year that a release adds must be accepted without a restart, and one that a
    withdrawal removes refused. The data's years are worked out once per snapshot."""

    measures: tuple[str, ...] = MEASURE_IDS
    default_measure: str | None = DEFAULT_MEASURE
    charts: frozenset[str] = frozenset(CHARTS)

    def __init__(self, store: DataStore) -> None:
        self._store = store

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(self._store.unit_ids)

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(self._store.programme_years)


Choices = Known | LiveKnown


def known_for(store: DataStore) -> LiveKnown:
    """What the data in `store` and the chart catalogue let a user choose."""
    return LiveKnown(store)
