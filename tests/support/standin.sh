#!/usr/bin/env bash
# Recording stand-in for minikube, kubectl, helm, docker, kind, kubectl-ai and kagent (tests only).
# Linked under each tool's name into a temp dir on PATH. Every call appends one line to $STANDIN_LOG:
#   <tool> <base64 arg1> <base64 arg2> ...
# and prints plausible output. State (cluster running, namespaces, secrets, release) lives in
# $STANDIN_STATE so a second run sees what the first one created. Knobs:
#   STANDIN_HELM_VERSION (v3.15.4)  STANDIN_DOCKER_DOWN=1  STANDIN_DOCKER_AI=1  STANDIN_CONTEXT (minikube)
#   STANDIN_FAIL="<tool> <args prefix>" makes a matching call exit 1.
set -euo pipefail
tool="$(basename "$0")"
state="${STANDIN_STATE:?STANDIN_STATE must be set}"
mkdir -p "$state"

line="$tool"
for arg in "$@"; do
  line+=" $(printf '%s' "$arg" | base64 | tr -d '\n')"
done
echo "$line" >>"${STANDIN_LOG:?STANDIN_LOG must be set}"

if [[ -n "${STANDIN_FAIL:-}" && "$tool $*" == "$STANDIN_FAIL"* ]]; then
  echo "$tool: injected failure" >&2
  exit 1
fi

# Drop global flags that only select the cluster, so the cases below see the subcommand first.
args=()
while (($#)); do
  case "$1" in
  -p | --profile | --context | --kube-context | -n | --namespace | --kubeconfig)
    [[ "$1" == "-n" || "$1" == "--namespace" ]] && echo "$2" >"$state/.last-namespace"
    shift 2
    ;;
  *)
    args+=("$1")
    shift
    ;;
  esac
done
set -- ${args[@]+"${args[@]}"}
ns="$(cat "$state/.last-namespace" 2>/dev/null || echo default)"
rm -f "$state/.last-namespace"

# flag_value NAME ARGS...: value of --NAME=VALUE or --NAME VALUE.
flag_value() {
  local name="$1"
  shift
  while (($#)); do
    case "$1" in
    "--$name="*) echo "${1#*=}" && return ;;
    "--$name") echo "$2" && return ;;
    esac
    shift
  done
}

case "$tool" in
minikube)
  case "${1:-}" in
  status)
    if [[ -f "$state/minikube-running" ]]; then
      printf 'minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\n'
    else
      printf 'minikube\ntype: Control Plane\nhost: Stopped\n'
      exit 7
    fi
    ;;
  start) touch "$state/minikube-running" && echo "Done! kubectl is now configured to use \"minikube\"" ;;
  ip) echo "192.168.49.2" ;;
  addons) echo "The '${3:-addon}' addon is enabled" ;;
  image) echo "Successfully built image" ;;
  service) echo "http://127.0.0.1:54321" ;;
  *) : ;;
  esac
  ;;
