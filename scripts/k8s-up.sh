#!/usr/bin/env bash
# `make k8s-up`: the whole app on Kubernetes in one command, safe to re-run (a second run upgrades in place).
#   preflight → (Minikube: start it if needed, addons) → build both images and make them available to
#   the cluster → namespace (Pod Security "restricted") → app Secret (generated once, kept) →
#   helm upgrade --install --wait → helm test → print the URL.
# K8S_TARGET=minikube (default) or current: any cluster kubectl's current context points to (kind, k3d,
# Docker Desktop, a remote cluster, `make cluster-up`'s); the Minikube steps are skipped and images are
# loaded the way that cluster needs (IMAGE_LOAD, detected from the context name):
#   minikube  `minikube image build` inside the node          kind  `kind load docker-image`
#   k3d       `k3d image import`                               ctr   `docker save | ctr -n k8s.io images import`
#   none      nothing: the images are already pullable (set BACKEND_IMAGE/FRONTEND_IMAGE to registry names)
# Environment (all optional):
#   MINIKUBE_PROFILE (minikube)  MINIKUBE_DRIVER (docker)  MINIKUBE_CPUS (2)  MINIKUBE_MEMORY (4096, MiB or "4g")
#   K8S_TARGET (minikube|current)  KUBE_CONTEXT  IMAGE_LOAD  CTR_ADDRESS (containerd socket for IMAGE_LOAD=ctr)
#   POD_SECURITY (restricted: the namespace's pod-security.kubernetes.io/enforce level)
#   INGRESS=1 (also enable the ingress addon and chart ingress; INGRESS_HOST, default todo-chatbot.local)
#   OPENAI_API_KEY (stored in the Secret; on later runs only this key is updated)
#   PUBLIC_URL (browser origin; default http://<node ip>:30080)   IMAGE_TAG (latest)   VALUES (extra -f files)
#   NODE_IMAGE (build arg for both Dockerfiles)  SKIP_BUILD=1  SKIP_TESTS=1  HELM_TIMEOUT (10m)
#   LOAD_IMAGES (more local images to load with kind/k3d/ctr, e.g. a PostgreSQL image the cluster cannot pull)
#   KAGENT (auto: let kagent reach the backend's /mcp when namespace KAGENT_NAMESPACE=kagent exists; 1/0 force)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pin_kube_context
cd "$ROOT"

MINIKUBE_DRIVER="${MINIKUBE_DRIVER:-docker}"
MINIKUBE_CPUS="${MINIKUBE_CPUS:-2}"
MINIKUBE_MEMORY="${MINIKUBE_MEMORY:-4096}"
INGRESS="${INGRESS:-0}"
INGRESS_HOST="${INGRESS_HOST:-todo-chatbot.local}"
HELM_TIMEOUT="${HELM_TIMEOUT:-10m}"
KAGENT="${KAGENT:-auto}"
KAGENT_NAMESPACE="${KAGENT_NAMESPACE:-kagent}"
POD_SECURITY="${POD_SECURITY:-restricted}"
MIN_HELM_MAJOR=3
MIN_HELM_MINOR=14

if [[ -z "${IMAGE_LOAD:-}" ]]; then
  case "$K8S_TARGET:$KUBE_CONTEXT" in
  minikube:*) IMAGE_LOAD=minikube ;;
  *:kind-*) IMAGE_LOAD=kind ;;
  *:k3d-*) IMAGE_LOAD=k3d ;;
  *:todo-ci) IMAGE_LOAD=ctr ;;
  *) IMAGE_LOAD=none ;;
  esac
fi
case "$IMAGE_LOAD" in
minikube | kind | k3d | ctr | none) ;;
*) die "IMAGE_LOAD='$IMAGE_LOAD' is not one of: minikube, kind, k3d, ctr, none" ;;
esac
[[ "$IMAGE_LOAD" != minikube || "$K8S_TARGET" == minikube ]] ||
  die "IMAGE_LOAD=minikube needs K8S_TARGET=minikube"
CTR_ADDRESS="${CTR_ADDRESS:-$CLUSTER_STATE/containerd/containerd.sock}"
build_images=1
if [[ "${SKIP_BUILD:-0}" == 1 || "$IMAGE_LOAD" == none ]]; then
  build_images=0
