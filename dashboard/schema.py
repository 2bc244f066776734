"""Column names, allowed values and validation rules of the tables (the machine-readable schema).

Tables are read as text and checked here before any type conversion, so that a bad cell is
reported with its file, line, column and the rule it breaks instead of surfacing later as a
pandas error. The rules mirror `data/README.md`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

UNIT_TYPES = ("VRU", "VRP", "VRN", "VVU", "VERU", "VPU", "VPP")
CATEGORIES = ("funding", "reach", "outcome", "activity", "enforcement", "organisation", "context")
UNITS_OF_MEASURE = (
    "gbp",
    "people",
    "count",
    "percent",
    "offences",
    "rate_per_100k",
    "rate_per_10k",
    "days",
    "years",
    "year",
)
REACH_TYPES = (
    "universal",
    "targeted",
    "all",
    "pupils",
    "professionals",
    "families",
    "young_people",
    "other",
)
QUALIFIERS = ("exact", "approximately", "over", "at_least", "nearly", "under", "up_to")
VALUE_STATUSES = ("reported", "provisional", "chart_only", "alternative")
# What kind of money a funding figure in pounds is; never summed or drawn across kinds.
MONEY_KINDS = (
    "unit_grant",
    "unit_spending",
    "police_grant",
    "duty_grant",
    "combined",
    "national_fund",
)
NATIONAL = "national"

SLUG = r"[a-z0-9_]+"
PFA_CODE = r"(E230000(0[1-9]|[12][0-9]|3[0-9])|W1500000[1-4])"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
FINANCIAL_YEAR = r"\d{4}-\d{2}"
PUBLISHED = r"\d{4}(-\d{2}(-\d{2})?)?"
URL = r"https?://\S+"


@dataclass(frozen=True)
class ColumnRule:
    """One column: whether it must be filled, and what its text must look like."""

    name: str
    required: bool = True
    pattern: str | None = None
    allowed: tuple[str, ...] | None = None
    number: bool = False
    integer: bool = False
    unique: bool = False
    rule_text: str = ""

    def describe(self) -> str:
        if self.rule_text:
            return self.rule_text
        if self.allowed:
            return "must be one of " + ", ".join(self.allowed)
        if self.integer:
            return "must be a whole number"
        if self.number:
            return "must be a number (digits, optional sign and decimal point, no separators)"
        if self.pattern:
            return f"must match {self.pattern}"
        return "must not be empty"


@dataclass(frozen=True)
class TableSpec:
    """A table: its file name, key and column rules."""

    name: str
    key: str
    columns: tuple[ColumnRule, ...]
    sort_by: tuple[str, ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _rule(name: str, **kwargs: object) -> ColumnRule:
    return ColumnRule(name=name, **kwargs)  # type: ignore[arg-type]


UNITS = TableSpec(
    name="units",
    key="unit_id",
    columns=(
        _rule("unit_id", pattern=SLUG, unique=True, rule_text="must be a unique lower-case slug"),
        _rule("name"),
        _rule("unit_type", allowed=UNIT_TYPES),
        _rule("area_name"),
        _rule(
            "pfa_codes",
            pattern=rf"{PFA_CODE}(;{PFA_CODE})*",
            rule_text="must be ONS police force area codes (E23/W15) separated by ';'",
        ),
        _rule("grant_recipient"),
        _rule("pcc", required=False),
        _rule("lead", required=False),
        _rule("model_notes", required=False),
        _rule(
            "start_year",
            pattern=FINANCIAL_YEAR,
            rule_text="must be the financial year the unit's VRU funding began, such as 2019-20",
        ),
        _rule("source_id"),
        _rule("page", required=False, integer=True),
        _rule("url", required=False, pattern=URL, rule_text="must start with http:// or https://"),
    ),
)

METRICS = TableSpec(
    name="metrics",
    key="metric_id",
    columns=(
        _rule("metric_id", pattern=SLUG, unique=True, rule_text="must be a unique lower-case slug"),
        _rule("label"),
        _rule("category", allowed=CATEGORIES),
        _rule("unit_of_measure", allowed=UNITS_OF_MEASURE),
        _rule("reach_type", required=False, allowed=REACH_TYPES),
        _rule("description"),
        _rule("higher_is_better", required=False, allowed=("true", "false")),
        _rule("money_kind", required=False, allowed=MONEY_KINDS),
    ),
)

OBSERVATIONS = TableSpec(
    name="observations",
    key="obs_id",
    columns=(
        _rule("obs_id", unique=True, rule_text="must be filled and unique"),
        _rule("unit_id"),
        _rule("metric_id"),
        _rule("value", required=False, number=True),
        _rule("qualifier", allowed=QUALIFIERS),
        _rule("value_status", allowed=VALUE_STATUSES),
        _rule("period_label"),
        _rule("period_start", required=False, pattern=ISO_DATE, rule_text="must be YYYY-MM-DD"),
        _rule("period_end", required=False, pattern=ISO_DATE, rule_text="must be YYYY-MM-DD"),
        _rule(
            "financial_year",
            required=False,
            pattern=FINANCIAL_YEAR,
            rule_text="must be a financial year such as 2019-20",
        ),
        _rule("baseline_value", required=False, number=True),
        _rule("baseline_period_label", required=False),
        _rule("geography", required=False),
        _rule("series", required=False, pattern=SLUG, rule_text="must be a lower-case slug"),
        _rule("source_id"),
        _rule("page", required=False, integer=True),
        _rule("url", required=False, pattern=URL, rule_text="must start with http:// or https://"),
        _rule("note", required=False),
    ),
)

# The official series rebuilt by `make data` from the publishers' files (data/raw/): the same
# columns as observations.csv, in a file of their own so that the hand-kept table stays small.
OFFICIAL_OBSERVATIONS = TableSpec(
    name="observations_official", key="obs_id", columns=OBSERVATIONS.columns
)

SOURCES = TableSpec(
    name="sources",
    key="source_id",
    columns=(
        _rule("source_id", pattern=SLUG, unique=True, rule_text="must be a unique lower-case slug"),
        _rule("title"),
        _rule("publisher"),
        _rule("published", pattern=PUBLISHED, rule_text="must be YYYY, YYYY-MM or YYYY-MM-DD"),
        _rule("url", required=False, pattern=URL, rule_text="must start with http:// or https://"),
        _rule("licence", required=False),
    ),
)

TABLES: tuple[TableSpec, ...] = (UNITS, METRICS, OBSERVATIONS, SOURCES)

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)", re.ASCII)
_INTEGER = re.compile(r"\d+", re.ASCII)


@dataclass(frozen=True)
class Problem:
    """One broken rule, located precisely enough for a person to fix the file."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.rule}{shown}"


