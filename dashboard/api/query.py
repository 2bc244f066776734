"""The API's query string, parsed once into a typed request or a list of problems (a 400).

Why strict: an open data API is read by programs. A misspelt parameter (`units=kent`) or an
unknown unit that was silently ignored would return every figure and look like an answer, so
anything not understood is refused with a message naming it and what is allowed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard import inputs

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000
MAX_VALUES = 200  # values of one filter (there are 21 units and about 120 measures)
MAX_PARAMS = 50  # parameters in one query, counting repeats
FORMATS = ("json", "csv")
PAGING = ("limit", "offset", "cursor", "format")
_YEAR = re.compile(r"^(\d{4})[-/](\d{2})$")
_INTEGER = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a query: the parameter, the value as sent (shortened), why."""

    parameter: str
    message: str
    value: str | None = None

    def as_dict(self) -> dict[str, str]:
        found = {"parameter": self.parameter, "message": self.message}
        if self.value is not None:
            found["value"] = self.value
        return found


class QueryError(Exception):
    """The query cannot be answered; `problems` lists every reason (answered as 400)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass(frozen=True)
class Filter:
    """A filter an endpoint accepts: its name, words for the docs, and how values are read."""

    name: str
    description: str
    kind: str = "choice"  # "choice" (a known id), "year", "integer"


@dataclass(frozen=True)
class Query:
    """A parsed request: chosen filter values (empty tuple: no filter), paging and format."""

    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: str | None = None  # the key the cursor points past
    format: str | None = None  # None: decided by the Accept header
    by_offset: bool = False  # the request paged by offset (its links then do too)

    def values(self, name: str) -> tuple[str, ...]:
        return tuple(self.filters.get(name, ()))


def encode_cursor(key: object) -> str:
    """An opaque cursor for 'the rows after this key' (URL-safe, no padding)."""
    return base64.urlsafe_b64encode(str(key).encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(raw: str) -> str | None:
    """The key a cursor names, or None when it is not one of ours."""
    if not raw or len(raw) > 400 or not re.fullmatch(r"[A-Za-z0-9_-]+", raw):
        return None
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _split(raw: Sequence[str]) -> list[str]:
    """`?unit=kent&unit=essex` and `?unit=kent,essex` both give two values."""
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def _integer(name: str, raw: str, low: int, high: int, problems: list[Problem]) -> int | None:
    if not _INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
        problems.append(
            Problem(
                name, f"'{name}' must be a whole number from {low} to {high}.", inputs.shown(raw)
            )
        )
        return None
    return int(raw)


def _listed(known: Collection[str], limit: int = 30) -> str:
    names = sorted(known)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _filter_values(
    spec: Filter, raw: Sequence[str], known: Collection[str], problems: list[Problem]
) -> tuple[str, ...]:
    values = _split(raw)
    if len(values) > MAX_VALUES:
        problems.append(Problem(spec.name, f"at most {MAX_VALUES} values of '{spec.name}'."))
        return ()
    chosen: list[str] = []
    for value in values:
        normal = value
        if spec.kind == "year":
            match = _YEAR.match(value)
            if match is None:
                problems.append(
                    Problem(
                        spec.name,
                        "a financial year is written 2019-20 (or 2019/20).",
                        inputs.shown(value),
                    )
                )
                continue
            normal = f"{match.group(1)}-{match.group(2)}"
        if normal not in known:
            what = "years with figures" if spec.kind == "year" else "known values"
            allowed = _listed(known) if known else "none"
            problems.append(
                Problem(
                    spec.name,
                    f"unknown {spec.name} '{inputs.shown(value)}'; {what}: {allowed}.",
                    inputs.shown(value),
                )
            )
            continue
        if normal not in chosen:
            chosen.append(normal)
    return tuple(chosen)


def parse_query(
    pairs: Sequence[tuple[str, str]],
    filters: Sequence[Filter],
    known: Mapping[str, Collection[str]],
    *,
    paged: bool = True,
) -> Query:
    """Read `pairs` (the query string, in order) for an endpoint with these `filters`.

    `known` holds the allowed values of each filter. Raises QueryError listing every problem.
    """
    problems: list[Problem] = []
    if len(pairs) > MAX_PARAMS:
        raise QueryError([Problem("query", f"at most {MAX_PARAMS} parameters.")])
    by_name: dict[str, list[str]] = {}
    for name, value in pairs:
        if inputs.text(name, 100) is None or inputs.text(value) is None:
            problems.append(Problem("query", "a parameter is too long or not text."))
            continue
        by_name.setdefault(name, []).append(value)
    allowed = {spec.name: spec for spec in filters}
    accepted = [*allowed, *(PAGING if paged else ("format",))]
    for name in by_name:
        if name not in accepted:
            problems.append(
                Problem(
                    inputs.shown(name),
                    f"unknown parameter '{inputs.shown(name)}'; this endpoint takes: "
                    f"{', '.join(accepted)}.",
                )
            )
    for name in ("limit", "offset", "cursor", "format"):
        if len(by_name.get(name, [])) > 1:
            problems.append(Problem(name, f"'{name}' may be given once."))
    chosen = {
        name: _filter_values(spec, by_name[name], known.get(name, ()), problems)
        for name, spec in allowed.items()
        if name in by_name
    }
    first = {name: values[0] for name, values in by_name.items() if values}
    limit = DEFAULT_LIMIT
    if "limit" in first:
        limit = _integer("limit", first["limit"], 1, MAX_LIMIT, problems) or DEFAULT_LIMIT
    offset = 0
    if "offset" in first:
        offset = _integer("offset", first["offset"], 0, MAX_OFFSET, problems) or 0
    after = None
    if "cursor" in first:
        after = decode_cursor(first["cursor"])
        if after is None:
            problems.append(
                Problem(
                    "cursor",
                    "not a cursor of this API: use the 'next' link of a previous page.",
                    inputs.shown(first["cursor"]),
                )
            )
        if "offset" in first:
            problems.append(Problem("cursor", "give either 'cursor' or 'offset', not both."))
    chosen_format = None
    if "format" in first:
        chosen_format = first["format"].lower()
        if chosen_format not in FORMATS:
            problems.append(
                Problem(
                    "format",
                    f"'format' is one of: {', '.join(FORMATS)}.",
                    inputs.shown(first["format"]),
                )
            )
    if problems:
        raise QueryError(problems)
    return Query(chosen, limit, offset, after, chosen_format, "offset" in first)
