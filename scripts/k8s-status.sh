#!/usr/bin/env bash
# `make k8s-status`: one screen with the release, workloads, volumes, backups, resource use and the URL.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

step "Preflight: tools"
require_tools kubectl helm

step "Helm release $RELEASE"
helm_ctx status "$RELEASE" -n "$NAMESPACE" || warn "release $RELEASE not found: run make k8s-up"

step "Workloads in $NAMESPACE"
kubectl_ctx -n "$NAMESPACE" get deployments,statefulsets,pods,services,hpa,pvc,cronjobs,jobs -o wide

step "Resource use (metrics-server)"
kubectl_ctx -n "$NAMESPACE" top pods || warn "no metrics yet (metrics-server needs a minute after start)"

step "Recent warnings"
kubectl_ctx -n "$NAMESPACE" get events --field-selector type=Warning --sort-by=.lastTimestamp

step "URL"
if have minikube && ip="$(minikube -p "$MINIKUBE_PROFILE" ip 2>/dev/null)"; then
  log "http://$ip:$FRONTEND_NODE_PORT (docker driver on macOS/Windows: minikube -p $MINIKUBE_PROFILE service $(release_object service frontend) -n $NAMESPACE --url)"
else
  log "minikube is not available or not running"
fi
finish "Status of $RELEASE"
