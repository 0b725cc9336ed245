# Two commands on a fresh machine (Python 3.11+, Node 20, git): `make run` and `make test`.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PYTHON := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts

.PHONY: run api-types test lint lint-fix test-python test-faults test-web test-frontend test-browser screenshots chromium test-packages bench docs clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    start the whole stack with a lab of simulated devices (http://127.0.0.1:8000)"
	@echo "make test   lint, and every test against real NATS JetStream and PostgreSQL, three suites at once:"
	@echo "            test-python (pytest), test-faults (kill -9, outages, poison on stacks of their own),"
	@echo "            test-web (Vitest, the build, then the dashboard in Chromium on ports +10000)"
	@echo "make lint   ruff (check, format --check) and mypy on the Python; vue-tsc and eslint on the dashboard"
	@echo "make lint-fix  apply the fixes ruff and eslint can make themselves, and ruff's formatting"
	@echo "make screenshots  refresh docs/screenshots/ from the browser tests"
	@echo "make bench  NetRaven end to end vs a plain Netmiko thread pool (P1), platform overhead (P2), logs, git, SSE"
	@echo "make docs   regenerate docs/asyncapi.yaml, the identity table of docs/security.md and the database roles of docs/operations.md from code"
	@echo "make clean  remove environments and build output (keeps .netraven/ data)"

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set, every service start (and
# the tests start hundreds) would otherwise compile every module it imports again.
.venv/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml tools/*/pyproject.toml) deploy/devstack/pyproject.toml
	$(UV) sync --all-packages --all-extras --frozen --python python3 --compile-bytecode
	$(PYTHON) -m compileall -q -j 0 shared services tools deploy/devstack
	@touch $@

# `npm install` rather than `npm ci`: registry mirrors that omit other platforms' optional
# binaries (Tailwind's oxide builds) leave lock files that `npm ci` refuses. Versions stay locked.
frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm install --no-audit --no-fund
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

run: .venv/.synced frontend/dist/index.html
	$(PYTHON) -m netraven_devstack

# frontend/src/api/schema.d.ts from the api's OpenAPI document (test-frontend checks it is current).
api-types: .venv/.synced frontend/node_modules/.installed
	cd frontend && npm run api-types

# The suites are independent (each starts its own NATS and PostgreSQL) and mostly wait on I/O, so
# they run side by side, lint beside them; --output-sync keeps each suite's output in one piece.
test: .venv/.synced frontend/node_modules/.installed chromium test-packages
	$(MAKE) --no-print-directory -j4 --output-sync=target lint test-python test-faults test-web

# Rules and line length live in pyproject.toml ([tool.ruff], [tool.mypy]) and frontend/eslint.config.js.
lint: .venv/.synced frontend/node_modules/.installed
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	cd frontend && npm run lint

lint-fix: .venv/.synced frontend/node_modules/.installed
	$(PYTHON) -m ruff check --fix --exit-zero --silent .
	$(PYTHON) -m ruff format .
	cd frontend && npx eslint --fix .

test-python: .venv/.synced test-packages
	$(PYTHON) -m pytest --ignore=tests/faults

# Debian packages the Python tests run for real, installed together when any is missing (apt-gets
# run side by side would fight over apt's lock): slapd for the LDAP tests (tests/fixtures/
# ldap_server.py; preseeded "no configuration", so the package sets up no directory of its own),
# sshd for the git mirrors over SSH (tests/fixtures/ssh_server.py), promtool for the alert rules
# (tests/deploy/test_observability.py; Debian ships it in prometheus, whose server is not used).
test-packages:
	@missing=""; \
	command -v slapd >/dev/null || test -x /usr/sbin/slapd || missing="$$missing slapd ldap-utils"; \
	test -x /usr/sbin/sshd || missing="$$missing openssh-server"; \
	command -v promtool >/dev/null || missing="$$missing prometheus"; \
	test -z "$$missing" || ( \
		echo "slapd slapd/no_configuration boolean true" | debconf-set-selections && apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing)

test-faults: .venv/.synced
	$(PYTHON) -m pytest tests/faults

test-web: test-frontend
	$(MAKE) --no-print-directory test-browser

test-frontend: .venv/.synced frontend/node_modules/.installed
	cd frontend && npm run check:api-types && npm test && npm run build

# Playwright drives the system Chromium (it never downloads one) against `python -m
# netraven_devstack` in a temp dir with NETRAVEN_DEVSTACK_PORT_OFFSET=10000, beside any `make run`.
CHROMIUM = $(shell command -v chromium)

chromium:
	@command -v chromium >/dev/null || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

test-browser: .venv/.synced frontend/dist/index.html chromium
	cd frontend && NETRAVEN_E2E_CHROMIUM="$(CHROMIUM)" npm run e2e

screenshots: .venv/.synced frontend/dist/index.html chromium
	cd frontend && NETRAVEN_E2E_CHROMIUM="$(CHROMIUM)" NETRAVEN_E2E_SCREENSHOT_DIR=../docs/screenshots npm run e2e

bench: .venv/.synced
	$(PYTHON) -m netraven_bench --devices 200 --concurrency 20 --p2-devices 2000 10000 --rss
	$(PYTHON) -m netraven_bench --devices --workers 1 2 4 --workers-devices 2000
	$(PYTHON) -m netraven_bench.logs --rows 1000000
	$(PYTHON) -m netraven_bench.git --configs 10000 --baseline-configs 1000
	$(PYTHON) -m netraven_bench.sse --clients 500

docs: .venv/.synced
	$(PYTHON) -m netraven_docs.asyncapi docs/asyncapi.yaml
	$(PYTHON) -m netraven_docs.security_doc docs/security.md
	$(PYTHON) -m netraven_docs.security_doc docs/operations.md

clean:
	rm -rf .venv $(TOOLS) frontend/node_modules frontend/dist
