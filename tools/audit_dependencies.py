"""Checks the pinned packages against the OSV vulnerability database (through pip-audit).

Why a wrapper: pip-audit's default service skips every package when it cannot be reached and
still says "No known vulnerabilities found"; OSV fails with a traceback instead. Here each
outcome says what it is:

  exit 1  a pinned package has a known vulnerability that a newer version fixes: upgrade it;
  exit 0  every package was checked and none has such a vulnerability (ones without a fix are
          listed, as they need a decision rather than an upgrade);
  exit 0  COULD NOT CHECK, printed loudly, when the database cannot be reached or a package was
          skipped: a CI runner without internet must not fail for that. Set
          VRU_AUDIT_STRICT=1 to make this exit 3 instead (for a release build with network).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

EXIT_OK, EXIT_VULNERABLE, EXIT_NOT_CHECKED = 0, 1, 3


@dataclass
class AuditResult:
    """What one audit found: packages checked, fixable and unfixed findings, skipped ones."""

    checked: int = 0
    fixable: list[str] = field(default_factory=list)
    unfixed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_report(report: dict) -> AuditResult:
    """pip-audit's JSON report (`--format json`) as an AuditResult."""
    result = AuditResult()
    for dependency in report.get("dependencies", []):
        name = f"{dependency.get('name')}=={dependency.get('version', '?')}"
        if dependency.get("skip_reason"):
            result.skipped.append(f"{name} ({dependency['skip_reason']})")
            continue
        result.checked += 1
        for vuln in dependency.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            if fixes:
                result.fixable.append(f"{name}: {vuln.get('id')} (fixed in {', '.join(fixes)})")
            else:
                result.unfixed.append(f"{name}: {vuln.get('id')} (no fixed version yet)")
    return result


def verdict(result: AuditResult | None, strict: bool = False) -> tuple[int, list[str]]:
    """Exit status and the lines to print for an audit (None: the audit could not run)."""
    if result is not None and result.fixable:
        return EXIT_VULNERABLE, [
            "DEPENDENCY AUDIT FAILED: known vulnerabilities with a fix available:",
            *(f"  {line}" for line in result.fixable),
            *(f"  {line}" for line in result.unfixed),
        ]
    if result is None or result.skipped or result.checked == 0:
        why = "the vulnerability database could not be reached"
        if result is not None and result.skipped:
            why = f"{len(result.skipped)} packages were skipped"
        lines = [
            "!" * 78,
            f"DEPENDENCY AUDIT COULD NOT CHECK: {why}.",
            "Nothing is known about vulnerabilities in the pinned packages; run `make audit`",
            "where https://api.osv.dev is reachable.",
            "!" * 78,
        ]
        return (EXIT_NOT_CHECKED if strict else EXIT_OK), lines
    lines = [f"Dependency audit: {result.checked} pinned packages checked against OSV."]
    lines += [f"  known, no fix yet: {line}" for line in result.unfixed]
    return EXIT_OK, lines


def run_pip_audit(pip_audit: str, requirements: Sequence[str]) -> AuditResult | None:
    """Run pip-audit on the pinned files (no resolving, no installing); None if it failed."""
    command = [pip_audit, "--vulnerability-service", "osv", "--no-deps", "--disable-pip"]
    command += ["--format", "json", "--progress-spinner", "off", "--timeout", "20"]
    for path in requirements:
        command += ["-r", path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        return read_report(json.loads(done.stdout))
    except ValueError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit did not produce a report: {last[:300]}", file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: audit_dependencies.py PIP_AUDIT REQUIREMENTS...", file=sys.stderr)
        return 2
    strict = os.environ.get("VRU_AUDIT_STRICT", "") == "1"
    status, lines = verdict(run_pip_audit(args[0], args[1:]), strict)
    print("\n".join(lines), file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
