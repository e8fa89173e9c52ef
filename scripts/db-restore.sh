#!/usr/bin/env bash
# Restores a pg_dump (custom format, as written by the chart's backup CronJob) into the release's
# database - the in-cluster PostgreSQL or the external one (Neon) the backend is configured with.
# It runs a short-lived pod (postgres image, the backup job's labels so the network policies let it
# reach the database) that gets DATABASE_URL exactly the way the backend's pods get it, scales the
# backend to 0 while pg_restore replaces the tables in one transaction, then scales it back.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/db-restore.sh [options] [DUMP]

Restore a database dump into the todo-chatbot release's database.

  DUMP                  file on the backup PVC <release>-backup, e.g. todo-20260101T030000Z.dump
                        (default: the newest one there)
  --file PATH           restore a dump file from this machine instead (streamed to the pod)
  --list                list the dumps on the backup PVC and exit
  -n, --namespace NS    namespace of the release (env NAMESPACE, default todo-chatbot)
  -r, --release NAME    Helm release name (env RELEASE, default todo-chatbot)
      --context CTX     kubectl context (env KUBE_CONTEXT; default as for the k8s-* scripts: minikube,
                        or the current context with K8S_TARGET=current)
      --image IMAGE     image with pg_restore (default postgres:17-alpine)
      --keep-backend    do not scale the backend to 0 during the restore
  -y, --yes             do not ask for confirmation (it is also skipped when stdin is not a terminal)
  -h, --help            this text

The restore drops and recreates every object in the dump (pg_restore --clean --if-exists) inside one
transaction: on any error nothing changes. Take a fresh backup first (make k8s-backup).
Examples:
  scripts/db-restore.sh --list
  scripts/db-restore.sh todo-20260101T030000Z.dump
  scripts/db-restore.sh --file ./todo.dump --yes
USAGE
}

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# The flags set the names lib/common.sh works with (NAMESPACE, RELEASE, KUBE_CONTEXT).
image="postgres:17-alpine"
dump=""
local_file=""
list=0
keep_backend=0
assume_yes=0
while [[ $# -gt 0 ]]; do
  case "$1" in
  -h | --help) usage; exit 0 ;;
  -n | --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
  -r | --release) RELEASE="${2:?--release needs a value}"; shift 2 ;;
  --context) KUBE_CONTEXT="${2:?--context needs a value}"; shift 2 ;;
  --image) image="${2:?--image needs a value}"; shift 2 ;;
  --file) local_file="${2:?--file needs a path}"; shift 2 ;;
  --list) list=1; shift ;;
  --keep-backend) keep_backend=1; shift ;;
  -y | --yes) assume_yes=1; shift ;;
  -*) usage >&2; die "unknown option $1" ;;
  *)
    [[ -z "$dump" ]] || die "only one DUMP file name, got '$dump' and '$1'"
    dump="$1"; shift ;;
  esac
