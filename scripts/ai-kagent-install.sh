#!/usr/bin/env bash
# `make kagent-install`: installs kagent with its Helm charts, then the todo-ops agent from deploy/kagent.
#   1. namespace kagent; the model key Secret kagent-openai (from OPENAI_API_KEY, created once)
#   2. helm upgrade --install kagent-crds, then kagent (OCI charts at oci://ghcr.io/kagent-dev/kagent/helm)
#   3. the Secret todo-ops-mcp-auth holding "Bearer <personal API key>" (from TODO_MCP_API_KEY)
#   4. helm upgrade --reuse-values --set kagent.enabled=true on the app (NetworkPolicy admits kagent)
#   5. kubectl apply -k deploy/kagent (ModelConfig, RemoteMCPServer, Agent todo-ops)
# Chart names, namespace and values from https://kagent.dev/docs/kagent/introduction/installation and
# kagent's helm/kagent/values.yaml (providers.default, providers.openAI.apiKeySecretRef=kagent-openai).
# Environment: KAGENT_NAMESPACE (kagent), KAGENT_VERSION (0.9.12, the CRDs this repo is validated against),
#              OPENAI_API_KEY, TODO_MCP_API_KEY (see docs/ai-ops.md "Personal API key").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context
cd "$ROOT"

KAGENT_NAMESPACE="${KAGENT_NAMESPACE:-kagent}"
KAGENT_VERSION="${KAGENT_VERSION:-0.9.12}"
KAGENT_CHARTS="oci://ghcr.io/kagent-dev/kagent/helm"
MODEL_SECRET="kagent-openai"
MCP_SECRET="todo-ops-mcp-auth"

step "Preflight: tools"
require_tools kubectl helm
require_helm_version 3 14
make_secret_dir

step "Namespace $KAGENT_NAMESPACE"
ensure_namespace "$KAGENT_NAMESPACE"

step "Model key Secret $MODEL_SECRET"
if ! key_secret "$KAGENT_NAMESPACE" "$MODEL_SECRET" "OPENAI_API_KEY=${OPENAI_API_KEY:-}" \
  OPENAI_API_KEY "${OPENAI_API_KEY:-}"; then
  warn "no OPENAI_API_KEY: the agents cannot call a model until the Secret exists (or switch deploy/kagent/modelconfig.yaml to Ollama)"
fi

step "Helm: kagent-crds $KAGENT_VERSION"
helm_ctx upgrade --install kagent-crds "$KAGENT_CHARTS/kagent-crds" -n "$KAGENT_NAMESPACE" --version "$KAGENT_VERSION"

step "Helm: kagent $KAGENT_VERSION"
# No providers.openAI.apiKey here: the chart reads the key from the Secret above (apiKeySecretRef).
helm_ctx upgrade --install kagent "$KAGENT_CHARTS/kagent" -n "$KAGENT_NAMESPACE" --version "$KAGENT_VERSION" \
  --set providers.default=openAI --wait --timeout 10m

step "MCP credential Secret $MCP_SECRET"
if ! key_secret "$KAGENT_NAMESPACE" "$MCP_SECRET" "authorization=Bearer ${TODO_MCP_API_KEY:-}" \
  TODO_MCP_API_KEY "${TODO_MCP_API_KEY:-}"; then
  warn "no TODO_MCP_API_KEY: todo-ops can read the cluster but its todo tools answer 401 until you create a"
  warn "personal API key (docs/ai-ops.md, 'Personal API key') and re-run: TODO_MCP_API_KEY=... make kagent-install"
fi

step "Let kagent reach the app ($RELEASE: kagent.enabled=true)"
# The chart's NetworkPolicy admits the kagent namespace to the backend only with kagent.enabled=true.
if helm --kube-context "$KUBE_CONTEXT" -n "$NAMESPACE" status "$RELEASE" >/dev/null 2>&1; then
  helm_ctx upgrade "$RELEASE" "$CHART_DIR" -n "$NAMESPACE" --reuse-values \
    --set kagent.enabled=true --set "kagent.namespace=$KAGENT_NAMESPACE" --wait --timeout 10m
else
  log "$RELEASE is not installed yet; make k8s-up will enable it (it detects namespace $KAGENT_NAMESPACE)"
fi

step "Agent todo-ops (deploy/kagent)"
kubectl_ctx apply -k deploy/kagent

finish "kagent is installed; ask the agent: make ai-ask TASK=\"what is pending?\" (or kagent invoke --agent todo-ops --task ...)"
