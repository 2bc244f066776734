"""Templates, checks of an upload (every problem, nothing stored), preview, submit, publish."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import func, select

from dashboard.auth import uploads
from dashboard.auth.models import AuditEvent
from dashboard.formatting import UNIT_SUPPLIED_LABEL
from dashboard.store.models import Release
from tests.auth.conftest import csrf_of, sign_in, token_from

UNIT = "essex"
HEADER = ",".join(uploads.TEMPLATE_COLUMNS)
GOOD_ROW = (
    "reach_total,2022-23,1250,exact,reported,April 2022 to March 2023,"
    "Young people in funded sessions,"
)


def _releases(figures) -> int:
    with figures.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Release)).scalar_one()


def _upload(client, text: str | bytes, name: str = "figures.csv"):
    payload = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        "/upload/check",
        data={"unit": UNIT, "csrf_token": token_from(client), "file": (io.BytesIO(payload), name)},
        content_type="multipart/form-data",
    )


def test_the_csv_template_lists_the_measures_allowed_values_and_an_example(real_store):
    text = uploads.template_csv(real_store, UNIT).decode("utf-8")
    assert "# allowed metric_id reach_total: People reached (all) (people)" in text
    assert "# qualifier: exact, or how the figure is bounded: exact, approximately, over" in text
    assert "# example: reach_total,2022-23,1250,exact,reported" in text
    assert text.rstrip("\n").splitlines()[-1] == HEADER
    # Sent back untouched, the template has a header and no figures: nothing is taken from
    # the explanatory lines or the example.
    try:
        uploads.read_upload("t.csv", text.encode("utf-8"))
    except uploads.UploadRefused as refused:
        assert [str(p) for p in refused.problems] == ["the file has no figures under the header"]


def test_the_xlsx_template_has_a_figures_sheet_an_example_and_the_rules(real_store):
    book = openpyxl.load_workbook(io.BytesIO(uploads.template_xlsx(real_store, UNIT)))
    assert book.sheetnames == ["figures", "example", "columns", "allowed values", "about"]
    assert [c.value for c in book["figures"][1]] == list(uploads.TEMPLATE_COLUMNS)
    assert book["example"]["A2"].value == "reach_total"
    allowed = [row[0].value for row in book["allowed values"].iter_rows(min_row=2)]
    assert "reach_total" in allowed and "interventions_funded" in allowed
    assert "arrests" not in allowed  # enforcement figures are the police's, not the unit's


def test_a_filled_in_xlsx_template_passes(real_store):
    book = openpyxl.load_workbook(io.BytesIO(uploads.template_xlsx(real_store, UNIT)))
    book["figures"].append(GOOD_ROW.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    figures, numbers = uploads.read_upload("filled.xlsx", buffer.getvalue())
    assert numbers == [2]
    assert uploads.check_figures(figures, numbers, real_store, UNIT) == []


def test_every_problem_is_listed_with_row_column_and_rule(real_store):
    text = "\n".join(
        [
            HEADER,
            GOOD_ROW,
            'reach_total,2022-23,"1,250",roughly,final,April 2022 to March 2023,,',
            "arrests,2023-24,12,exact,reported,,Arrests,",
            GOOD_ROW,
        ]
    )
    figures, numbers = uploads.read_upload("f.csv", text.encode())
    problems = [str(p) for p in uploads.check_figures(figures, numbers, real_store, UNIT)]
    assert (
        "row 3, column 'value': must be a number: digits and an optional decimal point, "
        "no commas, £ or %" in problems
    )
    assert any(p.startswith("row 3, column 'qualifier': must be one of exact") for p in problems)
    assert "row 3, column 'value_status': must be reported or provisional" in problems
    assert any(p.startswith("row 3, column 'definition': is empty") for p in problems)
    assert any(
        p.startswith("row 4, column 'metric_id': 'arrests' is not a measure") for p in problems
    )
    assert any(p.startswith("row 4, column 'period_label': is empty") for p in problems)
    assert any(
        p.startswith("row 5, column 'metric_id': the same measure and year as row 2")
        for p in problems
    )
    assert any(
        p.startswith("row 3, column 'metric_id': the same measure and year as row 2")
        for p in problems
    )
    assert len(problems) == 8


def test_the_stores_own_rules_are_applied_too(real_store):
    figures, numbers = uploads.read_upload(
        "f.csv", f"{HEADER}\n{GOOD_ROW.replace('2022-23', '2022-24', 1)}\n".encode()
    )
    problems = [str(p) for p in uploads.check_figures(figures, numbers, real_store, UNIT)]
    assert problems == [
        "row 2, column 'financial_year': must be one financial year such as 2019-20 "
        "(the second year follows the first)"
    ]


def test_formula_cells_are_refused_in_csv_and_xlsx(real_store):
    csv_text = f"{HEADER}\n" + GOOD_ROW.replace("Young people", '=HYPERLINK("http://x")')
    figures, numbers = uploads.read_upload("f.csv", csv_text.encode())
    problems = [str(p) for p in uploads.check_figures(figures, numbers, real_store, UNIT)]
    assert (
        "row 2, column 'definition': starts like a formula (=, +, -, @); remove that sign"
        in problems
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(uploads.TEMPLATE_COLUMNS))
    sheet.append(["reach_total", "2022-23", "=1000+250", *GOOD_ROW.split(",")[3:]])
    buffer = io.BytesIO()
    book.save(buffer)
    try:
        uploads.read_upload("f.xlsx", buffer.getvalue())
        raise AssertionError("a formula was accepted")
    except uploads.UploadRefused as refused:
        assert [str(p) for p in refused.problems] == [
            "row 2, column 'value': is a formula: type the figure itself"
        ]


def test_a_comma_inside_a_figure_is_explained():
    try:
        uploads.read_upload("f.csv", f"{HEADER}\n{GOOD_ROW.replace('1250', '1,250')}\n".encode())
        raise AssertionError("accepted")
    except uploads.UploadRefused as refused:
        assert [str(p) for p in refused.problems] == [
            "row 2: has 9 cells but the header has 8: a comma inside a figure (1,250) or a text? "
            "Remove thousands separators; quote texts with commas"
        ]


def test_size_and_row_limits_are_stated_and_enforced():
    many = HEADER + "\n" + "\n".join([GOOD_ROW] * (uploads.MAX_ROWS + 1))
    for payload, expected in (
        (many.encode(), f"more than {uploads.MAX_ROWS} figures"),
        (b"x" * (uploads.MAX_UPLOAD_BYTES + 1), "larger than 1000 KB"),
        (b"\xff\xfe", "not UTF-8"),
    ):
        try:
            uploads.read_upload("f.csv", payload)
            raise AssertionError("accepted")
        except uploads.UploadRefused as refused:
            assert expected in str(refused)


def test_an_upload_with_problems_shows_them_and_stores_nothing(client, people, figures):
    sign_in(client, people.make("editor", ("editor", UNIT)))
    before = _releases(figures)
    response = _upload(client, f"{HEADER}\n{GOOD_ROW.replace('1250', 'lots')}\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1 problem(s) in figures.csv: nothing was stored" in page
    assert "row 2, column &#39;value&#39;: must be a number" in page
    assert _releases(figures) == before


def test_submit_publish_and_label_a_units_figures(editors_app, client, people, figures):
    editor = people.make("editor", ("editor", UNIT))
    publisher = people.make("publisher", ("publisher", ""))
    sign_in(client, editor)
    template = client.get(f"/upload/template.csv?unit={UNIT}")
    assert template.status_code == 200
    assert template.headers["Content-Disposition"] == f'attachment; filename="figures-{UNIT}.csv"'
    year_row = GOOD_ROW.replace("2022-23", "2024-25").replace(
        "April 2022 to March 2023", "April 2024 to March 2025"
    )
    preview = _upload(client, f"{HEADER}\n{year_row}\n")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "new figure" in page and "1,250" in page
    assert "<svg" in page and "(new, unit)" in page
    before = _releases(figures)
    payload = page.split('name="payload" value="')[1].split('"')[0]
    submitted = client.post(
        "/upload/submit", data={"payload": payload, "csrf_token": csrf_of(page)}
    )
    assert submitted.status_code == 200
    assert "waiting for a publisher" in submitted.get_data(as_text=True)
    releases = figures.releases()
    assert _releases(figures) == before + 1
    release = releases.sort_values("release_id").iloc[-1]
    assert (release["status"], release["created_by"], release["command"]) == (
        "pending",
        f"editor of {UNIT}",
        "upload",
    )
    obs_id = f"unit-{UNIT}-reach_total-2024-25"
    assert obs_id not in set(figures.snapshot().observations["obs_id"])  # pending: not shown

    reviewer = editors_app.server.test_client()
    reviewer.environ_base["REMOTE_ADDR"] = "10.8.8.8"
    sign_in(reviewer, publisher)
    review = reviewer.get("/review").get_data(as_text=True)
    release_id = int(release["release_id"])
    assert f"Release {release_id}: figures.csv by editor of {UNIT}" in review
    published = reviewer.post(f"/review/{release_id}/publish", data={"csrf_token": csrf_of(review)})
    assert published.status_code == 302
    shown = figures.snapshot().observations.set_index("obs_id").loc[obs_id]
    assert shown["supplied_by"] == "unit"
    assert shown["citation"].startswith(UNIT_SUPPLIED_LABEL)
    assert shown["value_text"] == "1,250"
    # The public release record names roles, not people; the audit log names the people.
    public = figures.releases().set_index("release_id").loc[release_id]
    assert (public["created_by"], public["published_by"]) == (f"editor of {UNIT}", "publisher")

    # A second upload for the same measure and year supersedes it, old and new side by side.
    again = _upload(client, f"{HEADER}\n{year_row.replace('1250', '1300')}\n").get_data(
        as_text=True
    )
    assert "supersedes the unit&#39;s earlier figure" in again
    assert "<td>1,300</td><td>supersedes the unit&#39;s earlier figure</td><td>1,250</td>" in again

    with figures.engine.connect() as connection:
        events = {
            (actor, action)
            for actor, action in connection.execute(select(AuditEvent.actor, AuditEvent.action))
        }
    assert (editor, "upload submitted") in events
    assert (publisher, "release published") in events


def test_a_rejection_and_a_withdrawal_need_a_reason(editors_app, client, people, figures):
    sign_in(client, people.make("editor", ("editor", UNIT)))
    page = _upload(client, f"{HEADER}\n{GOOD_ROW.replace('2022-23', '2021-22')}\n").get_data(
        as_text=True
    )
    payload = page.split('name="payload" value="')[1].split('"')[0]
    client.post("/upload/submit", data={"payload": payload, "csrf_token": csrf_of(page)})
    release_id = int(figures.releases()["release_id"].max())
    reviewer = editors_app.server.test_client()
    reviewer.environ_base["REMOTE_ADDR"] = "10.7.7.7"
    sign_in(reviewer, people.make("publisher", ("publisher", "")))
    token = csrf_of(reviewer.get("/review").get_data(as_text=True))
    assert (
        reviewer.post(f"/review/{release_id}/reject", data={"csrf_token": token}).status_code == 422
    )
    rejected = reviewer.post(
        f"/review/{release_id}/reject", data={"csrf_token": token, "reason": "period unclear"}
    )
    assert rejected.status_code == 302
    row = figures.releases().set_index("release_id").loc[release_id]
    assert (row["status"], row["reason"]) == ("rejected", "period unclear")
    again = reviewer.post(f"/review/{release_id}/publish", data={"csrf_token": token})
    assert again.status_code == 409


def test_a_tampered_preview_is_refused(client, people, figures):
    sign_in(client, people.make("editor", ("editor", UNIT)))
    page = _upload(client, f"{HEADER}\n{GOOD_ROW}\n").get_data(as_text=True)
    payload = page.split('name="payload" value="')[1].split('"')[0]
    before = _releases(figures)
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = client.post("/upload/submit", data={"payload": forged, "csrf_token": csrf_of(page)})
    assert response.status_code == 400
    assert _releases(figures) == before


def test_the_one_figure_form_goes_through_the_same_checks(client, people, figures):
    sign_in(client, people.make("editor", ("editor", UNIT)))
    form = dict(zip(uploads.TEMPLATE_COLUMNS, GOOD_ROW.split(","), strict=True))
    bad = client.post(
        "/upload/figure",
        data={**form, "value": "=1+1", "unit": UNIT, "csrf_token": token_from(client)},
    )
    assert bad.status_code == 422
    assert "starts like a formula" in bad.get_data(as_text=True)
    good = client.post(
        "/upload/figure", data={**form, "unit": UNIT, "csrf_token": token_from(client)}
    )
    assert good.status_code == 200
    assert "passed every check" in good.get_data(as_text=True)