fi

step "Preflight: tools (target $K8S_TARGET, context $KUBE_CONTEXT, images: $IMAGE_LOAD)"
tools=(kubectl helm)
[[ "$K8S_TARGET" == minikube ]] && tools+=(docker minikube)
if [[ "$K8S_TARGET" != minikube ]] && ((build_images)); then
  tools+=(docker)
  case "$IMAGE_LOAD" in
  kind | k3d) tools+=("$IMAGE_LOAD") ;;
  ctr) tools+=(ctr) ;;
  esac
fi
require_tools "${tools[@]}"
require_helm_version "$MIN_HELM_MAJOR" "$MIN_HELM_MINOR"
if [[ " ${tools[*]} " == *" docker "* && ("$K8S_TARGET" != minikube || "$MINIKUBE_DRIVER" == docker) ]] &&
  ! docker info >/dev/null 2>&1; then
  die "Docker is installed but its daemon is not answering ('docker info' failed): start Docker Desktop, or 'sudo systemctl start docker' on Linux"
fi
if [[ "$K8S_TARGET" != minikube ]]; then
  kubectl_ctx_quiet get --raw /readyz >/dev/null 2>&1 ||
    die "the cluster of context '$KUBE_CONTEXT' does not answer (kubectl --context $KUBE_CONTEXT get --raw /readyz failed)"
  log "cluster of context $KUBE_CONTEXT answers"
fi

if [[ "$K8S_TARGET" == minikube ]]; then
  step "Minikube cluster (profile $MINIKUBE_PROFILE)"
  if minikube -p "$MINIKUBE_PROFILE" status >/dev/null 2>&1; then
    log "already running; keeping it (free-memory check skipped)"
  else
    want_mib="$(to_mib "$MINIKUBE_MEMORY")"
    [[ -n "$want_mib" ]] || die "MINIKUBE_MEMORY='$MINIKUBE_MEMORY' is not a size (use MiB like 4096, or 4g)"
    free_mib="$(available_mib)"
    if [[ -z "$free_mib" ]]; then
      log "cannot read free memory on this system; make sure $want_mib MiB are available to $MINIKUBE_DRIVER"
    elif ((free_mib < want_mib)); then
      die "only $free_mib MiB of memory available, Minikube needs $want_mib MiB: close other apps or lower MINIKUBE_MEMORY (3072 is the practical minimum)"
    else
      log "free memory: $free_mib MiB (need $want_mib MiB)"
    fi
    minikube_profile start --driver="$MINIKUBE_DRIVER" --cpus="$MINIKUBE_CPUS" --memory="$want_mib"
  fi

  step "Minikube addons"
  minikube_profile addons enable metrics-server
  if [[ "$INGRESS" == "1" ]]; then
    minikube_profile addons enable ingress
  fi
fi

images=("$BACKEND_IMAGE:$IMAGE_TAG" "$FRONTEND_IMAGE:$IMAGE_TAG")
# shellcheck disable=SC2206 # LOAD_IMAGES is a space-separated list of image references
extra_images=(${LOAD_IMAGES:-})
if ((!build_images)); then
  step "Images: not built (${SKIP_BUILD:+SKIP_BUILD=1, }IMAGE_LOAD=$IMAGE_LOAD: the cluster must find ${images[*]})"
elif [[ "$IMAGE_LOAD" == minikube ]]; then
  # `minikube image build` builds with the cluster's own container runtime, so the images exist on the
  # node (on every node of a multi-node cluster) without a registry; flags from
  # minikube cmd/minikube/cmd/image.go (-t/--tag, -f/--file, --build-env, --build-opt). The Dockerfiles
  # use RUN --mount (cache, optional secret), so BuildKit is requested explicitly.
  build_opts=(--build-env=DOCKER_BUILDKIT=1)
  if [[ -n "${NODE_IMAGE:-}" ]]; then
    build_opts+=("--build-opt=build-arg=NODE_IMAGE=$NODE_IMAGE")
  fi
  step "Image $BACKEND_IMAGE:$IMAGE_TAG (built in the cluster)"
  minikube_profile image build -t "$BACKEND_IMAGE:$IMAGE_TAG" -f apps/api/Dockerfile "${build_opts[@]}" .
  step "Image $FRONTEND_IMAGE:$IMAGE_TAG (built in the cluster)"
  minikube_profile image build -t "$FRONTEND_IMAGE:$IMAGE_TAG" -f apps/web/Dockerfile "${build_opts[@]}" .
