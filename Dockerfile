# The dashboard as a container: gunicorn on port 8050, Chromium for image and slide exports.
# Build: docker build -t vru-dashboard .    Run: docker run -p 8050:8050 vru-dashboard
# Settings are the VRU_* variables of README.md, e.g. -e VRU_WORKERS=4 -e CACHE_REDIS_URL=...
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    CHROMIUM=/usr/bin/chromium \
    VRU_BIND=0.0.0.0:8050

# Debian's Chromium renders chart images and slides through kaleido; the fonts draw their text.
# Versions are not pinned: Debian ships Chromium's security fixes as new package versions, and
# a pinned one disappears from the archive.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The same pinned file that `make run` installs.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . ./
# Compress the page's scripts and plotly.js at the strongest level now, into the image, rather
# than at every container start (VRU_ASSET_CACHE_DIR, read-only at run time). Importing the app
# also makes the SQLite store from data/ (instance/vru.sqlite), which the app's user must own:
# SQLite in WAL mode writes beside the file even to read. Mount a volume on /app/instance to keep
# releases loaded in a running container, or use VRU_DATABASE_URL.
RUN python -c "import app; from dashboard.serving import warm_up; warm_up(app.server)" \
    && useradd --create-home --uid 10001 vru \
    && chown -R vru /app/instance
USER 10001

EXPOSE 8050
# No curl in the slim image: Python asks /healthz, which checks the data and boundaries loaded.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ['VRU_BIND'].rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "app:server"]
