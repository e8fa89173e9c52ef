#!/usr/bin/env bash
# `make k8s-restore [BACKUP=<file>]`: restores a pg_dump from the backup PVC into the in-cluster PostgreSQL.
# The restore itself belongs to the chart (scripts/db-restore.sh); this wrapper checks the tools, pins
# the namespace/release/context and passes its arguments through (run it with --help for its options).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

DB_RESTORE_SCRIPT="${DB_RESTORE_SCRIPT:-$ROOT/scripts/db-restore.sh}"

step "Preflight: tools"
require_tools kubectl
[[ -f "$DB_RESTORE_SCRIPT" ]] || die "$DB_RESTORE_SCRIPT not found (it ships with the Helm chart)"

args=("$@")
if [[ ${#args[@]} -eq 0 && -n "${BACKUP:-}" ]]; then
  args=("$BACKUP")
fi
step "Restore ($(basename "$DB_RESTORE_SCRIPT"))"
export NAMESPACE RELEASE KUBE_CONTEXT
run bash "$DB_RESTORE_SCRIPT" ${args[@]+"${args[@]}"}
finish "Restore finished"
