#!/usr/bin/env bash
# `make k8s-logs [COMPONENT=backend|frontend|postgresql] [FOLLOW=1] [TAIL=200]`: logs of the release's pods.
# Usage: scripts/k8s-logs.sh [backend|frontend|postgresql]   (no argument: every pod of the release)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

component="${1:-${COMPONENT:-}}"
tail_lines="${TAIL:-200}"

require_tools kubectl
args=(-n "$NAMESPACE" logs --all-containers --prefix --timestamps "--tail=$tail_lines")
if [[ "${FOLLOW:-0}" == "1" ]]; then
  args+=(--follow)
fi
case "$component" in
"")
  # Every pod of the release (standard Helm label). --max-log-requests covers backend + frontend + db + jobs.
  args+=(-l "app.kubernetes.io/instance=$RELEASE" --max-log-requests=20)
  ;;
backend | frontend | postgresql)
  # By the chart's labels, whatever the release's object names are; every replica's pods.
  args+=(-l "$(release_selector "$component")" --max-log-requests=10)
  ;;
*)
  die "unknown component '$component': use backend, frontend or postgresql (or nothing for all)"
  ;;
esac
kubectl_ctx "${args[@]}"