def _text_check(test: Callable[[str], bool], message: str) -> pa.Check:
    """An element-wise check on non-empty cells; empty cells are judged by the 'required' rule."""
    return pa.Check(lambda cell: cell == "" or test(cell), element_wise=True, error=message)


def _column_checks(rule: ColumnRule) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if rule.required:
        checks.append(pa.Check(lambda s: s.str.strip() != "", error="must not be empty"))
    if rule.allowed:
        allowed = set(rule.allowed)
        checks.append(_text_check(lambda cell: cell in allowed, rule.describe()))
    if rule.integer:
        checks.append(
            _text_check(lambda c: bool(_INTEGER.fullmatch(c)) and int(c) >= 1, rule.describe())
        )
    elif rule.number:
        checks.append(_text_check(lambda c: bool(_NUMBER.fullmatch(c)), rule.describe()))
    if rule.pattern:
        compiled = re.compile(rule.pattern)
        checks.append(_text_check(lambda c: bool(compiled.fullmatch(c)), rule.describe()))
    return checks


def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema of a table as read from disk (every cell text, empty for missing)."""
    columns = {
        rule.name: pa.Column(str, checks=_column_checks(rule), unique=rule.unique, nullable=False)
        for rule in spec.columns
    }
    return pa.DataFrameSchema(columns, strict=False, name=spec.name)


def _check_name(raw: object) -> str:
    text = str(raw)
    if text == "field_uniqueness":
        return "must be unique (this value appears more than once)"
    if text == "column_in_dataframe":
        return "required column is missing"
    return text


def check_table(spec: TableSpec, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Problems with one table on its own: missing columns, bad cells, duplicate keys."""
    missing = [name for name in spec.column_names if name not in frame.columns]
    if missing:
        return [
            Problem(file, "required column is missing", line=1, column=name) for name in missing
        ]
    try:
        pandera_schema(spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        problems = []
        for case in cases.itertuples(index=False):
            index = case.index
            line = int(index) + 2 if index is not None and pd.notna(index) else None
            value = None if case.failure_case is None else str(case.failure_case)
            problems.append(Problem(file, _check_name(case.check), line, case.column, value))
        return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
    return []


def check_references(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[str],
    file: str,
    target: str,
) -> list[Problem]:
    """Every value of `column` must be a key of another table (a foreign key)."""
    known = set(allowed)
    problems = []
    for index, cell in frame[column].items():
        if cell not in known:
            problems.append(
                Problem(
                    file, f"unknown {column}: not found in {target}", int(index) + 2, column, cell
                )
            )
    return problems


def check_unit_rows(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A unit row must say where it was read: a page of its source or a URL."""
    return [
        Problem(file, "every unit needs a page or a url", int(index) + 2, "page")
        for index, row in frame.iterrows()
        if row["page"] == "" and row["url"] == ""
    ]


def check_metric_rows(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Funding in pounds must say what kind of money it is; other metrics must not."""
    problems = []
    for index, row in frame.iterrows():
        is_money = row["category"] == "funding" and row["unit_of_measure"] == "gbp"
        if is_money and row["money_kind"] == "":
            problems.append(
                Problem(
                    file,
                    "a funding metric in gbp needs a money_kind (" + ", ".join(MONEY_KINDS) + ")",
                    int(index) + 2,
                    "money_kind",
                )
            )
        if not is_money and row["money_kind"] != "":
            problems.append(
                Problem(
                    file,
                    "money_kind is only for funding metrics in gbp; leave it empty",
                    int(index) + 2,
                    "money_kind",
                    row["money_kind"],
                )
            )
    return problems


def check_observation_rows(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Rules that span columns of an observation: value vs status, and where it was read."""
    problems = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        if row["value_status"] == "chart_only" and row["value"] != "":
            problems.append(
                Problem(
                    file,
                    "a chart_only figure must have an empty value",
                    line,
                    "value",
                    row["value"],
                )
            )
        if row["value_status"] != "chart_only" and row["value"] == "":
            problems.append(
                Problem(
                    file,
                    "value is empty: give the figure or mark value_status chart_only",
                    line,
                    "value",
                )
            )
        if row["page"] == "" and row["url"] == "":
            problems.append(Problem(file, "every figure needs a page or a url", line, "page"))
        if row["value_status"] == "alternative" and row["note"] == "":
            problems.append(
                Problem(
                    file,
                    "an alternative figure needs a note naming the preferred row and why",
                    line,
                    "note",
                )
            )
        if row["period_start"] and row["period_end"] and row["period_start"] > row["period_end"]:
            problems.append(
                Problem(
                    file,
                    "period_start is after period_end",
                    line,
                    "period_start",
                    row["period_start"],
                )
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Rules the column patterns cannot express: the file's shape, real dates and years, sizes.

MAX_CELL_CHARS = 5_000  # the longest real cell is a few hundred characters
MAX_FILE_BYTES = 20_000_000
MAX_PAGE = 100_000
MAX_MAGNITUDE = 1e15  # beyond this a number cannot be a real figure (and loses digits)
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Units of measure that cannot be below zero, except in a metric of change (its id says so).
NON_NEGATIVE_UNITS = frozenset(
    {"gbp", "people", "count", "offences", "rate_per_100k", "rate_per_10k", "days", "years"}
)
# What a figure can plausibly be, per unit of measure: outside, start-up logs a warning.
PLAUSIBLE = {
    "gbp": (0, 5e9),
    "people": (-1e7, 7e7),
    "count": (-1e7, 1e8),
    "offences": (-1e7, 1e7),
    "percent": (-100, 1000),
    "rate_per_100k": (0, 1e5),
    "rate_per_10k": (0, 1e4),
    "days": (0, 36_600),
    "years": (0, 200),
    "year": (FIRST_YEAR, LAST_YEAR),
}


def check_csv_shape(text: str, file: str) -> list[Problem]:
    """The file as CSV: a header without repeats, every row as long as the header, the last
    row ended by a newline, no quoted field left open, no cell too long.

    Why: pandas fills a short row with blanks, renames a repeated column and reads a file cut
    short without a word, so a truncated download would load as fewer rows.
    """
    problems: list[Problem] = []
    # The csv module stops at 128 KB a field with an unhelpful error; the rule below is ours.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader, [])
        names = [name.strip() for name in header]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(Problem(file, "column appears more than once", 1, name))
        for row in reader:
            line = reader.line_num
            if row and len(row) != len(header):
                problems.append(
                    Problem(file, f"has {len(row)} fields where the header has {len(header)}", line)
                )
            for name, cell in zip(names, row, strict=False):
                if len(cell) > MAX_CELL_CHARS:
                    rule = f"is longer than {MAX_CELL_CHARS} characters ({len(cell)})"
                    problems.append(Problem(file, rule, line, name))
            if len(problems) > 20:
                break
    except csv.Error as error:
        rule = f"not a valid CSV file ({error}): a quoted field may be cut short"
        problems.append(Problem(file, rule, reader.line_num))
    if text and not text.endswith(("\n", "\r")):
        line = text.count("\n") + 1
        rule = "the file ends mid-row (no newline after the last row): it may be cut short"
        problems.append(Problem(file, rule, line))
    return problems


def _real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return FIRST_YEAR <= int(text[:4]) <= LAST_YEAR


def _real_financial_year(text: str) -> bool:
    first, _, second = text.partition("-")
    return FIRST_YEAR <= int(first) < LAST_YEAR and int(second) == (int(first) + 1) % 100


def check_values(
    frame: pd.DataFrame, units_of_measure: dict[str, str], file: str
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of an observations table whose cells passed the column rules.

    Problems: dates that do not exist, financial years that are not one year long, page
    figures too large to be real, negative money or counts (unless the metric is
    a change). Warnings: figures outside what their unit of measure can plausibly be.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        for column in ("period_start", "period_end"):
            if row[column] and not _real_date(row[column]):
                problems.append(Problem(file, "must be a real date", line, column, row[column]))
        year = row["financial_year"]
        if year and not _real_financial_year(year):
            rule = "must be one financial year such as 2019-20 (the second year follows the first)"
            problems.append(Problem(file, rule, line, "financial_year", year))
        unit = units_of_measure.get(row["metric_id"], "")
        for column in ("value", "baseline_value"):
            if not row[column]:
                continue
            number = float(row[column])
            if not abs(number) < MAX_MAGNITUDE:
                rule = f"is too large to be a real figure (more than {MAX_MAGNITUDE:.0e})"
                problems.append(Problem(file, rule, line, column, row[column][:20] + "…"))
                continue
            if number < 0 and unit in NON_NEGATIVE_UNITS and "change" not in row["metric_id"]:
                rule = f"cannot be negative for a figure in {unit} (metric {row['metric_id']})"
                problems.append(Problem(file, rule, line, column, row[column]))
                continue
            low, high = PLAUSIBLE.get(unit, (-math.inf, math.inf))
            if not low <= number <= high:
                rule = f"is outside the plausible range for {unit} ({low:g} to {high:g})"
                warnings.append(Problem(file, rule, line, column, row[column]))
    return problems, warnings


def check_units_areas(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Each police force area belongs to one unit at most."""
    owner: dict[str, tuple[str, int]] = {}
    problems = []
    for index, row in frame.iterrows():
        line = int(index) + 2
        for code in str(row["pfa_codes"]).split(";"):
            if code in owner:
                other, other_line = owner[code]
                rule = f"force area {code} is already in unit {other} (line {other_line})"
                problems.append(Problem(file, rule, line, "pfa_codes", code))
            else:
                owner[code] = (str(row["unit_id"]), line)
    return problems


def check_page_numbers(frame: pd.DataFrame, file: str) -> list[Problem]:
    """Page numbers fit a real document (a 30-digit page would overflow, not just be wrong)."""
    problems = []
    for index, page in frame["page"].items():
        if page and (len(page) > 9 or int(page) > MAX_PAGE):
            rule = f"must be a page number up to {MAX_PAGE}"
            problems.append(Problem(file, rule, int(index) + 2, "page", page[:20]))
    return problems
