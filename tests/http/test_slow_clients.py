"""The shipped deployment keeps answering its health probe while 50 clients trickle headers.

A slow client (a phone on a bad line, or a slowloris attack) opens a connection and sends its
request a few bytes at a time. gunicorn's threads each read a request themselves, so 50 such
clients would stop it answering anyone; deploy/nginx.conf buffers requests in front of it.
The test runs gunicorn with the repository's gunicorn.conf.py behind nginx with the shipped
config, both on 127.0.0.1 only, with bounded loops and a hard end. `make test` installs nginx.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT

NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")

SLOW_CLIENTS = 50
PROBES = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(base: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def _proxy_config(folder: Path, app_port: int, proxy_port: int) -> Path:
    """deploy/nginx.conf with loopback addresses and the test's own files."""
    text = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    text = text.replace("server app:8050", f"server 127.0.0.1:{app_port}")
    text = text.replace("listen 8080", f"listen 127.0.0.1:{proxy_port}")
    text = text.replace(
        "http {", f"http {{\n    access_log off;\n    client_body_temp_path {folder};"
    )
    assert f"127.0.0.1:{app_port}" in text and f"127.0.0.1:{proxy_port}" in text
    path = folder / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def test_health_probe_answers_while_50_slow_clients_hold_connections(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail(f"nginx not found at {NGINX}; run `make test`, which installs it.")
    port, proxy_port = _free_port(), _free_port()
    env = {**os.environ, "VRU_BIND": f"127.0.0.1:{port}", "VRU_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "app:server"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = _proxy_config(tmp_path, port, proxy_port)
    proxy = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-g", f"daemon off; pid {tmp_path / 'nginx.pid'};"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{proxy_port}"
    slow: list[socket.socket] = []
    try:
        started = time.monotonic()
        while not _healthy(base, 2):
            assert process.poll() is None and proxy.poll() is None, "gunicorn or nginx stopped"
            assert time.monotonic() - started < 90, "gunicorn did not answer /healthz in 90 s"
            time.sleep(0.3)
        for _ in range(SLOW_CLIENTS):
            conn = socket.create_connection(("127.0.0.1", proxy_port), timeout=5)
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
            slow.append(conn)
        answered = 0
        for probe in range(PROBES):
            for conn in slow:  # keep trickling, as a slowloris does
                # The proxy may close a client that is too slow: that is fine.
                with contextlib.suppress(OSError):
                    conn.sendall(f"X-Slow-{probe}: 1\r\n".encode())
            answered += _healthy(base, 3)
        assert answered == PROBES
    finally:
        for conn in slow:
            conn.close()
        _stop(proxy)
        _stop(process)
