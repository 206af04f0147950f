# Support Circle — everyday commands. Needs only python3 and make: uv is used
# from PATH when installed, otherwise it is installed into .tools/uv (gitignored).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Never let uv fetch a Python build of its own: use the interpreter on the machine.
export UV_PYTHON_DOWNLOADS := never

LOCAL_UV := .tools/uv/bin/uv
ifeq ($(origin UV),undefined)
UV := $(shell command -v uv 2>/dev/null || echo $(LOCAL_UV))
endif
UV_RUN = $(UV) run --locked
MANAGE = $(UV_RUN) python manage.py

PYTEST_ARGS ?=
# Tests run in parallel, one pytest-xdist worker per CPU; fault tests share one worker (tests/conftest.py).
# PYTEST_ARGS come after, so PYTEST_ARGS='-n 0' runs them in one process again.
PYTEST_XDIST ?= -n auto --dist loadgroup
# ruff skips .tools/ through .gitignore only inside a git checkout; say it outright.
RUFF_EXCLUDE := --extend-exclude .tools
SCHEMA_FILE ?= openapi.yaml
BEAT_SCHEDULE ?= .tools/celerybeat-schedule

# Only depend on the local install when uv was not found on PATH.
ifeq ($(UV),$(LOCAL_UV))
UV_DEP := $(LOCAL_UV)
endif

.PHONY: help uv install run test lint lint-ruff lint-format lint-mypy lint-imports lint-migrations lint-schema \
	worker beat schema screening-report contract

help:
	@echo "make run      install, migrate, seed the demo boards, serve on http://127.0.0.1:8000"
	@echo "make test     run the test suite (PYTEST_ARGS='...' passes arguments to pytest)"
	@echo "make lint     ruff, ruff format --check, mypy, import layers, missing migrations, OpenAPI schema"
	@echo "make screening-report  screening recall and false alarms (cross-validated); fails below thresholds"
	@echo "make contract schemathesis and a generated typed client against a live gunicorn (needs DATABASE_URL on PostgreSQL and REDIS_URL)"
	@echo "make worker   Celery worker (needs REDIS_URL)"
	@echo "make beat     Celery beat (needs REDIS_URL)"
	@echo "make schema   write the OpenAPI schema to $(SCHEMA_FILE)"
	@echo "make install  install the locked dependencies into .venv"
	@echo "make uv       make sure uv is available (uses: $(UV))"

uv: $(UV_DEP)
	@$(UV) --version

$(LOCAL_UV):
	@echo "uv is not on PATH: installing it into .tools/uv"
	@python3 -m pip --version >/dev/null 2>&1 || { \
		echo "python3 has no pip: install pip for python3 (or install uv) and run make again" >&2; exit 1; }
	python3 -m pip install --disable-pip-version-check --quiet --target .tools/uv uv
	@test -x $(LOCAL_UV) || { echo "pip did not produce $(LOCAL_UV)" >&2; exit 1; }

install: uv
	$(UV) sync --locked
	$(MANAGE) build_screening_model

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# pytest exits 5 when it collected no tests: that is a failure, say so plainly.
test: install
	@status=0; $(UV_RUN) pytest $(PYTEST_XDIST) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5) - treated as a failure" >&2; fi; \
	exit $$status

# Screening recall and false alarms under 5-fold cross-validation; fails below the thresholds.
screening-report: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) screening_report --check

# `make -k lint` runs every check even when an earlier one fails.
lint: lint-ruff lint-format lint-mypy lint-imports lint-migrations lint-schema

lint-ruff: install
	$(UV_RUN) ruff check $(RUFF_EXCLUDE) .

lint-format: install
	$(UV_RUN) ruff format --check $(RUFF_EXCLUDE) .

lint-mypy: install
	$(UV_RUN) mypy .

# The contracts are in pyproject.toml: one-way app layers, pure screening, no HTTP in services.
lint-imports: install
	$(UV_RUN) lint-imports

lint-migrations: install
	$(MANAGE) makemigrations --check --dry-run

lint-schema: install
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

# The API against its own schema from outside (.ci/contract): CI runs it after the tests.
contract: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "set DATABASE_URL to a PostgreSQL server (the run recreates support_circle_contract there)" >&2; exit 1;; esac
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL (the run uses its database 7)" >&2; exit 1; }
	.ci/contract

worker: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without it tasks run eagerly in the web process" >&2; exit 1; }
	$(UV_RUN) celery -A config worker --loglevel=info

beat: install
	@test -n "$$REDIS_URL" || { echo "set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without it tasks run eagerly in the web process" >&2; exit 1; }
	@mkdir -p $(dir $(BEAT_SCHEDULE))
	$(UV_RUN) celery -A config beat --loglevel=info --schedule $(BEAT_SCHEDULE)

schema: install
	$(MANAGE) spectacular --validate --file $(SCHEMA_FILE)
	@echo "OpenAPI schema written to $(SCHEMA_FILE)"
