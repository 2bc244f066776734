"""gunicorn settings for `gunicorn app:server`, read from the same VRU_* variables as the app.

gunicorn loads ./gunicorn.conf.py by itself when started from the project folder; elsewhere pass
`-c /path/to/gunicorn.conf.py`. Change behaviour through the environment, not by editing this
file (see the settings table in README.md):

    VRU_BIND     where to listen (HOST:PORT or unix:PATH)       default 127.0.0.1:8050
    VRU_WORKERS  worker processes, about one per core           default 2
    VRU_THREADS  threads per worker                             default 8
    VRU_TIMEOUT  seconds before a stuck request's worker is restarted   default 120
    VRU_LOG_LEVEL

Why these choices:
- gthread workers: callbacks are short and mostly CPU, but exports wait on Chromium; threads
  let one worker answer quick callbacks while another thread builds a slide deck.
- preload_app: the data is loaded and validated once, in the master, before any worker starts,
  so bad data stops the server with one message instead of every worker crash-looping; the
  workers then share the loaded frames copy-on-write.
- no per-user state lives in a worker (filters are in the URL, results in the cache), so any
  worker or replica can answer any request.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard.config import Settings  # after the sys.path line above

_settings = Settings.from_env()

bind = [_settings.bind]
workers = _settings.workers
worker_class = "gthread"
threads = _settings.threads
timeout = _settings.timeout
graceful_timeout = 30
# Longer than a browser's gap between callbacks, so a page's requests reuse one connection.
keepalive = 15
preload_app = True
loglevel = _settings.log_level.lower()
errorlog = "-"
accesslog = None  # a load balancer or proxy in front normally logs requests
# gunicorn 27 opens a control socket in $HOME by default: not needed, and two servers on one
# machine (the benchmark runs two) would fight over the same path.
control_socket_disable = True
# The heartbeat file on a RAM disk when there is one: containers' overlay disks can stall it.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None


def when_ready(server) -> None:
    """In the master, before any worker exists: finish Dash's one-time set-up, compress bundles.

    With preload_app the workers are forked from this process and inherit both (see
    dashboard.serving.warm_up for why this matters with threaded workers).
    """
    from dashboard.serving import warm_up

    warm_up(server.app.wsgi())


def post_worker_init(worker) -> None:
    """The same in a worker, for when preload_app is switched off (a no-op after when_ready)."""
    from dashboard.serving import warm_up

    warm_up(worker.wsgi)