kubectl)
  # get KIND -l instance=R,name=C -o jsonpath=…: the name the chart gives that object of release R when
  # R is installed (R-C when R contains "todo-chatbot", else R-todo-chatbot-C); none for a cronjob with
  # STANDIN_NO_CRONJOB (installed without backups).
  if [[ "${1:-}" == get && " $* " == *" -l "* ]]; then
    selector=""
    prev=""
    for arg in "$@"; do
      [[ "$prev" == "-l" ]] && selector="$arg"
      prev="$arg"
    done
    release="$(echo "$selector" | sed -n 's/.*app.kubernetes.io\/instance=\([^,]*\).*/\1/p')"
    component="$(echo "$selector" | sed -n 's/.*app.kubernetes.io\/name=\([^,]*\).*/\1/p')"
    [[ -f "$state/release-$release" ]] || exit 0
    [[ "$release" == *todo-chatbot* ]] || release="$release-todo-chatbot"
    [[ "$2" == cronjob && -n "${STANDIN_NO_CRONJOB:-}" ]] || echo "$release-$component"
    exit 0
  fi
  case "${1:-} ${2:-}" in
  "get namespace")
    [[ -f "$state/namespace-$3" ]] || {
      echo "Error from server (NotFound): namespaces \"$3\" not found" >&2
      exit 1
    }
    echo "NAME STATUS" && echo "$3 Active"
    ;;
  "create namespace") touch "$state/namespace-$3" && echo "namespace/$3 created" ;;
  "delete namespace") rm -f "$state/namespace-$3" && echo "namespace \"$3\" deleted" ;;
  "get secret")
    [[ -f "$state/secret-$ns-$3" ]] || {
      echo "Error from server (NotFound): secrets \"$3\" not found" >&2
      exit 1
    }
    echo "$3 Opaque 2 1m"
    ;;
  "create secret")
    file="$(flag_value from-env-file "$@")"
    cp "$file" "$state/secret-$ns-$4"
    echo "secret/$4 created"
    ;;
  "patch secret")
    file="$(flag_value patch-file "$@")"
    n="$(find "$state" -name "patch-$ns-$3-*" | wc -l)"
    cp "$file" "$state/patch-$ns-$3-$((n + 1)).json"
    echo "secret/$3 patched"
    ;;
  "get cronjob")
    [[ -z "${STANDIN_NO_CRONJOB:-}" ]] || {
      echo "Error from server (NotFound): cronjobs.batch \"$3\" not found" >&2
      exit 1
    }
    echo "$3 0 3 * * * False 0 1h 1d"
    ;;
  "create job") echo "job.batch/$3 created" ;;
  "wait --for=condition=complete") echo "${3:-job} condition met" ;;
  "config view") printf 'apiVersion: v1\nkind: Config\ncurrent-context: minikube\n' ;;
  "config current-context") echo "${STANDIN_CONTEXT:-minikube}" ;;
  "get nodes") echo "172.18.0.2" ;;
  "get pods")
    if [[ " $* " == *" -o jsonpath="* ]]; then
      printf 'todo-chatbot-backend-7d9 false\ntodo-chatbot-frontend-5c8 true\n'
    else
      echo "NAME READY STATUS RESTARTS AGE" && echo "todo-chatbot-backend-7d9 0/1 CrashLoopBackOff 4 3m"
    fi
    ;;
  "logs "*) echo "2025-01-01T00:00:00Z {\"level\":\"info\",\"msg\":\"listening\"}" ;;
  # The backend Deployment as the chart renders it with in-cluster PostgreSQL, 2 replicas and no HPA.
  "get deployment")
    case "$*" in
    *'env[?(@.name=="DATABASE_URL")]'*)
      # shellcheck disable=SC2016 # $(POSTGRES_PASSWORD) is Kubernetes' expansion, printed as it is
      echo '{"name":"DATABASE_URL","value":"postgres://todo:$(POSTGRES_PASSWORD)@todo-chatbot-postgresql:5432/todo"}' ;;
    *'env[?(@.name=="POSTGRES_PASSWORD")]'*)
      echo '{"name":"POSTGRES_PASSWORD","valueFrom":{"secretKeyRef":{"name":"todo-chatbot-postgresql","key":"POSTGRES_PASSWORD"}}}' ;;
    *"{.spec.replicas}"*) echo 2 ;;
    *) echo "$3 2/2 2 2 1h" ;;
    esac
    ;;
  "get hpa")
    echo "Error from server (NotFound): horizontalpodautoscalers.autoscaling \"$3\" not found" >&2
    exit 1
    ;;
  # run POD … -i: what the pod was given on stdin is kept in the state (kubectl-run.stdin).
  "run "*) cat >"$state/kubectl-run.stdin" ;;
  *) echo "kubectl $* ok" ;;
  esac
  ;;
helm)
  case "${1:-}" in
  version) echo "${STANDIN_HELM_VERSION:-v3.15.4}" ;;
  status)
    [[ -f "$state/release-$2" ]] || {
      echo "Error: release: not found" >&2
      exit 1
    }
    echo "NAME: $2" && echo "STATUS: deployed"
    ;;
  upgrade)
    release="$2"
    [[ "$release" == "--install" ]] && release="$3"
    n=$(($(cat "$state/release-$release" 2>/dev/null || echo 0) + 1))
    echo "$n" >"$state/release-$release"
    echo "Release \"$release\" has been upgraded. Happy Helming!" && echo "REVISION: $n"
    ;;
  uninstall) rm -f "$state/release-$2" && echo "release \"$2\" uninstalled" ;;
  test) echo "TEST SUITE: $2-test" && echo "Phase: Succeeded" ;;
  *) echo "helm $* ok" ;;
  esac
  ;;
docker)
  case "${1:-} ${2:-}" in
  "info "*)
    [[ -z "${STANDIN_DOCKER_DOWN:-}" ]] || {
      echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
      exit 1
    }
    echo "Server Version: 27.0.0"
    ;;
  "ai "*)
    [[ -n "${STANDIN_DOCKER_AI:-}" ]] || {
      echo "docker: unknown command: docker ai" >&2
      exit 1
    }
    echo "Gordon: both Dockerfiles run as uid 1000; consider a smaller base image."
    ;;
  "image inspect")
    [[ -n "${STANDIN_LOCAL_IMAGES:-}" ]] || {
      echo "Error: No such image: $3" >&2
      exit 1
    }
    echo "user=1000 size=180000000 healthcheck={} entrypoint=null cmd=[\"node\"]"
    ;;
  "image history") printf '0B\tCMD ["node"]\n' ;;
  *) echo "docker $* ok" ;;
  esac
  ;;
kubectl-ai) echo "kubectl-ai: the backend pod is in CrashLoopBackOff because BETTER_AUTH_SECRET is missing." ;;
kagent)
  case "${1:-}" in
  invoke) echo "todo-ops: you have 2 pending tasks; all pods in todo-chatbot are ready." ;;
  *) echo "kagent $* ok" ;;
  esac
  ;;
*) echo "$tool $* ok" ;;
esac
