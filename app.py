"""Entry point: `python app.py` runs the development server; `gunicorn app:server` serves it."""

from __future__ import annotations

import sys

from dashboard.config import Settings, SettingsError
from dashboard.datastore import DataError
from dashboard.factory import create_app

try:
    settings = Settings.from_env()
    app = create_app(settings)
except (DataError, SettingsError) as error:
    # One clear message instead of a traceback: the operator has a file or variable to fix.
    sys.exit(f"vru-dashboard cannot start.\n{error}")
server = app.server

if __name__ == "__main__":
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
