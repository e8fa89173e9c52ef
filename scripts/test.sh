#!/usr/bin/env bash
# `make test`: static checks, then every vitest project in one run, ending with one summary line
# "N passed, N failed, N skipped". Under CI=true a skipped test is a failure (a missing tool is
# never a silent skip).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> biome (lint + format)"
npx biome check .
echo "==> typescript"
npm run typecheck --silent
for cfg in tests/*/tsconfig.json bench/tsconfig.json; do
  npx tsc --noEmit -p "$cfg"
done
echo "==> vitest"
mkdir -p artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?
node scripts/test-summary.mjs artifacts/vitest.json || status=$?
exit "$status"
