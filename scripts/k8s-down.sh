#!/usr/bin/env bash
# `make k8s-down`: removes the Helm release. Data survives: the PostgreSQL and backup volumes are kept
# (PersistentVolumeClaims outlive a release), and so is the app Secret, so `make k8s-up` brings the same
# users and tasks back. PURGE=1 also deletes the namespace — every PVC, backup and the Secret with it.
# Minikube itself keeps running; stop it with `minikube stop` (or delete it with `minikube delete`).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

step "Preflight: tools"
require_tools kubectl helm

step "Helm uninstall $RELEASE"
if helm --kube-context "$KUBE_CONTEXT" -n "$NAMESPACE" status "$RELEASE" >/dev/null 2>&1; then
  helm_ctx uninstall "$RELEASE" -n "$NAMESPACE"
else
  log "release $RELEASE is not installed in namespace $NAMESPACE"
fi

if [[ "${PURGE:-0}" == "1" ]]; then
  step "Purge namespace $NAMESPACE (PURGE=1: data, backups and the app Secret are deleted)"
  if kubectl_ctx_quiet get namespace "$NAMESPACE" >/dev/null 2>&1; then
    kubectl_ctx delete namespace "$NAMESPACE" --wait=true
  else
    log "namespace $NAMESPACE does not exist"
  fi
  finish "Removed $RELEASE and everything in namespace $NAMESPACE"
else
  step "Kept data"
  kubectl_ctx -n "$NAMESPACE" get pvc,secret 2>/dev/null || true
  finish "Removed $RELEASE; volumes and the app Secret are kept (PURGE=1 make k8s-down deletes them)"
fi