done
[[ -z "$local_file" || -z "$dump" ]] || die "give either DUMP (on the backup PVC) or --file PATH, not both"
[[ -z "$local_file" || -r "$local_file" ]] || die "cannot read $local_file"
[[ "$dump" != */* ]] || die "DUMP is a file name on the backup PVC (no directories): $dump"
have kubectl || die "kubectl not found on PATH"
have jq || die "jq not found on PATH (it builds the restore pod): apt-get install jq / brew install jq"

pin_kube_context
log "release $RELEASE in namespace $NAMESPACE (context $KUBE_CONTEXT)"
backend="$(release_object deployment backend)"
[[ -n "$backend" ]] ||
  die "no backend deployment of release $RELEASE in namespace $NAMESPACE (wrong --release/--namespace?)"

backup_pvc=""
if [[ -z "$local_file" ]]; then
  backup_pvc="$(release_object pvc backup)"
  [[ -n "$backup_pvc" ]] ||
    die "no backup PVC of release $RELEASE: install with backup.enabled=true, or restore a local file with --file PATH"
fi

# The api container's DATABASE_URL (and POSTGRES_PASSWORD it expands, for the in-cluster database).
env_entry() {
  kubectl_ctx_quiet -n "$NAMESPACE" get deployment "$backend" \
    -o jsonpath="{.spec.template.spec.containers[?(@.name==\"api\")].env[?(@.name==\"$1\")]}"
}
db_url_env="$(env_entry DATABASE_URL)"
[[ -n "$db_url_env" ]] || die "deployment $backend has no DATABASE_URL in its api container"
pg_password_env="$(env_entry POSTGRES_PASSWORD)"

pod="$RELEASE-db-restore-$(date +%Y%m%d%H%M%S)"
mode="pvc"
[[ -z "$local_file" ]] || mode="stdin"
((list == 0)) || mode="list"

# Runs inside the pod; DUMP is resolved there (newest file when empty).
script="$(
  cat <<'SH'
set -eu
case "$MODE" in
list) ls -l /backups; exit 0 ;;
stdin) echo "pg_restore from stdin"; exec pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" ;;
esac
if [ -z "$DUMP" ]; then DUMP="$(ls -1t /backups/*.dump 2>/dev/null | head -n1)"; DUMP="${DUMP#/backups/}"; fi
[ -n "$DUMP" ] && [ -f "/backups/$DUMP" ] || { echo "no dump ${DUMP:-found} on the backup PVC; present:"; ls -l /backups; exit 1; }
echo "pg_restore /backups/$DUMP"
exec pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" "/backups/$DUMP"
SH
)"

# The pod: the backup job's labels (the network policies let it reach the database), the chart's
# locked-down settings, the backend's DATABASE_URL (and the POSTGRES_PASSWORD it expands), the backup
# PVC read-only unless the dump comes from stdin.
overrides="$(
  jq -n --arg release "$RELEASE" --arg image "$image" --arg script "$script" --arg mode "$mode" \
    --arg dump "$dump" --arg pvc "$backup_pvc" \
    --argjson dbUrl "$db_url_env" --argjson pgPassword "${pg_password_env:-null}" '
  ($mode != "stdin") as $pvcMounted
  | {
      apiVersion: "v1",
      metadata: {labels: {
        "app.kubernetes.io/name": "backup",
        "app.kubernetes.io/instance": $release,
        "app.kubernetes.io/component": "restore"
      }},
      spec: {
        restartPolicy: "Never",
        automountServiceAccountToken: false,
        securityContext: {runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70,
                          seccompProfile: {type: "RuntimeDefault"}},
        containers: [{
          name: "restore",
          image: $image,
          imagePullPolicy: "IfNotPresent",
          stdin: true,
          stdinOnce: true,
          command: ["sh", "-c", $script],
          env: ([$pgPassword | values] + [$dbUrl, {name: "MODE", value: $mode}, {name: "DUMP", value: $dump}]),
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
                            capabilities: {drop: ["ALL"]}, seccompProfile: {type: "RuntimeDefault"}},
          resources: {requests: {cpu: "50m", memory: "64Mi"}, limits: {cpu: "1", memory: "512Mi"}},
          volumeMounts: ([{name: "tmp", mountPath: "/tmp"}]
            + if $pvcMounted then [{name: "backups", mountPath: "/backups", readOnly: true}] else [] end)
        }],
        volumes: ([{name: "tmp", emptyDir: {}}]
          + if $pvcMounted then [{name: "backups", persistentVolumeClaim: {claimName: $pvc, readOnly: true}}] else [] end)
      }
    }'
)"

run_pod() {
  kubectl_ctx_quiet -n "$NAMESPACE" run "$pod" --image="$image" --restart=Never --rm -i --quiet \
    --pod-running-timeout=5m --overrides="$overrides"
}

if [[ "$mode" == "list" ]]; then
  log "dumps on PVC $backup_pvc:"
  run_pod </dev/null
  exit 0
fi

source_desc="${local_file:-${dump:-the newest dump on PVC $backup_pvc}}"
log "about to restore $source_desc into the database of $backend (existing tables are replaced)"
if ((assume_yes == 0)) && [[ -t 0 ]]; then
  read -r -p "Type 'restore' to continue: " answer
  [[ "$answer" == "restore" ]] || die "cancelled"
fi

replicas=""
hpa_note=""
scale_back() {
  if [[ -n "$replicas" && "$replicas" != "0" ]]; then
    log "scaling $backend back to $replicas replica(s)"
    kubectl_ctx_quiet -n "$NAMESPACE" scale deployment "$backend" --replicas="$replicas" >/dev/null
    kubectl_ctx_quiet -n "$NAMESPACE" rollout status deployment "$backend" --timeout=5m || log "backend not ready yet: kubectl -n $NAMESPACE get pods"
  fi
}
if ((keep_backend == 0)); then
  replicas="$(kubectl_ctx_quiet -n "$NAMESPACE" get deployment "$backend" -o jsonpath='{.spec.replicas}')"
  kubectl_ctx_quiet -n "$NAMESPACE" get hpa "$backend" >/dev/null 2>&1 && hpa_note=" (its HPA resumes once it is scaled back)"
  log "scaling $backend from $replicas to 0 so no request writes during the restore$hpa_note"
  trap scale_back EXIT
  kubectl_ctx_quiet -n "$NAMESPACE" scale deployment "$backend" --replicas=0 >/dev/null
  kubectl_ctx_quiet -n "$NAMESPACE" wait --for=delete pod -l "$(release_selector backend)" --timeout=2m >/dev/null ||
    log "backend pods still terminating after 2 min; restoring anyway (the Deployment has 0 replicas)"
fi

log "running pod $pod ($image)"
if [[ "$mode" == "stdin" ]]; then
  run_pod <"$local_file"
else
  run_pod </dev/null
fi
log "restore finished"
