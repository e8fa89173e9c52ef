# The front door. Every target runs with a Node >= 22 on PATH (scripts/node.sh provisions one).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
NODE_ENV_SETUP := source scripts/node.sh
.DEFAULT_GOAL := help

.PHONY: help install up dev build test lint format migrate bench

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

bench: install ## performance table vs bounds measured in the same run -> docs/performance.md (BENCH_ROUNDS, BENCH_SECONDS)
	@$(NODE_ENV_SETUP); npm run build -w apps/api && npm run build -w apps/web && node bench/run.ts

# ---- Images (need a Docker engine) ----------------------------------------------------------------
.PHONY: images
images: ## build todo-chatbot-frontend and todo-chatbot-backend (NODE_IMAGE, NPM_CA honoured)
	@bash scripts/images.sh

# ---- Chart tooling ---------------------------------------------------------------------------
.PHONY: tools chart-lint chart-test
tools: ## provision Helm 4 + Helm 3, kubectl, kubernetes-validate and checkov into .tools/ (pinned, idempotent)
	@bash scripts/tools.sh
chart-lint: tools ## helm lint --strict the chart with every values file
	@source scripts/tools.sh; cd charts/todo-chatbot && for f in values.yaml values-minikube.yaml values-neon.yaml; do helm lint --strict . -f $$f; done; helm lint --strict . -f values-production.yaml --set secrets.existingSecret=todo-chatbot-app
chart-test: install tools ## chart suite only: lint, template matrix (Helm 4 and 3), kubernetes-validate, checkov, own rules
	@$(NODE_ENV_SETUP); source scripts/tools.sh; npx vitest run --project chart

# ---- The CI cluster: a real single-node Kubernetes built from upstream source (Linux, root) -----
.PHONY: cluster-build cluster-up cluster-down cluster-test
cluster-build: ## build the cluster's binaries once per version (Go module proxy; cached outside the clone)
	@bash scripts/cluster/build.sh
cluster-up: tools ## start the single-node cluster (etcd, control plane, kubelet on containerd, DNS, storage)
	@source scripts/tools.sh >/dev/null; bash scripts/cluster/up.sh
cluster-down: ## stop it, keeping its state (PURGE=1 deletes the state too)
	@bash scripts/cluster/down.sh
cluster-test: install tools ## on the running cluster: make k8s-up, helm test, browser smoke, fault drills
	@$(NODE_ENV_SETUP); source scripts/tools.sh >/dev/null; TEST_CLUSTER=1 npx vitest run --project cluster

# ---- Kubernetes (Minikube or any cluster) and AI-assisted operations: plain bash, no Node needed -
.PHONY: k8s-up k8s-down k8s-status k8s-logs k8s-backup k8s-restore ai-review-images ai-diagnose kagent-install ai-ask

k8s-up: ## Minikube (K8S_TARGET=current: any cluster): images, helm upgrade --install, helm test, URL
	@bash scripts/k8s-up.sh
k8s-down: ## remove the release, keep data (PURGE=1 deletes the namespace)
	@bash scripts/k8s-down.sh
k8s-status: ## release, pods, volumes, backups, resource use, URL
	@bash scripts/k8s-status.sh
k8s-logs: ## release logs (COMPONENT=backend|frontend|postgresql FOLLOW=1 TAIL=200)
	@bash scripts/k8s-logs.sh
k8s-backup: ## run the backup CronJob now and wait for it
	@bash scripts/k8s-backup.sh
k8s-restore: ## restore a dump from the backup PVC (BACKUP=<file>; default the newest)
	@bash scripts/k8s-restore.sh
ai-review-images: ## Gordon reviews Dockerfiles/images (plain checks without it; PROMPT="...")
	@bash scripts/ai-review-images.sh
ai-diagnose: ## kubectl-ai diagnoses the release (Q="..."; plain kubectl without it)
	@bash scripts/ai-diagnose.sh
kagent-install: ## kagent via Helm + agent todo-ops (OPENAI_API_KEY, TODO_MCP_API_KEY)
	@bash scripts/ai-kagent-install.sh
ai-ask: ## ask kagent's todo-ops (TASK="..."; kubectl fallback)
	@bash scripts/ai-ask.sh
