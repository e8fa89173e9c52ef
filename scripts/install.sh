#!/usr/bin/env bash
# Installs dependencies with `npm ci` when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.install-stamp
if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
