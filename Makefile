# Two commands on a fresh machine: `make run` (set up, demo data, serve) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export APP_ENV ?= development

.PHONY: setup run test test-sqlite test-postgres test-faketime bench lint migrate demo messages clean serve check-deploy load backup restore

$(STAMP): pyproject.toml
	@scripts/system-deps.sh runtime
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)  ## install: Debian packages where missing, virtualenv, pip packages

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo  ## set up, migrate, load demo data and serve on http://$(HOST):$(PORT)
	@echo "http://$(HOST):$(PORT)/ を開いてください（上のデモ利用者でログインできます）。"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup  ## the whole suite (DATABASE_URL selects the database; SQLite by default)
	@scripts/system-deps.sh test
	@scripts/test-deps.sh
	APP_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

# The suite must pass whatever the date: run it with the machine's clock (Python's, the live
# server's and chromium's) faked by Debian's faketime, e.g. FAKE_NOW='2030-06-01 10:00 +0900'.
# Runs pytest alone: `make test` has set everything up before.
test-faketime:  ## the whole suite with the clock at FAKE_NOW (after make test)
	@test -n "$(FAKE_NOW)" || { echo "usage: make test-faketime FAKE_NOW='2030-06-01 10:00 +0900'" >&2; exit 2; }
	@scripts/system-deps.sh test
	APP_ENV=test faketime '$(FAKE_NOW)' $(PY) -m pytest $(PYTEST_ARGS)

test-postgres:  ## the whole suite on the local PostgreSQL
	DATABASE_URL=$${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/tsunagu} $(MAKE) test

bench: setup  ## benchmarks: prints a table and writes bench/results.json
	@scripts/system-deps.sh runtime
	APP_ENV=test $(PY) bench/run.py

lint: setup  ## ruff (lint and format), mypy with django-stubs, migrations up to date
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	APP_ENV=test $(VENV)/bin/mypy
	APP_ENV=test $(PY) manage.py makemigrations --check --dry-run

# The production stack on this machine: gunicorn + WhiteNoise and the task worker, on the local
# PostgreSQL (DATABASE_URL, default tsunagu_serve, created if missing), bound to 127.0.0.1.
serve: setup  ## production configuration locally (DEMO=1 loads the demo data)
	@scripts/system-deps.sh runtime
	DEMO=$(DEMO) HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

check-deploy: setup  ## Django's deployment checks under the production settings: must report nothing
	scripts/check-deploy.sh

load: setup  ## load test against `make serve` (started with DEMO=1); writes bench/results.json
	PYTHONPATH=. $(PY) bench/load.py --url http://$(HOST):$(PORT)

backup:  ## pg_dump (custom format) of DATABASE_URL into var/backups/
	scripts/backup.sh

restore:  ## pg_restore FILE=… into DATABASE_URL (replaces its content)
	scripts/restore.sh "$(FILE)"
# The English catalogue (docs/leaflet-and-directory.md, "English"): collect the msgids, then compile the .mo that is committed
# (running the app needs no gettext). Needs GNU gettext (Debian's gettext package).
messages: setup  ## rebuild locale/en/LC_MESSAGES/django.po and compile django.mo
	APP_ENV=test $(PY) manage.py makemessages -l en --ignore=.venv --ignore='tests/*' --ignore='bench/*' --no-obsolete
	msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .cache
