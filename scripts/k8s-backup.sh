#!/usr/bin/env bash
# `make k8s-backup`: runs the chart's backup CronJob now (a one-off Job from its template), waits for it
# and shows its log. The dump lands on the backup PVC next to the scheduled ones; restore it with
# `make k8s-restore`. Needs the chart value backup.enabled=true (on in values-minikube.yaml).
# Environment: BACKUP_CRONJOB (default: the release's backup CronJob, found by its labels), BACKUP_TIMEOUT (10m).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

BACKUP_TIMEOUT="${BACKUP_TIMEOUT:-10m}"

step "Preflight: tools"
require_tools kubectl

step "Backup CronJob"
if [[ -n "${BACKUP_CRONJOB:-}" ]]; then
  kubectl_ctx_quiet -n "$NAMESPACE" get cronjob "$BACKUP_CRONJOB" >/dev/null 2>&1 ||
    die "no backup CronJob $BACKUP_CRONJOB in namespace $NAMESPACE (BACKUP_CRONJOB)"
else
  BACKUP_CRONJOB="$(release_object cronjob backup)"
  [[ -n "$BACKUP_CRONJOB" ]] ||
    die "no backup CronJob of release $RELEASE in namespace $NAMESPACE: install with backup.enabled=true (make k8s-up) or set BACKUP_CRONJOB"
fi
log "found $BACKUP_CRONJOB"

job="$BACKUP_CRONJOB-manual-$(date +%Y%m%d%H%M%S)"
step "Run Job $job"
kubectl_ctx -n "$NAMESPACE" create job "$job" --from="cronjob/$BACKUP_CRONJOB"

step "Wait for $job (timeout $BACKUP_TIMEOUT)"
if ! kubectl_ctx -n "$NAMESPACE" wait --for=condition=complete "job/$job" --timeout="$BACKUP_TIMEOUT"; then
  kubectl_ctx -n "$NAMESPACE" logs "job/$job" --all-containers || true
  die "backup Job $job did not complete; see the log above and: kubectl -n $NAMESPACE describe job/$job"
fi

step "Backup log"
kubectl_ctx -n "$NAMESPACE" logs "job/$job" --all-containers
finish "Backup done (Job $job)"
