#!/usr/bin/env bash
# `make ai-diagnose [Q="..."]`: asks kubectl-ai why the release is (un)healthy. Without kubectl-ai it runs
# the read-only kubectl/helm commands an operator would run for the same question and prints their output.
# Usage: scripts/ai-diagnose.sh ["your own question"]
# Environment: KUBECTL_AI_PROVIDER (gemini | openai | ollama | ... → --llm-provider),
#              KUBECTL_AI_MODEL (→ --model), KUBECTL_AI_TOOL_USE_SHIM=1 (→ --enable-tool-use-shim, for
#              Ollama models without native tool calling). Provider keys come from the environment:
#              GEMINI_API_KEY, OPENAI_API_KEY (+ OPENAI_ENDPOINT for OpenAI-compatible servers), OLLAMA_HOST.
# Flags from the kubectl-ai README (github.com/GoogleCloudPlatform/kubectl-ai): --quiet, --llm-provider,
# --model, --enable-tool-use-shim, --kubeconfig.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context

default_question="Diagnose the Todo Chatbot release '$RELEASE' in namespace '$NAMESPACE': are all pods ready, \
any restarts, CrashLoopBackOff, ImagePullBackOff, Pending pods or PVCs, failing probes or warning events? \
Explain the cause of each problem and the command that fixes it. Only read; do not change anything."
question="${*:-${Q:-$default_question}}"

require_tools kubectl

if have kubectl-ai; then
  step "kubectl-ai (context $KUBE_CONTEXT)"
  # kubectl-ai acts on its kubeconfig's current context; hand it a one-context copy so it cannot wander
  # to another cluster. The copy holds credentials, so it lives in the private temp dir.
  make_secret_dir
  kubectl_ctx_quiet config view --minify --flatten | write_secret_file "$SECRET_DIR/kubeconfig"
  args=(--quiet --kubeconfig "$SECRET_DIR/kubeconfig")
  if [[ -n "${KUBECTL_AI_PROVIDER:-}" ]]; then
    args+=(--llm-provider "$KUBECTL_AI_PROVIDER")
  fi
  if [[ -n "${KUBECTL_AI_MODEL:-}" ]]; then
    args+=(--model "$KUBECTL_AI_MODEL")
  fi
  if [[ "${KUBECTL_AI_TOOL_USE_SHIM:-0}" == "1" ]]; then
    args+=(--enable-tool-use-shim)
  fi
  run kubectl-ai "${args[@]}" "$question"
  finish "kubectl-ai done"
  exit 0
fi

warn "kubectl-ai not found — $(install_hint kubectl-ai)"
warn "Running the plain read-only kubectl/helm commands for the same diagnosis instead."

step "Pods"
kubectl_ctx -n "$NAMESPACE" get pods -o wide

step "Pods that are not ready"
not_ready="$(kubectl_ctx_quiet -n "$NAMESPACE" get pods -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.containerStatuses[*].ready}{"\n"}{end}' |
  awk '$0 ~ /false/ || NF == 1 {print $1}')"
if [[ -z "$not_ready" ]]; then
  log "every pod is ready"
else
  for pod in $not_ready; do
    kubectl_ctx -n "$NAMESPACE" describe pod "$pod"
    kubectl_ctx -n "$NAMESPACE" logs "$pod" --all-containers --tail=50 || true
    kubectl_ctx -n "$NAMESPACE" logs "$pod" --all-containers --tail=50 --previous || true
  done
fi

step "Warning events"
kubectl_ctx -n "$NAMESPACE" get events --field-selector type=Warning --sort-by=.lastTimestamp

step "Volumes"
kubectl_ctx -n "$NAMESPACE" get pvc

step "Resource use"
kubectl_ctx -n "$NAMESPACE" top pods || warn "metrics-server not ready (minikube addons enable metrics-server)"

step "Helm history"
helm_ctx history "$RELEASE" -n "$NAMESPACE" --max 5 || true

finish "Plain diagnosis done (the question was not sent anywhere: '$question'); docs/troubleshooting.md maps symptoms to fixes"
