#!/usr/bin/env bash
# `make k8s-up`: the whole app on Minikube in one command, safe to re-run (a second run upgrades in place).
#   preflight → start Minikube if needed → addons → build both images inside the cluster → namespace →
#   app Secret (generated once, kept) → helm upgrade --install --wait → helm test → print the URL.
# Environment (all optional):
#   MINIKUBE_PROFILE (minikube)  MINIKUBE_DRIVER (docker)  MINIKUBE_CPUS (2)  MINIKUBE_MEMORY (4096, MiB or "4g")
#   INGRESS=1 (also enable the ingress addon and chart ingress; INGRESS_HOST, default todo-chatbot.local)
#   OPENAI_API_KEY (stored in the Secret; on later runs only this key is updated)
#   PUBLIC_URL (browser origin; default http://<minikube ip>:30080)   IMAGE_TAG (latest)
#   NODE_IMAGE (build arg for both Dockerfiles)  SKIP_BUILD=1  SKIP_TESTS=1  HELM_TIMEOUT (10m)
#   KAGENT (auto: let kagent reach the backend's /mcp when namespace KAGENT_NAMESPACE=kagent exists; 1/0 force)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

MINIKUBE_DRIVER="${MINIKUBE_DRIVER:-docker}"
MINIKUBE_CPUS="${MINIKUBE_CPUS:-2}"
MINIKUBE_MEMORY="${MINIKUBE_MEMORY:-4096}"
INGRESS="${INGRESS:-0}"
INGRESS_HOST="${INGRESS_HOST:-todo-chatbot.local}"
HELM_TIMEOUT="${HELM_TIMEOUT:-10m}"
KAGENT="${KAGENT:-auto}"
KAGENT_NAMESPACE="${KAGENT_NAMESPACE:-kagent}"
MIN_HELM_MAJOR=3
MIN_HELM_MINOR=14

step "Preflight: tools"
require_tools docker minikube kubectl helm
require_helm_version "$MIN_HELM_MAJOR" "$MIN_HELM_MINOR"
if [[ "$MINIKUBE_DRIVER" == "docker" ]] && ! docker info >/dev/null 2>&1; then
  die "Docker is installed but its daemon is not answering ('docker info' failed): start Docker Desktop, or 'sudo systemctl start docker' on Linux"
fi

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
  mk start --driver="$MINIKUBE_DRIVER" --cpus="$MINIKUBE_CPUS" --memory="$want_mib"
fi

step "Minikube addons"
mk addons enable metrics-server
if [[ "$INGRESS" == "1" ]]; then
  mk addons enable ingress
fi

if [[ "${SKIP_BUILD:-0}" == "1" ]]; then
  step "Images: skipped (SKIP_BUILD=1)"
else
  # `minikube image build` builds with the cluster's own container runtime, so the images exist on the
  # node (on every node of a multi-node cluster) without a registry; flags from
  # minikube cmd/minikube/cmd/image.go (-t/--tag, -f/--file, --build-env, --build-opt). The Dockerfiles
  # use RUN --mount (cache, optional secret), so BuildKit is requested explicitly.
  build_opts=(--build-env=DOCKER_BUILDKIT=1)
  if [[ -n "${NODE_IMAGE:-}" ]]; then
    build_opts+=("--build-opt=build-arg=NODE_IMAGE=$NODE_IMAGE")
  fi
  step "Image $BACKEND_IMAGE:$IMAGE_TAG (built in the cluster)"
  mk image build -t "$BACKEND_IMAGE:$IMAGE_TAG" -f apps/api/Dockerfile "${build_opts[@]}" .
  step "Image $FRONTEND_IMAGE:$IMAGE_TAG (built in the cluster)"
  mk image build -t "$FRONTEND_IMAGE:$IMAGE_TAG" -f apps/web/Dockerfile "${build_opts[@]}" .
fi

step "Namespace $NAMESPACE"
if kc_quiet get namespace "$NAMESPACE" >/dev/null 2>&1; then
  log "exists"
else
  kc create namespace "$NAMESPACE"
fi

step "App Secret $APP_SECRET"
# Secrets travel in mode-600 files, never as arguments (which `ps` shows to every user).
make_secret_dir
if [[ -n "${OPENAI_API_KEY:-}" ]]; then
  check_api_key OPENAI_API_KEY "$OPENAI_API_KEY"
fi
if kc_quiet -n "$NAMESPACE" get secret "$APP_SECRET" >/dev/null 2>&1; then
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
else
  public_url="${PUBLIC_URL:-http://$(minikube -p "$MINIKUBE_PROFILE" ip):$FRONTEND_NODE_PORT}"
fi

if [[ "$KAGENT" == "auto" ]]; then
  KAGENT=0
  if kc_quiet get namespace "$KAGENT_NAMESPACE" >/dev/null 2>&1; then
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
hm "${helm_args[@]}"

# Same tag, new content: an upgrade alone would not replace running pods, so restart them.
if ((already_installed)) && [[ "$IMAGE_TAG" == "latest" && "${SKIP_BUILD:-0}" != "1" ]]; then
  step "Roll out the rebuilt images"
  kc -n "$NAMESPACE" rollout restart deployment "$RELEASE-backend" "$RELEASE-frontend"
  kc -n "$NAMESPACE" rollout status deployment "$RELEASE-backend" --timeout=5m
  kc -n "$NAMESPACE" rollout status deployment "$RELEASE-frontend" --timeout=5m
fi

if [[ "${SKIP_TESTS:-0}" == "1" ]]; then
  step "Helm test: skipped (SKIP_TESTS=1)"
else
  step "Helm test $RELEASE"
  hm test "$RELEASE" -n "$NAMESPACE" --logs
fi

finish "Todo Chatbot is up: $public_url"
if [[ "$MINIKUBE_DRIVER" == "docker" && "$INGRESS" != "1" ]]; then
  cat <<EOF
    With the docker driver on macOS or Windows the node IP is not reachable from the host. Either run
      minikube -p $MINIKUBE_PROFILE service $RELEASE-frontend -n $NAMESPACE --url
    (keeps a tunnel open and prints a 127.0.0.1 URL), or use a fixed port forward:
      kubectl --context $KUBE_CONTEXT -n $NAMESPACE port-forward service/$RELEASE-frontend 3000:3000
    and re-run with PUBLIC_URL=http://localhost:3000 so sign-in accepts that origin. See docs/minikube.md.
EOF
fi
if [[ "$INGRESS" == "1" ]]; then
  echo "    Ingress: point $INGRESS_HOST at \$(minikube -p $MINIKUBE_PROFILE ip) in /etc/hosts (or run 'minikube tunnel')."
fi
