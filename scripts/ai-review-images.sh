#!/usr/bin/env bash
# `make ai-review-images [PROMPT="..."]`: asks Gordon (Docker's AI agent, `docker ai`) to review both
# Dockerfiles and images against the image contract (docs/CONTRACTS.md, docs/docker.md). Without Gordon
# it runs the plain checks that cover the same ground: static Dockerfile checks, hadolint when installed,
# and `docker image inspect` / `docker image history` for images present in the local Docker daemon.
# Usage: scripts/ai-review-images.sh ["your own question for Gordon"]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

BACKEND_DOCKERFILE="${BACKEND_DOCKERFILE:-apps/api/Dockerfile}"
FRONTEND_DOCKERFILE="${FRONTEND_DOCKERFILE:-apps/web/Dockerfile}"
default_prompt="Review $BACKEND_DOCKERFILE and $FRONTEND_DOCKERFILE (images $BACKEND_IMAGE:$IMAGE_TAG and \
$FRONTEND_IMAGE:$IMAGE_TAG). Check: multi-stage build, runtime base from ARG NODE_IMAGE, no Alpine-only \
commands, runs as uid 1000, no dev dependencies and no secrets in any layer, works with a read-only root \
filesystem plus writable /tmp, a HEALTHCHECK, clean exit on SIGTERM, image size and layer caching. \
Answer with a prioritised list of concrete fixes; do not change files."
prompt="${*:-${PROMPT:-$default_prompt}}"

# Gordon's CLI: `docker ai "<prompt>"`, `-C/--working-dir`, `docker ai version`
# (https://docs.docker.com/ai/gordon/how-to/cli/). It ships with Docker Desktop 4.61+ (Beta features).
if have docker && docker ai version >/dev/null 2>&1; then
  step "Gordon image review (docker ai)"
  run docker ai -C "$ROOT" "$prompt"
  finish "Gordon review done"
  exit 0
fi

warn "Gordon is not available ('docker ai version' failed): it comes with Docker Desktop 4.61+ (Settings → Beta features → Enable Gordon)."
warn "Running the equivalent plain checks instead."

failures=0
check() { # check DESCRIPTION COMMAND...: PASS/FAIL line; a FAIL makes the script exit 1
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then
    echo "    PASS  $what"
  else
    echo "    FAIL  $what"
    failures=$((failures + 1))
  fi
}
absent() { ! grep -Eiq "$1" "$2"; }
multi_stage() { [[ "$(grep -Eic '^FROM[[:space:]]' "$1")" -ge 2 ]]; }

for dockerfile in "$BACKEND_DOCKERFILE" "$FRONTEND_DOCKERFILE"; do
  step "Static checks: $dockerfile"
  if [[ ! -f "$dockerfile" ]]; then
    echo "    FAIL  $dockerfile does not exist"
    failures=$((failures + 1))
    continue
  fi
  check "multi-stage build (two or more FROM)" multi_stage "$dockerfile"
  check "runtime base is ARG NODE_IMAGE" grep -Eq '^ARG[[:space:]]+NODE_IMAGE' "$dockerfile"
  check "runs as a non-root user (USER 1000 / node)" grep -Eq '^USER[[:space:]]+(1000|node)' "$dockerfile"
  check "has a HEALTHCHECK" grep -Eq '^HEALTHCHECK[[:space:]]' "$dockerfile"
  check "no Alpine-only commands (apk)" absent '(^|[[:space:]])apk[[:space:]]' "$dockerfile"
  check "no secrets baked in (ENV/ARG *SECRET*, *API_KEY*, *PASSWORD*)" \
    absent '^(ENV|ARG)[[:space:]]+[A-Z_]*(SECRET|API_KEY|PASSWORD)' "$dockerfile"
done

step "hadolint"
if have hadolint; then
  if ! run hadolint "$BACKEND_DOCKERFILE" "$FRONTEND_DOCKERFILE"; then
    failures=$((failures + 1))
  fi
else
  log "hadolint not installed — $(install_hint hadolint); then: hadolint $BACKEND_DOCKERFILE $FRONTEND_DOCKERFILE"
fi

for pair in "$BACKEND_IMAGE:$IMAGE_TAG=$BACKEND_DOCKERFILE" "$FRONTEND_IMAGE:$IMAGE_TAG=$FRONTEND_DOCKERFILE"; do
  image="${pair%%=*}"
  dockerfile="${pair#*=}"
  step "Image $image"
  if have docker && docker image inspect "$image" >/dev/null 2>&1; then
    run docker image inspect "$image" --format 'user={{.Config.User}} size={{.Size}} healthcheck={{json .Config.Healthcheck}} entrypoint={{json .Config.Entrypoint}} cmd={{json .Config.Cmd}}'
    run docker image history "$image" --format '{{.Size}}\t{{.CreatedBy}}'
  else
    log "not in the local Docker daemon (make k8s-up builds inside Minikube). To inspect it locally:"
    log "  docker build -t $image -f $dockerfile . && docker image inspect $image && docker image history $image"
  fi
done

if ((failures)); then
  finish "Image review: $failures check(s) failed"
  exit 1
fi
finish "Image review: all checks passed"
