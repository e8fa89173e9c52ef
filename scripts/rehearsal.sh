#!/usr/bin/env bash
# `make rehearsal` (issue 8): the deploy rehearsal without a cluster. Makes sure a Docker engine answers
# (scripts/docker-engine.sh) and Helm is provisioned (scripts/tools.sh), then runs the rehearsal suite
# (tests/rehearsal): builds the stand-in bases and both images, renders the chart with
# values-minikube.yaml + tests/rehearsal/values-rehearsal.yaml, starts every rendered workload as
# containers on a dedicated Docker network, runs helm test, a browser smoke test, a rolling replacement,
# a database restart and a backup/restore, and prints a summary table (also artifacts/rehearsal/summary.md).
# Env: REHEARSAL_SKIP_BUILD=1 reuses the images already built; REHEARSAL_KEEP_LOGS=1 keeps container logs
#      in artifacts/rehearsal/<run>/ (always kept when a step fails); NODE_IMAGE, NPM_CA as for the images.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "==> [rehearsal] $*" >&2; }

# shellcheck source=/dev/null
source scripts/node.sh >/dev/null
if [[ -f scripts/docker-engine.sh ]]; then
  bash scripts/docker-engine.sh >/dev/null
else
  /usr/bin/docker info >/dev/null 2>&1 || docker info >/dev/null 2>&1 || { say "no Docker engine answers"; exit 1; }
fi
if [[ ! -x .tools/bin/helm ]] && ! command -v helm >/dev/null 2>&1; then
  say "provisioning Helm (scripts/tools.sh)"
  bash scripts/tools.sh >/dev/null
fi
if ! command -v chromium >/dev/null 2>&1 && [[ -z "${CHROME_PATH:-}" ]]; then
  say "no Chromium: the browser smoke step will be skipped (apt-get install -y chromium)"
fi
export TEST_DOCKER=1
say "running tests/rehearsal (a few minutes; steps print as they go)"
exec npx vitest run --config tests/rehearsal/vitest.config.ts --reporter=verbose
