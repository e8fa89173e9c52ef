#!/usr/bin/env bash
# Makes sure a Docker engine with BuildKit answers on this machine, idempotently:
#   - installs docker.io (engine + Debian's client with BuildKit), debootstrap (for the stand-in base
#     images, ../shared/tools/standin-images) and, when no Compose is present, Debian's docker-compose
#     (v1.29: Debian 12 has no Compose v2 package) with apt-get when they are missing (root only);
#   - starts dockerd in the background when `docker info` fails, logging to $DOCKERD_LOG;
#   - waits until the engine answers (DOCKER_WAIT seconds, default 60).
# Prints the client to use (Debian's /usr/bin/docker when present: the preinstalled /usr/local/bin/docker
# has no buildx, so BuildKit features like RUN --mount=type=secret need Debian's client with
# DOCKER_BUILDKIT=1).
# Usage: bash scripts/docker-engine.sh      (exit 0 when the engine answers)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
LOG_TAG=docker-engine
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKER_WAIT="${DOCKER_WAIT:-60}"

docker_client() {
  if [[ -x /usr/bin/docker ]]; then
    echo /usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then
    command -v docker
  fi
}

engine_answers() {
  local client
  client="$(docker_client)"
  [[ -n "$client" ]] && "$client" info >/dev/null 2>&1
}

apt_install() {
  if [[ "$(id -u)" != 0 ]]; then
    say "cannot install $* (not root): install them, then re-run"
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get: install $* yourself"
    exit 1
  fi
  say "apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  # update once per run, quietly; a stale index only matters when the install fails
  apt-get update -qq >/dev/null || say "apt-get update failed (continuing with the cached index)"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
[[ -x /usr/sbin/dockerd || -x /usr/bin/dockerd ]] || command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# Debian's client (with BuildKit) comes with docker.io; a machine that only has another client still needs it
[[ -x /usr/bin/docker ]] || [[ " ${missing[*]-} " == *" docker.io "* ]] || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [[ -x /usr/sbin/debootstrap ]] || missing+=(debootstrap)
# a Compose to validate and run compose.yaml: the v2 plugin when a client has it, else Debian's v1
if ! docker compose version >/dev/null 2>&1 && ! /usr/bin/docker compose version >/dev/null 2>&1 &&
  ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
if ((${#missing[@]})); then
  apt_install "${missing[@]}"
fi

# COMPOSE_V2=1: also build Docker Compose v2 (Debian 12 has no package) from its Go module into
# .tools/go/bin/docker-compose (ignored by git; ~8 min on 2 cores the first time, then reused).
COMPOSE_V2_VERSION="${COMPOSE_V2_VERSION:-v2.40.3}"
if [[ "${COMPOSE_V2:-}" == 1 ]]; then
  target="$ROOT/.tools/go/bin/docker-compose"
  if [[ -x "$target" ]] && "$target" version 2>/dev/null | grep -q "$COMPOSE_V2_VERSION"; then
    say "Compose $COMPOSE_V2_VERSION already in .tools/go/bin"
  else
    command -v go >/dev/null 2>&1 || { say "COMPOSE_V2=1 needs Go"; exit 1; }
    say "building Compose $COMPOSE_V2_VERSION from the Go module proxy into .tools/go/bin (slow the first time)"
    src="$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_V2_VERSION" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    work="$(mktemp -d)"
    cp -r "$src/." "$work/"
    chmod -R u+w "$work"
    mkdir -p "$(dirname "$target")"
    # built as the main module: `go install ...@version` refuses its replace/exclude directives
    (cd "$work" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_V2_VERSION" \
      -o "$target" ./cmd)
    rm -rf "$work"
  fi
fi

if engine_answers; then
  say "engine answers ($("$(docker_client)" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  docker_client
  exit 0
fi

# clear_stale_pid_file FILE NAME: removes FILE unless it names a live NAME. A machine restored from an
# image of one where the engine ran keeps /var/run/docker.pid, and dockerd then refuses to start ("pid
# file found").
clear_stale_pid_file() {
  [[ -f "$1" ]] || return 0
  live_pid "$1" "$2" >/dev/null && return 0
  say "removing the stale $1 (it names no running $2)"
  rm -f "$1"
}

dockerd_bin="$(command -v dockerd || echo /usr/sbin/dockerd)"
if pgrep -x dockerd >/dev/null 2>&1; then
  say "dockerd is running but not answering yet: waiting"
else
  clear_stale_pid_file "${DOCKERD_PIDFILE:-/var/run/docker.pid}" dockerd
  # dockerd's own containerd: with a live-looking pid here dockerd waits for that process instead
  clear_stale_pid_file "${DOCKERD_CONTAINERD_PIDFILE:-/var/run/docker/containerd/containerd.pid}" containerd
  say "starting $dockerd_bin in the background (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid + nohup: the engine outlives this script and the shell that ran it
  setsid nohup "$dockerd_bin" >>"$DOCKERD_LOG" 2>&1 </dev/null &
fi

for ((i = 0; i < DOCKER_WAIT; i++)); do
  if engine_answers; then
    say "engine answers after ${i}s ($("$(docker_client)" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    docker_client
    exit 0
  fi
  sleep 1
done
say "the engine did not answer within ${DOCKER_WAIT}s; last lines of $DOCKERD_LOG:"
tail -n 20 "$DOCKERD_LOG" >&2 || true
exit 1
