#!/usr/bin/env bash
# Builds the single-node CI cluster's parts from pinned upstream sources, once per version, into a cache
# outside the clone (CLUSTER_CACHE, default ~/.cache/todo-chatbot/cluster):
#   kubernetes-<v>/   kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy
#                     (k8s.io/kubernetes from the Go module proxy, version-stamped as hack/lib/version.sh does)
#   etcd-<v>/         etcd (go.etcd.io/etcd/server/v3's etcdmain behind a three-line main)
#   coredns-<v>/      coredns            local-path-provisioner-<v>/   local-path-provisioner
#   metrics-server-<v>/ metrics-server   pause-<v>/   pause (build/pause/linux/pause.c, gcc -static)
# A part is rebuilt only when its folder lacks the stamp of a finished build. Prints each part's time.
# Usage: bash scripts/cluster/build.sh [part...]     (default: every part)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=versions.sh
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"
LOG_TAG=cluster-build
export CGO_ENABLED=0 GOFLAGS=-mod=mod

# module_dir MODULE@VERSION: downloads it through the Go module proxy and prints its (read-only) folder.
module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# build_part NAME FUNCTION: runs FUNCTION with $out set, unless $out/.built exists.
build_part() {
  local name="$1" fn="$2" t0=$SECONDS
  out="$(part_dir "$name")"
  if [[ -f "$out/.built" ]]; then
    say "$name: cached in $out"
    return
  fi
  say "$name: building into $out"
  rm -rf "$out"
  mkdir -p "$out"
  "$fn"
  date -u +%FT%TZ >"$out/.built"
  say "$name: built in $((SECONDS - t0))s"
}

build_kubernetes() {
  local src work staging ldflags=() key val
  src="$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")"
  work="$(mktemp -d)"
  # A scratch module: k8s.io/kubernetes replaces its staging modules with ./staging paths that a
  # dependency cannot use, so each one is pinned to its published twin (v1.x.y -> v0.x.y).
  staging="v0${KUBERNETES_VERSION#v1}"
  {
    echo "module todo-chatbot.local/cluster"
    echo "go 1.25"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$src/go.mod" |
      while read -r mod; do echo "replace $mod => $mod $staging"; done
  } >"$work/go.mod"
  cat >"$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
  (cd "$work" && go mod tidy)
  local minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  for kv in "gitVersion=$KUBERNETES_VERSION" gitMajor=1 "gitMinor=$minor" gitTreeState=clean \
    "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
    key="${kv%%=*}" val="${kv#*=}"
    ldflags+=("-X k8s.io/component-base/version.$key=$val" "-X k8s.io/client-go/pkg/version.$key=$val")
  done
  (cd "$work" && go build -trimpath -tags tools -ldflags "-s -w ${ldflags[*]}" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
  gcc -static -O2 -DVERSION="$KUBERNETES_VERSION" -o "$out/pause" "$src/build/pause/linux/pause.c"
  rm -rf "$work"
}

build_etcd() {
  local work
  work="$(mktemp -d)"
  cat >"$work/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  printf 'module todo-chatbot.local/etcd\ngo 1.25\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$work/go.mod"
  (cd "$work" && go mod tidy && go build -trimpath -ldflags "-s -w" -o "$out/etcd" .)
  rm -rf "$work"
}

# build_main_module MODULE@VERSION PACKAGE BINARY: builds a program as its own main module (so its
# replace directives apply), from a writable copy of the module's source.
build_main_module() {
  local src work
  src="$(module_dir "$1")"
  work="$(mktemp -d)"
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  # -mod=mod (from GOFLAGS): a module zip's vendor/ folder is incomplete, so dependencies come from
  # the module proxy, checked against the module's go.sum
  (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$out/$3" "$2")
  rm -rf "$work"
}
# CoreDNS with only the plugins the cluster's Corefile names (CoreDNS's documented way to build a custom
# server: import coremain and the plugins, list the directives in plugin.cfg's order). The stock build
# carries every cloud provider's SDK and takes several times longer.
build_coredns() {
  local work
  work="$(mktemp -d)"
  cat >"$work/main.go" <<'GO'
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func init() {
	dnsserver.Directives = []string{"reload", "ready", "health", "errors", "log", "cache", "kubernetes", "loop"}
}

func main() { coremain.Run() }
GO
  printf 'module todo-chatbot.local/coredns\ngo 1.25\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" >"$work/go.mod"
  (cd "$work" && go mod tidy && go build -trimpath -ldflags "-s -w" -o "$out/coredns" .)
  rm -rf "$work"
}
build_local_path() { build_main_module "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION" . local-path-provisioner; }
build_metrics_server() {
  build_main_module "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION" ./cmd/metrics-server metrics-server
}

parts=("$@")
((${#parts[@]})) || parts=(kubernetes etcd coredns local-path-provisioner metrics-server)
for p in "${parts[@]}"; do
  case "$p" in
  kubernetes) build_part "kubernetes-$KUBERNETES_VERSION" build_kubernetes ;;
  etcd) build_part "etcd-$ETCD_VERSION" build_etcd ;;
  coredns) build_part "coredns-$COREDNS_VERSION" build_coredns ;;
  local-path-provisioner) build_part "local-path-provisioner-$LOCAL_PATH_VERSION" build_local_path ;;
  metrics-server) build_part "metrics-server-$METRICS_SERVER_VERSION" build_metrics_server ;;
  *)
    echo "unknown part '$p' (kubernetes etcd coredns local-path-provisioner metrics-server)" >&2
    exit 2
    ;;
  esac
done
