#!/usr/bin/env bash
# `make ai-ask TASK="..."`: sends a task to the kagent agent todo-ops (Kubernetes read tools for the
# todo-chatbot namespace + the app's MCP todo tools). Without the kagent CLI it runs the plain kubectl
# commands for the cluster half and prints the MCP call for the todo half.
# CLI: `kagent invoke --agent <name> --task <text>` with the global -n/--namespace flag
# (https://kagent.dev/docs/kagent/0.x/resources/cli/kagent-invoke/); the CLI reaches the controller at
# --kagent-url (default http://localhost:8083) and port-forwards to it when needed.
# Usage: scripts/ai-ask.sh ["task"]     Environment: KAGENT_NAMESPACE (kagent), KAGENT_AGENT (todo-ops)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

KAGENT_NAMESPACE="${KAGENT_NAMESPACE:-kagent}"
KAGENT_AGENT="${KAGENT_AGENT:-todo-ops}"
default_task="List my pending tasks, then tell me whether every pod in namespace $NAMESPACE is ready."
task="${*:-${TASK:-$default_task}}"

if have kagent; then
  step "kagent invoke --agent $KAGENT_AGENT"
  run kagent invoke --agent "$KAGENT_AGENT" --task "$task" -n "$KAGENT_NAMESPACE"
  finish "kagent done"
  exit 0
fi

warn "kagent CLI not found — $(install_hint kagent)"
warn "Running the plain commands instead (the task was not sent anywhere: '$task')."
require_tools kubectl

step "Cluster: workloads in $NAMESPACE (what the agent's k8s_get_resources tool reads)"
kubectl_ctx -n "$NAMESPACE" get deployments,pods,services -o wide

step "Cluster: warning events"
kubectl_ctx -n "$NAMESPACE" get events --field-selector type=Warning --sort-by=.lastTimestamp

step "Todos: the MCP call the agent would make (run it yourself with your personal API key)"
backend_service="$(release_object service backend)"
[[ -n "$backend_service" ]] || die "no backend Service of release $RELEASE in namespace $NAMESPACE (make k8s-up first)"
cat <<EOF
    kubectl --context $KUBE_CONTEXT -n $NAMESPACE port-forward service/$backend_service 8000:8000 &
    curl -s http://localhost:8000/mcp \\
      -H "Authorization: Bearer \$TODO_MCP_API_KEY" \\
      -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\
      -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{"status":"pending"}}}'
EOF
finish "Plain fallback done"
