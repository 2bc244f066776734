"""A unit's own figures: the template, reading an uploaded file, and checking every row.

Units send management information, not official statistics, so every row becomes an
observation with `supplied_by = "unit"` and the source `unit_supplied`, whose short name is
what charts, tables, downloads and the API print beside the figure. Its period, definition and
qualifier are required. A file is read whole and every problem is listed (row, column, rule)
before anything is stored; a cell that a spreadsheet would run as a formula is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

import openpyxl
import pandas as pd

from dashboard import schema
from dashboard.datastore import DataStore
from dashboard.formatting import UNIT_SOURCE_ID, UNIT_SUPPLIED_LABEL, format_figure
from dashboard.store.loading import check_rows
from dashboard.store.models import OBSERVATION_FIELDS

MAX_UPLOAD_BYTES = 1_000_000
MAX_ROWS = 500
MAX_CELL_CHARS = 2000
# Measures a unit may supply: money it received or spent, people it reached, what it did.
UNIT_CATEGORIES = ("funding", "reach", "activity")
SUPPLIED_BY_UNIT = "unit"
VALUE_STATUSES = ("reported", "provisional")
TEMPLATE_COLUMNS = (
    "metric_id",
    "financial_year",
    "value",
    "qualifier",
    "value_status",
    "period_label",
    "definition",
    "url",
)
REQUIRED = frozenset(TEMPLATE_COLUMNS) - {"url"}
COLUMN_HELP = {
    "metric_id": "the measure (see the allowed values)",
    "financial_year": "the financial year, such as 2022-23",
    "value": "the figure: digits and an optional decimal point, no commas, no £ or %",
    "qualifier": "exact, or how the figure is bounded: " + ", ".join(schema.QUALIFIERS),
    "value_status": "reported, or provisional if it may still change",
    "period_label": "the period in words, such as 'April 2022 to March 2023'",
    "definition": "what was counted, in plain words (who, which interventions, how)",
    "url": "optional: where the unit publishes this figure (https://...)",
}
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|")


@dataclass(frozen=True)
class Problem:
    """One broken rule in an upload, in the words an editor needs to fix it."""

    row: int | None
    column: str | None
    rule: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.rule


class UploadRefused(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


def unit_metrics(store: DataStore) -> pd.DataFrame:
    """The measures a unit may supply, with their labels and units of measure."""
    metrics = store.metrics
    label = "metric_label" if "metric_label" in metrics.columns else "label"
    chosen = metrics[metrics["category"].isin(UNIT_CATEGORIES)]
    return pd.DataFrame(
        {
            "metric_id": chosen["metric_id"].astype(str),
            "label": chosen[label].astype(str),
            "unit_of_measure": chosen["unit_of_measure"].astype(str),
        }
    ).reset_index(drop=True)


def example_row(store: DataStore) -> dict[str, str]:
    metrics = unit_metrics(store)
    reach = metrics[metrics["metric_id"] == "reach_total"]
    metric = "reach_total" if len(reach) else str(metrics["metric_id"].iloc[0])
    return {
        "metric_id": metric,
        "financial_year": "2022-23",
        "value": "1250",
        "qualifier": "exact",
        "value_status": "reported",
        "period_label": "April 2022 to March 2023",
        "definition": "Young people aged 10-24 who took part in at least one funded session",
        "url": "",
    }


def template_csv(store: DataStore, unit_id: str) -> bytes:
    """A CSV to fill in: '#' lines explain the columns and allowed values and are skipped."""
    out = io.StringIO()
    out.write(
        f"# Figures of {unit_id}: one row per figure under the header; '#' lines are skipped.\n"
    )
    for column in TEMPLATE_COLUMNS:
        out.write(f"# {column}: {COLUMN_HELP[column]}\n")
    for row in unit_metrics(store).itertuples():
        out.write(f"# allowed metric_id {row.metric_id}: {row.label} ({row.unit_of_measure})\n")
    example = example_row(store)
    out.write("# example: " + ",".join(example[c] for c in TEMPLATE_COLUMNS) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    return out.getvalue().encode("utf-8")


def template_xlsx(store: DataStore, unit_id: str) -> bytes:
    """A workbook: 'figures' to fill in (the only sheet read back), an example, the rules."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(TEMPLATE_COLUMNS))
    example = book.create_sheet("example")
    example.append(list(TEMPLATE_COLUMNS))
    example.append([example_row(store)[c] for c in TEMPLATE_COLUMNS])
    rules = book.create_sheet("columns")
    rules.append(["column", "what to enter", "required"])
    for column in TEMPLATE_COLUMNS:
        rules.append([column, COLUMN_HELP[column], "yes" if column in REQUIRED else "no"])
    allowed = book.create_sheet("allowed values")
    allowed.append(["metric_id", "measure", "unit of measure"])
    for row in unit_metrics(store).itertuples():
        allowed.append([row.metric_id, row.label, row.unit_of_measure])
    allowed.append([])
    allowed.append(["qualifier", ", ".join(schema.QUALIFIERS)])
    allowed.append(["value_status", ", ".join(VALUE_STATUSES)])
    info = book.create_sheet("about")
    info.append([f"Figures of {unit_id}, supplied by the unit as management information."])
    info.append([f"At most {MAX_ROWS} rows and {MAX_UPLOAD_BYTES // 1000} KB; no formulas."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_csv(payload: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(
            [Problem(None, None, "the file is not UTF-8 text; save it as 'CSV UTF-8'")]
        ) from None
    rows = []
    reader = csv.reader(io.StringIO(text))
    try:
        for record in reader:
            if record and record[0].lstrip().startswith("#"):
                continue
            rows.append((reader.line_num, record))
    except csv.Error as error:
        raise UploadRefused(
            [Problem(reader.line_num, None, f"not a readable CSV file ({error})")]
        ) from None
    return rows


def _read_xlsx(payload: bytes) -> list[tuple[int, list[str]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=False)
    except Exception:
        raise UploadRefused(
            [Problem(None, None, "the file is not a readable .xlsx workbook")]
        ) from None
    if "figures" not in book.sheetnames:
        raise UploadRefused([Problem(None, None, "the workbook has no sheet named 'figures'")])
    rows = []
    problems = []
    for number, cells in enumerate(book["figures"].iter_rows(), start=1):
        values = []
        for cell in cells:
            value = cell.value
            if getattr(cell, "data_type", "") == "f" or (
                isinstance(value, str) and value.startswith("=")
            ):
                column = (
                    rows[0][1][cell.column - 1]
                    if rows and cell.column and cell.column <= len(rows[0][1])
                    else None
                )
                problems.append(Problem(number, column, "is a formula: type the figure itself"))
                values.append("")
                continue
            if value is None:
                values.append("")
            elif isinstance(value, float) and value.is_integer():
                values.append(str(int(value)))
            else:
                values.append(str(value))
        rows.append((number, values))
        if number > MAX_ROWS + 1:
            break
    book.close()
    if problems:
        raise UploadRefused(problems)
    return rows


def read_upload(filename: str, payload: bytes) -> tuple[pd.DataFrame, list[int]]:
    """The template's columns as text, and each row's number as the editor sees it."""
    if len(payload) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            [Problem(None, None, f"the file is larger than {MAX_UPLOAD_BYTES // 1000} KB")]
        )
    if not payload:
        raise UploadRefused([Problem(None, None, "the file is empty")])
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _read_csv(payload)
    elif name.endswith(".xlsx"):
        rows = _read_xlsx(payload)
    else:
        raise UploadRefused([Problem(None, None, "send the template back as .csv or .xlsx")])
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise UploadRefused([Problem(None, None, "the file has no header row")])
    header = [cell.strip() for cell in rows[0][1]]
    missing = [c for c in TEMPLATE_COLUMNS if c not in header]
    if missing:
        raise UploadRefused(
            [Problem(rows[0][0], c, "this column is missing from the header") for c in missing]
        )
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise UploadRefused(
            [Problem(None, None, f"the file has more than {MAX_ROWS} figures; split it")]
        )
    if not body:
        raise UploadRefused([Problem(None, None, "the file has no figures under the header")])
    widths = [
        Problem(
            n,
            None,
            f"has {len(r)} cells but the header has {len(header)}: a comma inside "
            "a figure (1,250) or a text? Remove thousands separators; quote texts with commas",
        )
        for n, r in body
        if len(r) > len(header)
    ]
    if widths:
        raise UploadRefused(widths)
    positions = {c: header.index(c) for c in TEMPLATE_COLUMNS}
    records = [
        {c: (r[i].strip() if i < len(r) else "") for c, i in positions.items()} for _, r in body
    ]
    return pd.DataFrame(records, columns=list(TEMPLATE_COLUMNS)), [n for n, _ in body]


def check_figures(
    figures: pd.DataFrame, row_numbers: list[int], store: DataStore, unit_id: str
) -> list[Problem]:
    """Every problem of the filled-in template rows, before any is stored."""
    problems: list[Problem] = []
    allowed_metrics = set(unit_metrics(store)["metric_id"])
    seen: dict[tuple[str, str], int] = {}
    for (index, row), number in zip(figures.iterrows(), row_numbers, strict=True):
        del index
        for column in TEMPLATE_COLUMNS:
            cell = row[column]
            if len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Problem(number, column, f"is longer than {MAX_CELL_CHARS} characters")
                )
            if cell.startswith(FORMULA_STARTS) and not (column == "value" and _is_number(cell)):
                problems.append(
                    Problem(number, column, "starts like a formula (=, +, -, @); remove that sign")
                )
            if column in REQUIRED and not cell:
                problems.append(Problem(number, column, f"is empty: give {COLUMN_HELP[column]}"))
        if row["metric_id"] and row["metric_id"] not in allowed_metrics:
            problems.append(
                Problem(
                    number,
                    "metric_id",
                    f"'{row['metric_id'][:60]}' is not a measure units may supply; "
                    "see the allowed values",
                )
            )
        if row["qualifier"] and row["qualifier"] not in schema.QUALIFIERS:
            problems.append(
                Problem(number, "qualifier", "must be one of " + ", ".join(schema.QUALIFIERS))
            )
        if row["value_status"] and row["value_status"] not in VALUE_STATUSES:
            problems.append(Problem(number, "value_status", "must be reported or provisional"))
        if row["value"] and not _is_number(row["value"]):
            problems.append(
                Problem(
                    number,
                    "value",
                    "must be a number: digits and an optional decimal point, no commas, £ or %",
                )
            )
        key = (row["metric_id"], row["financial_year"])
        if all(key) and key in seen:
            problems.append(
                Problem(
                    number,
                    "metric_id",
                    f"the same measure and year as row {seen[key]}: give each figure once",
                )
            )
        seen.setdefault(key, number)
    if problems:
        return problems
    rows = observation_rows(figures, unit_id, revisions_url="https://example.invalid/revisions")
    metric_units = dict(
        zip(store.metrics["metric_id"], store.metrics["unit_of_measure"], strict=True)
    )
    for p in check_rows(
        rows,
        "upload",
        unit_ids=list(store.unit_ids),
        metric_units=metric_units,
        source_ids=list(store.sources["source_id"]),
    ):
        number = row_numbers[p.line - 2] if p.line and 2 <= p.line < len(row_numbers) + 2 else None
        column = {"note": "definition", "source_id": None}.get(p.column or "", p.column)
        problems.append(Problem(number, column, p.rule))
    return problems


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    digits = text.strip().lstrip("-").replace(".", "", 1)
    return digits.isascii() and digits.isdigit()


def observation_rows(figures: pd.DataFrame, unit_id: str, *, revisions_url: str) -> pd.DataFrame:
    """Template rows as observations in the project's format. The id is fixed by unit,
    measure and year, so sending a figure again supersedes the unit's earlier one."""
    records = []
    for row in figures.to_dict("records"):
        records.append(
            {
                "obs_id": f"unit-{unit_id}-{row['metric_id']}-{row['financial_year']}",
                "unit_id": unit_id,
                "metric_id": row["metric_id"],
                "value": row["value"],
                "qualifier": row["qualifier"],
                "value_status": row["value_status"],
                "period_label": row["period_label"],
                "period_start": "",
                "period_end": "",
                "financial_year": row["financial_year"],
                "baseline_value": "",
                "baseline_period_label": "",
                "geography": "",
                "series": "",
                "source_id": UNIT_SOURCE_ID,
                "page": "",
                # Where the figure can be checked: the unit's own page, else the dashboard's
                # Revisions page that lists the release.
                "url": row.get("url") or revisions_url,
                "note": f"Definition (supplied by the unit): {row['definition']}",
            }
        )
    return pd.DataFrame(records, columns=list(OBSERVATION_FIELDS))


def canonical_csv(figures: pd.DataFrame) -> str:
    """The checked rows as CSV text, carried from the preview to the submission."""
    out = io.StringIO()
    figures.loc[:, list(TEMPLATE_COLUMNS)].to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def preview_changes(store: DataStore, rows: pd.DataFrame) -> pd.DataFrame:
    """Each new row beside the figure it would replace (the unit's earlier one), and the
    figures other sources give for the same unit, measure and year, for comparison."""
    current = store.observations
    metric_units = dict(
        zip(store.metrics["metric_id"], store.metrics["unit_of_measure"], strict=True)
    )
    records = []
    for row in rows.to_dict("records"):
        same = current[current["obs_id"] == row["obs_id"]]
        others = current[
            (current["unit_id"] == row["unit_id"])
            & (current["metric_id"] == row["metric_id"])
            & (current["financial_year"].astype("string") == row["financial_year"])
            & (current["obs_id"] != row["obs_id"])
        ]
        records.append(
            {
                "metric_id": row["metric_id"],
                "financial_year": row["financial_year"],
                "new": format_figure(
                    float(row["value"]),
                    metric_units.get(row["metric_id"], "count"),
                    row["qualifier"],
                    row["value_status"],
                ),
                "change": "supersedes the unit's earlier figure" if len(same) else "new figure",
                "old": str(same["value_text"].iloc[0]) if len(same) else "",
                "other_sources": "; ".join(
                    f"{v} ({c})"
                    for v, c in zip(others["value_text"], others["citation"], strict=True)
                ),
            }
        )
    return pd.DataFrame(
        records, columns=["metric_id", "financial_year", "new", "change", "old", "other_sources"]
    )


CHART_WIDTH = 560
BAR_HEIGHT = 22


def preview_chart(store: DataStore, rows: pd.DataFrame) -> list[dict]:
    """The unit's figures of each measure in the upload, as they would be drawn once published:
    one bar per year and source (bars of different sources are not added together), the
    new figures marked. Plain data for an SVG in the page, so the preview needs no script."""
    metric_units = dict(
        zip(store.metrics["metric_id"], store.metrics["unit_of_measure"], strict=True)
    )
    labels = dict(zip(unit_metrics(store)["metric_id"], unit_metrics(store)["label"], strict=True))
    current = store.observations
    charts = []
    for metric_id, new in rows.groupby("metric_id", sort=False):
        unit_id = str(new["unit_id"].iloc[0])
        unit = metric_units.get(str(metric_id), "count")
        old = current[
            (current["unit_id"] == unit_id)
            & (current["metric_id"] == metric_id)
            & ~current["obs_id"].isin(new["obs_id"])
            & current["value"].notna()
        ]
        bars = [
            (
                str(r["financial_year"])
                if pd.notna(r["financial_year"])
                else str(r["period_label"]),
                float(r["value"]),
                str(r["value_text"]),
                str(r["source_short"]),
                False,
            )
            for _, r in old.iterrows()
        ] + [
            (
                r["financial_year"],
                float(r["value"]),
                format_figure(float(r["value"]), unit, r["qualifier"], r["value_status"]),
                UNIT_SUPPLIED_LABEL,
                True,
            )
            for _, r in new.iterrows()
        ]
        bars.sort(key=lambda b: (b[0], b[4]))
        top = max((b[1] for b in bars), default=0.0) or 1.0
        drawn = []
        for i, (year, value, text, source, is_new) in enumerate(bars):
            width = max(1.0, (CHART_WIDTH - 260) * max(value, 0.0) / top)
            drawn.append(
                {
                    "y": i * (BAR_HEIGHT + 6),
                    "width": round(width, 1),
                    "year": year,
                    "text": text,
                    "source": source,
                    "new": is_new,
                }
            )
        charts.append(
            {
                "title": labels.get(str(metric_id), str(metric_id)),
                "bars": drawn,
                "height": len(drawn) * (BAR_HEIGHT + 6) + 4,
            }
        )
    return charts