else
  step "Images ${images[*]} (docker build)"
  image_env=("BACKEND_IMAGE=$BACKEND_IMAGE" "FRONTEND_IMAGE=$FRONTEND_IMAGE")
  [[ "$IMAGE_TAG" == latest ]] || image_env+=("VERSION=$IMAGE_TAG")
  run env "${image_env[@]}" bash scripts/images.sh
  step "Images into the cluster ($IMAGE_LOAD)"
  images+=(${extra_images[@]+"${extra_images[@]}"})
  case "$IMAGE_LOAD" in
  kind) run kind load docker-image --name "${KIND_CLUSTER:-${KUBE_CONTEXT#kind-}}" "${images[@]}" ;;
  k3d) run k3d image import --cluster "${K3D_CLUSTER:-${KUBE_CONTEXT#k3d-}}" "${images[@]}" ;;
  ctr) ctr_import "$CTR_ADDRESS" "${images[@]}" ;;
  esac
fi

step "Namespace $NAMESPACE (Pod Security: $POD_SECURITY)"
ensure_namespace "$NAMESPACE"
# Every pod of the chart (helm test and the backup/restore pods included) meets "restricted"; the
# API server refuses any pod that does not.
kubectl_ctx label --overwrite namespace "$NAMESPACE" "pod-security.kubernetes.io/enforce=$POD_SECURITY" \
  "pod-security.kubernetes.io/warn=$POD_SECURITY"

step "App Secret $APP_SECRET"
# Secrets travel in mode-600 files, never as arguments (which `ps` shows to every user).
make_secret_dir
if [[ -n "${OPENAI_API_KEY:-}" ]]; then
  check_api_key OPENAI_API_KEY "$OPENAI_API_KEY"
fi
if kubectl_ctx_quiet -n "$NAMESPACE" get secret "$APP_SECRET" >/dev/null 2>&1; then
  log "exists; keeping BETTER_AUTH_SECRET (changing it would make stored signing keys unreadable)"
  if [[ -n "${OPENAI_API_KEY:-}" ]]; then
    echo "OPENAI_API_KEY=$OPENAI_API_KEY" | write_secret_file "$SECRET_DIR/openai.env"
    patch_secret "$NAMESPACE" "$APP_SECRET" "$SECRET_DIR/openai.env"
  fi
else
  {
    echo "BETTER_AUTH_SECRET=$(random_hex 32)"
    if [[ -n "${OPENAI_API_KEY:-}" ]]; then
      echo "OPENAI_API_KEY=$OPENAI_API_KEY"
    fi
  } | write_secret_file "$SECRET_DIR/app.env"
  create_secret "$NAMESPACE" "$APP_SECRET" "$SECRET_DIR/app.env"
  if [[ -z "${OPENAI_API_KEY:-}" ]]; then
    log "no OPENAI_API_KEY given: the chat uses the offline agent (re-run with OPENAI_API_KEY=... to switch)"
  fi
fi

if [[ "$INGRESS" == "1" ]]; then
  public_url="${PUBLIC_URL:-http://$INGRESS_HOST}"
elif [[ -n "${PUBLIC_URL:-}" ]]; then
  public_url="$PUBLIC_URL"
elif [[ "$K8S_TARGET" == minikube ]]; then
  public_url="http://$(minikube -p "$MINIKUBE_PROFILE" ip):$FRONTEND_NODE_PORT"
else
  node_ip="$(kubectl_ctx_quiet get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')"
  [[ -n "$node_ip" ]] || die "could not read a node's InternalIP for the URL: set PUBLIC_URL"
  public_url="http://$node_ip:$FRONTEND_NODE_PORT"
fi

