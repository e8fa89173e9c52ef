# The front door. Every target runs with a Node >= 22 on PATH (scripts/node.sh provisions one).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
NODE_ENV_SETUP := source scripts/node.sh
.DEFAULT_GOAL := help

.PHONY: help install up dev build test lint format migrate

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## install dependencies (npm ci) when node_modules is missing or stale
	@$(NODE_ENV_SETUP); bash scripts/install.sh

up: install ## build and run the app locally (PGlite, offline agent) at http://localhost:3000
	@$(NODE_ENV_SETUP); bash scripts/up.sh

dev: install ## run the app with hot reload
	@$(NODE_ENV_SETUP); bash scripts/up.sh --dev

build: install ## build every app
	@$(NODE_ENV_SETUP); npm run build --workspaces --if-present

migrate: install ## apply database migrations (DATABASE_URL or ./.data)
	@$(NODE_ENV_SETUP); npm run migrate -w apps/api

lint: install ## lint, format check and type check
	@$(NODE_ENV_SETUP); npx biome check . && npm run typecheck

format: install ## apply the formatter
	@$(NODE_ENV_SETUP); npx biome check --write .

test: install ## the whole suite: lint, types, unit/integration (PGlite + PostgreSQL), chart, scripts, e2e when a browser is present
	@$(NODE_ENV_SETUP); bash scripts/test.sh
