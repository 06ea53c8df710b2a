# Quick start: `make run` (install, migrate, load the seeds, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-dev migrate seeds test lint format clean screenshots bench

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

run: seeds
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

# Browser tests with full-page screenshots of each page in screenshots/.
screenshots: install-dev
	SCREENSHOT_DIR=screenshots $(BIN)/pytest tests/test_browser.py

# Page, reply and import timings at 100, 1,000 and 10,000 comments, on the
# database DATABASE_URL names (in a throwaway test database there).
bench: install-dev
	DJANGO_DEBUG=1 $(BIN)/python benchmarks/forum_bench.py