if [[ "$KAGENT" == "auto" ]]; then
  KAGENT=0
  if kubectl_ctx_quiet get namespace "$KAGENT_NAMESPACE" >/dev/null 2>&1; then
    KAGENT=1
  fi
fi

step "Helm upgrade --install $RELEASE"
already_installed=0
if helm --kube-context "$KUBE_CONTEXT" -n "$NAMESPACE" status "$RELEASE" >/dev/null 2>&1; then
  already_installed=1
fi
helm_args=(
  upgrade --install "$RELEASE" "$CHART_DIR"
  -n "$NAMESPACE"
  -f "$CHART_DIR/values-minikube.yaml"
  --set "secrets.existingSecret=$APP_SECRET"
  --set "publicUrl=$public_url"
)
for extra in ${VALUES:-}; do
  helm_args+=(-f "$extra")
done
if [[ "$IMAGE_TAG" != "latest" ]]; then
  helm_args+=(--set "backend.image.tag=$IMAGE_TAG" --set "frontend.image.tag=$IMAGE_TAG")
fi
if [[ "$INGRESS" == "1" ]]; then
  helm_args+=(--set "ingress.enabled=true" --set "ingress.host=$INGRESS_HOST")
fi
if [[ "$KAGENT" == "1" ]]; then
  # The chart's NetworkPolicy then admits kagent's agents to the backend (for /mcp).
  helm_args+=(--set "kagent.enabled=true" --set "kagent.namespace=$KAGENT_NAMESPACE")
fi
helm_args+=(--wait --timeout "$HELM_TIMEOUT")
helm_ctx "${helm_args[@]}"

# Same tag, new content: an upgrade alone would not replace running pods, so restart them.
if ((already_installed)) && [[ "$IMAGE_TAG" == "latest" && "${SKIP_BUILD:-0}" != "1" ]]; then
  step "Roll out the rebuilt images"
  # The release's own Deployments, found by their labels (the chart decides their names).
  rebuilt="app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/component in (backend,frontend)"
  kubectl_ctx -n "$NAMESPACE" rollout restart deployment -l "$rebuilt"
  kubectl_ctx -n "$NAMESPACE" rollout status deployment -l "$rebuilt" --timeout=5m
fi

# With llm.ollama.enabled the model download is a Job helm does not wait for (it may take long); the
# chat turn in helm test needs the model, so wait for the download here, saying so.
pull_job="app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/component=ollama-pull"
if [[ -n "$(kubectl_ctx_quiet -n "$NAMESPACE" get jobs -l "$pull_job" -o name)" ]]; then
  step "Wait for the model download (the Ollama pull Job)"
  kubectl_ctx -n "$NAMESPACE" wait --for=condition=complete job -l "$pull_job" --timeout="$HELM_TIMEOUT"
fi

if [[ "${SKIP_TESTS:-0}" == "1" ]]; then
  step "Helm test: skipped (SKIP_TESTS=1)"
else
  step "Helm test $RELEASE"
  helm_ctx test "$RELEASE" -n "$NAMESPACE" --logs
fi

finish "Todo Chatbot is up: $public_url"
if [[ "$K8S_TARGET" == minikube && "$MINIKUBE_DRIVER" == "docker" && "$INGRESS" != "1" ]]; then
  frontend_service="$(release_object service frontend)"
  cat <<EOF
    With the docker driver on macOS or Windows the node IP is not reachable from the host. Either run
      minikube -p $MINIKUBE_PROFILE service $frontend_service -n $NAMESPACE --url
    (keeps a tunnel open and prints a 127.0.0.1 URL), or use a fixed port forward:
      kubectl --context $KUBE_CONTEXT -n $NAMESPACE port-forward service/$frontend_service 3000:3000
    and re-run with PUBLIC_URL=http://localhost:3000 so sign-in accepts that origin. See docs/minikube.md.
EOF
fi
if [[ "$K8S_TARGET" == minikube && "$INGRESS" == "1" ]]; then
  echo "    Ingress: point $INGRESS_HOST at \$(minikube -p $MINIKUBE_PROFILE ip) in /etc/hosts (or run 'minikube tunnel')."
fi
