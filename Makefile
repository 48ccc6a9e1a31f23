# The project's commands. GNU make; recipes are indented with tabs.
#
#   make run     set up (.venv, translations, migrations, demo data once) and serve :5000
#                (make run SEARCH_BACKEND=elasticsearch: with a local Elasticsearch node)
#   make test    set up, start the real services, run the suite on SQLite and PostgreSQL
#   make lint    ruff, ruff format --check, import-linter contracts, mypy
#   make bench   search, relevance, matching and alert benchmarks (bench/search.py, relevance.py, matching.py, alerts.py)
#
# Configuration comes from the environment (see config.py and README.md);
# variables given on the command line are passed through as well, e.g.
#   make run SEARCH_BACKEND=embedded
#   make test PYTEST_ARGS="-x -k search"

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

# Variables given in the environment or on the command line (SEARCH_BACKEND,
# DATABASE_URL, PYTEST_ARGS, ...) reach the commands' environment unchanged.

.PHONY: help venv run-venv translations messages db demo run services services-stop test lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv and install requirements-dev.txt (again only when requirements change)

# What running needs (make run, db, demo): requirements.txt only. The tests, lint and
# benchmarks install requirements-dev.txt on top ($(STAMP)).
run-venv: $(RUN_STAMP)

$(RUN_STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "make: Python 3.11 or newer is needed ($(PYTHON) is $$($(PYTHON) -V 2>&1)); try: make PYTHON=python3.11 ..." >&2; exit 1; }
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c '' 2>/dev/null; then \
		echo "make: creating $(VENV) with $$($(PYTHON) -V)"; \
		rm -rf $(VENV); \
		if ! $(PYTHON) devservices/make_venv.py $(VENV) && { rm -rf $(VENV); ! $(PYTHON) -m venv $(VENV); }; then \
			rm -rf $(VENV); \
			if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" -eq 0 ]; then \
				echo "make: installing python3-venv (Debian splits venv out of python3)"; \
				DEBIAN_FRONTEND=noninteractive apt-get update -q && \
				DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv && \
				$(PYTHON) -m venv $(VENV); \
			else \
				echo "make: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install python3-venv" >&2; exit 1; \
			fi; \
		fi; \
	fi
	@# devservices/make_venv.py: the virtualenv with a current pip, not compiled (the pip
	@# bundled with Python took 19 s of CPU where a current one takes 8); `python -m venv`
	@# when it cannot. --no-compile: Python compiles a module when it is first imported;
	@# compiling every module of every package here (botocore, stripe: thousands never
	@# imported) took seconds.
	$(BIN)/python -m pip install --disable-pip-version-check --no-compile -q -r requirements.txt
	@touch $@
	@echo "make: $(VENV) is ready to run"

$(STAMP): requirements.txt requirements-dev.txt $(RUN_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@
	@echo "make: $(VENV) is ready"

# Each catalogue is compiled again only when its .po changed (a warm `make run` starts no
# Python for it).
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

translations: $(MO_FILES) ## compile translations/<locale>/LC_MESSAGES/messages.po into .mo files
	@[ -n "$(PO_FILES)" ] || echo "make: no translations/*/LC_MESSAGES/messages.po yet; skipping"

ifneq ($(MO_FILES),)
$(MO_FILES): %.mo: %.po | run-venv
	$(BIN)/pybabel -q compile -f -i $< -o $@
endif

messages: venv ## re-extract strings into translations/messages.pot, update and compile the catalogues
	translations/update.sh

db: run-venv ## apply the migrations (SQLite under instance/ unless DATABASE_URL says otherwise)
	$(FLASK) db upgrade

demo: db ## load the demo market (only when the database has no listings yet)
	$(FLASK) demo load

# `make run` starts Python once: `flask serve` (marketplace/devserver.py) migrates when a
# migration is pending, loads the demo into an empty market, forks the job worker, serves.
ifeq ($(SEARCH_BACKEND),elasticsearch)
# Elasticsearch: start a local node (devservices/elasticsearch.sh; it keeps running
# for the next `make run`, stop it with `make services-stop`) unless ELASTICSEARCH_URL
# names one, load the demo once, build the index when it is empty, serve.
run: run-venv translations
	@if [ -z "$${ELASTICSEARCH_URL:-}" ]; then \
		ELASTICSEARCH_URL="$$(devservices/elasticsearch.sh start)"; \
		echo "make: Elasticsearch at $$ELASTICSEARCH_URL (stop it with: make services-stop)"; \
	fi; \
	export ELASTICSEARCH_URL; \
	exec devservices/serve.sh $(HOST) $(PORT) --reindex-if-empty
else
run: run-venv translations ## set up and serve on http://127.0.0.1:5000 with the job worker and Mailpit (SEARCH_BACKEND=elasticsearch: with a local node)
	devservices/serve.sh $(HOST) $(PORT)
endif

services: ## start PostgreSQL, Elasticsearch, stripe-mock, Redis, Mailpit and S3Proxy and check Chromium for tests (devservices/)
	devservices/browser.sh
	devservices/postgres.sh start
	devservices/elasticsearch.sh start
	devservices/stripe-mock.sh start
	devservices/redis.sh start
	devservices/mailpit.sh start
	devservices/s3.sh start

services-stop: ## stop the services started by `make services` / `make run`
	devservices/postgres.sh stop
	devservices/elasticsearch.sh stop
	devservices/stripe-mock.sh stop
	devservices/redis.sh stop
	devservices/mailpit.sh stop
	devservices/s3.sh stop

test: venv translations ## the whole suite on SQLite, then the integration tests on PostgreSQL (with Elasticsearch)
	devservices/run-tests.sh

lint: venv ## ruff, ruff format --check, import-linter contracts, mypy
	@status=0; \
	echo "== ruff check";         $(BIN)/ruff check .          || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== lint-imports";       $(BIN)/lint-imports          || status=1; \
	echo "== mypy";               $(BIN)/mypy                  || status=1; \
	if [ $$status -ne 0 ]; then echo "make lint: FAILED" >&2; else echo "make lint: all clean"; fi; \
	exit $$status

format: venv ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv ## search, matching and alert benchmarks: latency p50/p95 and indexing throughput
	$(BIN)/python bench/search.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/alerts.py

clean: ## remove caches, compiled translations and the test services' state (keeps .venv and instance/)
	-devservices/postgres.sh stop 2>/dev/null
	-devservices/elasticsearch.sh stop 2>/dev/null
	rm -rf .devservices .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis test-results playwright-report
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find translations -name '*.mo' -delete 2>/dev/null || true
