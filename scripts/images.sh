#!/usr/bin/env bash
# `make images`: builds todo-chatbot-backend (apps/api/Dockerfile) and todo-chatbot-frontend
# (apps/web/Dockerfile) from the repository root, each tagged `latest` and with the version from
# package.json, then prints each image's size and its app layers' size (image minus base).
#
# Env:
#   NODE_IMAGE   base image for every stage (default node:24-alpine; any Node 24 image, Alpine or Debian)
#   NPM_CA       path to a CA bundle (PEM) for npm behind a TLS-intercepting proxy; passed as the BuildKit
#                secret `npm_ca`, never stored in a layer
#   VERSION      version tag and label (default: "version" in package.json)
#   REVISION     revision label (default: git HEAD, "-dirty" when the tree has changes)
#   SOURCE       org.opencontainers.image.source label (default: git remote origin, else the project URL)
#   IMAGES       which to build: "backend frontend" (default), or one of them
#   DOCKER       the Docker client (default: Debian's /usr/bin/docker when present — it has BuildKit — else docker)
#   BACKEND_IMAGE / FRONTEND_IMAGE   image names (defaults todo-chatbot-backend / todo-chatbot-frontend)
# Extra arguments go to every `docker build` (e.g. --no-cache, --progress=plain).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_IMAGE="${NODE_IMAGE:-node:24-alpine}"
NPM_CA="${NPM_CA:-}"
BACKEND_IMAGE="${BACKEND_IMAGE:-todo-chatbot-backend}"
FRONTEND_IMAGE="${FRONTEND_IMAGE:-todo-chatbot-frontend}"
IMAGES="${IMAGES:-backend frontend}"
if [[ -z "${DOCKER:-}" ]]; then
  if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
fi
export DOCKER_BUILDKIT=1

version_from_package() {
  sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' package.json | head -n 1
}
VERSION="${VERSION:-$(version_from_package)}"
[[ -n "$VERSION" ]] || { echo "images: no version in package.json (set VERSION)" >&2; exit 1; }
if [[ -z "${REVISION:-}" ]]; then
  REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  if [[ "$REVISION" != unknown ]] && [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    REVISION="$REVISION-dirty"
  fi
fi
if [[ -z "${SOURCE:-}" ]]; then
  SOURCE="$(git config --get remote.origin.url 2>/dev/null || true)"
  # never put credentials from a remote URL into a label
  SOURCE="$(echo "$SOURCE" | sed -E 's#^(https?://)[^/@]*@#\1#')"
  case "$SOURCE" in
  http*://*) ;;
  *) SOURCE="https://github.com/todo-chatbot/todo-chatbot" ;;
  esac
fi

secret_args=()
if [[ -n "$NPM_CA" ]]; then
  [[ -r "$NPM_CA" ]] || { echo "images: NPM_CA=$NPM_CA is not a readable file" >&2; exit 1; }
  secret_args=(--secret "id=npm_ca,src=$NPM_CA")
fi

image_bytes() { "$DOCKER" image inspect -f '{{.Size}}' "$1" 2>/dev/null || echo ""; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

echo "==> images: version $VERSION, revision $REVISION, base $NODE_IMAGE${NPM_CA:+, npm CA $NPM_CA}"
start_all=$SECONDS
built=()
for which in $IMAGES; do
  case "$which" in
  backend) name="$BACKEND_IMAGE" dockerfile=apps/api/Dockerfile ;;
  frontend) name="$FRONTEND_IMAGE" dockerfile=apps/web/Dockerfile ;;
  *) echo "images: unknown image '$which' (backend or frontend)" >&2; exit 2 ;;
  esac
  echo "==> $name ($dockerfile)"
  start=$SECONDS
  "$DOCKER" build -f "$dockerfile" \
    --build-arg "NODE_IMAGE=$NODE_IMAGE" \
    --build-arg "VERSION=$VERSION" \
    --build-arg "REVISION=$REVISION" \
    --build-arg "SOURCE=$SOURCE" \
    ${secret_args[@]+"${secret_args[@]}"} \
    -t "$name:latest" -t "$name:$VERSION" \
    "$@" .
  echo "<== $name built in $((SECONDS - start))s"
  built+=("$name")
done

base_bytes="$(image_bytes "$NODE_IMAGE")"
echo
if [[ -n "$base_bytes" ]]; then
  echo "==> sizes (base $NODE_IMAGE: $(mb "$base_bytes"))"
else
  echo "==> sizes (base $NODE_IMAGE: not present locally, app layers unknown)"
fi
for name in "${built[@]}"; do
  bytes="$(image_bytes "$name:latest")"
  if [[ -n "$base_bytes" ]]; then
    printf '    %-30s %9s  (app layers %s)\n' "$name:$VERSION" "$(mb "$bytes")" "$(mb $((bytes - base_bytes)))"
  else
    printf '    %-30s %9s\n' "$name:$VERSION" "$(mb "$bytes")"
  fi
done
echo "==> images done (total $((SECONDS - start_all))s)"
