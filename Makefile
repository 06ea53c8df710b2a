# Quick start: `make run` (install, migrate, load the seeds, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: check-port run install install-dev migrate seeds test lint format clean screenshots bench bench-import audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

seeds: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seeds

# Fail at once, before installing anything, when something already listens on the port.
check-port:
	@$(PYTHON) -c "import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('$(HOST)', $(PORT)))" 2>/dev/null \
	  || { echo "Port $(PORT) on $(HOST) is already in use. Pick another: make run PORT=8001"; exit 1; }

# The task worker that sends mail (`manage.py worker` picks it for FORUM_TASK_BACKEND).
WORKER = $(if $(filter immediate,$(FORUM_TASK_BACKEND)),,worker)

# The site and, beside it, the worker that sends its email; Ctrl-C stops both.
run: check-port
	$(MAKE) --no-print-directory seeds
	@if [ -n "$(WORKER)" ]; then \
	  echo "Starting the task worker: python manage.py $(WORKER)"; \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py $(WORKER) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one.
test: install-dev
	@echo "== Test suite on SQLite =="
	DATABASE_URL= $(BIN)/pytest
	@case "$$DATABASE_URL" in \
	  postgres://*|postgresql://*) \
	    echo "== Test suite on PostgreSQL ($$DATABASE_URL) =="; \
	    $(BIN)/pytest ;; \
	  *) echo "Ran on SQLite only: set DATABASE_URL=postgres://... to run the suite on PostgreSQL too." ;; \
	esac

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Browser tests, saving full-page screenshots of what they see to docs/screenshots/.
screenshots: install-dev
	SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest -m browser

# Page, reply and import timings at 100, 1,000 and 10,000 comments, on the
# database DATABASE_URL names (in a throwaway test database there).
bench: install-dev
	DJANGO_DEBUG=1 $(BIN)/python benchmarks/forum_bench.py $(BENCH_ARGS)

# A generated WordPress export of SIZE comments imported (and imported again), timed,
# on the database DATABASE_URL names (in a throwaway test database there).
SIZE ?= 100000
bench-import: install-dev
	DJANGO_DEBUG=1 $(BIN)/python benchmarks/import_bench.py --size $(SIZE)

# axe-core, the Nu HTML checker and Lighthouse against a production-like server on
# loopback, signed out and signed in; exit 1 when a target is missed. The judges,
# pinned, go to AUDIT_DIR (outside the repository), their raw reports to AUDIT_DIR/reports.
audit: install-dev
	npm install --prefix "$(or $(AUDIT_DIR),$(HOME)/.cache/forum-audit)" --no-audit --no-fund \
	  --ignore-scripts --save-exact axe-core@4.14.1 vnu-jar@26.9.27 lighthouse@12.8.2
	$(BIN)/python -m scripts.audit --judges "$(or $(AUDIT_DIR),$(HOME)/.cache/forum-audit)"
