#!/usr/bin/env bash
# `make up` / `make dev`: runs the API (PGlite in ./.data, offline agent unless an LLM is
# configured, or OLLAMA_HOST / LLM_BASE_URL answers: scripts/lib/llm.sh) and the web app on this
# machine. Ctrl-C stops both cleanly.
#   scripts/up.sh         production builds
#   scripts/up.sh --dev   hot reload (tsx watch + next dev)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mode=prod
[[ ${1:-} == --dev ]] && mode=dev

api_port="${API_PORT:-8000}"
web_port="${WEB_PORT:-3000}"
export DATA_DIR="${DATA_DIR:-$root/.data}"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$web_port}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
has_web=false
compgen -G "apps/web/next.config.*" >/dev/null && has_web=true

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  echo "==> stopped"
}
trap stop INT TERM EXIT

wait_for() { # url name
  for _ in $(seq 1 120); do
    if node -e "fetch('$1').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "error: $2 did not become healthy at $1" >&2
  exit 1
}

if [[ $mode == prod ]]; then
  echo "==> building the API"
  npm run build --silent -w apps/api
  if $has_web; then
    echo "==> building the web app (first time takes a minute or two)"
    npm run build --silent -w apps/web
  fi
fi

# shellcheck source-path=SCRIPTDIR source=lib/llm.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/llm.sh"
detect_llm

echo "==> starting the API on :$api_port (data in $DATA_DIR)"
if [[ $mode == prod ]]; then
  PORT="$api_port" node apps/api/dist/main.js &
else
  PORT="$api_port" npm run dev --silent -w apps/api &
fi
pids+=($!)
wait_for "http://127.0.0.1:$api_port/readyz" "the API"

if $has_web; then
  echo "==> starting the web app on :$web_port"
  if [[ $mode == prod ]]; then
    PORT="$web_port" HOSTNAME=0.0.0.0 API_URL="http://127.0.0.1:$api_port" npm run start --silent -w apps/web &
  else
    API_URL="http://127.0.0.1:$api_port" npm run dev --silent -w apps/web -- --port "$web_port" &
  fi
  pids+=($!)
  wait_for "http://127.0.0.1:$web_port/healthz" "the web app"
  echo
  echo "  Todo Chatbot is running:  http://localhost:$web_port"
else
  echo
  echo "  Todo Chatbot API is running:  http://localhost:$api_port  (OpenAPI: /openapi.json)"
fi
echo "  Press Ctrl-C to stop."
wait -n "${pids[@]}"
