# Two commands on a fresh machine (Python 3.11+, Node 20, git): `make run` and `make test`.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PYTHON := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts

.PHONY: run test test-python test-frontend bench docs clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    start the whole stack with a lab of simulated devices (http://127.0.0.1:8000)"
	@echo "make test   run every test against real NATS JetStream and PostgreSQL"
	@echo "make docs   regenerate docs/asyncapi.yaml from the event contracts"
	@echo "make clean  remove environments and build output (keeps .netraven/ data)"

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml) deploy/devstack/pyproject.toml
	$(UV) sync --all-packages --all-extras --frozen --python python3
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

test: test-frontend test-python

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test && npm run build

test-python: .venv/.synced
	$(PYTHON) -m pytest

docs: .venv/.synced
	$(PYTHON) -m netraven_devstack.asyncapi docs/asyncapi.yaml

clean:
	rm -rf .venv $(TOOLS) frontend/node_modules frontend/dist
