"""The dependency audit fails on a fixable vulnerability and never passes silently unchecked."""

from __future__ import annotations

import sys

from tools.audit_dependencies import (
    EXIT_NOT_CHECKED,
    EXIT_OK,
    EXIT_VULNERABLE,
    read_report,
    run_pip_audit,
    verdict,
)


def _report(*dependencies: dict) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_known_vulnerability_with_a_fix_fails_the_audit():
    report = _report(
        {"name": "jinja2", "version": "2.4.1", "vulns": [{"id": "PYSEC-X", "fix_versions": ["3"]}]},
        {"name": "flask", "version": "3.1.3", "vulns": []},
    )
    status, lines = verdict(read_report(report))
    assert status == EXIT_VULNERABLE
    assert any("jinja2==2.4.1: PYSEC-X (fixed in 3)" in line for line in lines)


def test_a_clean_audit_passes_and_says_how_many_were_checked():
    status, lines = verdict(read_report(_report({"name": "flask", "version": "3", "vulns": []})))
    assert status == EXIT_OK and "1 pinned packages checked" in lines[0]


def test_skipped_packages_are_reported_as_not_checked():
    report = _report({"name": "flask", "version": "3", "skip_reason": "service unreachable"})
    status, lines = verdict(read_report(report))
    assert status == EXIT_OK and any("COULD NOT CHECK" in line for line in lines)
    assert verdict(read_report(report), strict=True)[0] == EXIT_NOT_CHECKED


def test_an_auditor_that_cannot_reach_the_database_is_not_a_pass(tmp_path):
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!{sys.executable}\nimport sys\nsys.exit('ConnectionError: no route')\n")
    fake.chmod(0o755)
    result = run_pip_audit(str(fake), ["requirements.txt"])
    status, lines = verdict(result)
    assert result is None and status == EXIT_OK
    assert any("COULD NOT CHECK" in line for line in lines)
    assert verdict(result, strict=True)[0] == EXIT_NOT_CHECKED
