#!/usr/bin/env bash
# `make cluster-down`: stops the CI cluster started by `make cluster-up`: every pod's containers, the
# kubelet, kube-proxy (and its iptables rules), containerd, the control plane and etcd, then removes
# the pod bridge and the node's interface. The state (etcd data, volumes under local-path,
# certificates, imported images) is kept, so `make cluster-up` brings the same cluster back with its
# releases and data. PURGE=1 deletes $CLUSTER_STATE as well.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

[[ "$(id -u)" == 0 ]] || die "stopping the cluster needs root"

step "kubelet"
stop_daemon kubelet

step "Pod containers"
if daemon_running containerd; then
  ctr_k8s() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }
  for task in $(ctr_k8s tasks ls -q); do
    ctr_k8s tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || log "task $task already stopped"
  done
  sleep 1
  for task in $(ctr_k8s tasks ls -q); do
    ctr_k8s tasks delete -f "$task" >/dev/null 2>&1 || warn "could not delete task $task"
  done
  for c in $(ctr_k8s containers ls -q); do
    ctr_k8s containers delete "$c" >/dev/null 2>&1 || warn "could not delete container $c"
  done
  log "containers removed"
fi

step "kube-proxy (and its iptables rules)"
stop_daemon kube-proxy
if [[ -x "$K8S_BIN/kube-proxy" ]]; then
  "$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || warn "kube-proxy --cleanup reported errors"
fi

step "containerd and the control plane"
for d in containerd kube-scheduler kube-controller-manager kube-apiserver etcd; do
  stop_daemon "$d"
done

step "Mounts, pod network namespaces and interfaces"
# Volume mounts the kubelet left (secrets, projected tokens) and the sandboxes' network namespaces.
if [[ -d "$CLUSTER_STATE" ]]; then
  awk -v root="$CLUSTER_STATE/" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r m; do umount -l "$m" || warn "could not unmount $m"; done
fi
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do
  ip netns delete "$ns" || warn "could not delete network namespace $ns"
done
for link in cni0 "$NODE_IFACE"; do
  if ip link show "$link" >/dev/null 2>&1; then
    run ip link delete "$link"
  fi
done
rm -f "$CLUSTER_STATE/cni/ipam/$CLUSTER_NAME"/10.* # stale address leases

if [[ "${PURGE:-0}" == 1 ]]; then
  step "Purge $CLUSTER_STATE (PURGE=1)"
  run rm -rf "$CLUSTER_STATE"
  finish "Cluster $CLUSTER_NAME removed with its state"
else
  finish "Cluster $CLUSTER_NAME stopped; state kept in $CLUSTER_STATE (PURGE=1 deletes it)"
fi
