# The README names two entry points: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and feeds follow SITE_URL; by default it is where `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run test lint format bench loadtest scale-demo install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

var:
	mkdir -p var/mail

# Migrate, load the demo data the first time, then serve the site and the task worker
# until Ctrl-C, which stops both.
run: install | var
	$(BIN)/python manage.py migrate --no-input
	@if [ ! -f var/.demo-loaded ]; then \
		$(BIN)/python manage.py seed_demo && touch var/.demo-loaded; \
	fi
	@echo "Mapertunity: http://$(HOST):$(PORT)/  (Ctrl-C stops the site and the worker)"
	$(BIN)/python manage.py devserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python bench/run.py $(ARGS)

$(VENV)/.installed-load: pyproject.toml $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e ".[dev,load]"
	@touch $@

# The site under gunicorn with 1M jobs and a mixed locust workload; 5 minutes by default
# (ARGS="--seconds 60" for less). Figures in bench/results/loadtest.json.
loadtest: $(VENV)/.installed-load
	$(BIN)/python bench/loadtest.py $(ARGS)

# PostgreSQL with a streaming replica, Redis, nginx, two app servers and RQ workers, all on
# loopback in a temporary directory (README, "Growing past one machine"); ARGS=--check runs
# the checks and stops.
scale-demo: install-dev
	$(BIN)/python scripts/scale_demo.py $(ARGS)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
