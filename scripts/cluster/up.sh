#!/usr/bin/env bash
# `make cluster-up`: a real single-node Kubernetes on this machine, for CI and for laptops without
# Minikube: upstream etcd, kube-apiserver (Pod Security admission, service-account tokens, RBAC + Node
# authorisation), kube-controller-manager, kube-scheduler, kubelet on containerd (Debian's), kube-proxy
# (iptables), a CNI bridge (Debian's reference plugins), CoreDNS, a dynamic local-path StorageClass named
# `standard` (as on Minikube) and, unless METRICS_SERVER=0, metrics-server. Every image the cluster runs
# is built here (`pause` from Kubernetes' pause.c) and imported into containerd; nothing is pulled.
#
# Networking stays on addresses this script creates: the node is a port-less bridge with NODE_IP
# (10.201.0.1/32), pods live on the cni0 bridge (POD_CIDR), Services on SERVICE_CIDR, NodePorts answer
# only on NODE_IP. No component listens on or sends to the machine's own external address.
#
# Needs root, Go (builds run once, cached by version: scripts/cluster/build.sh), Docker (to turn the
# built binaries into local images) and apt-get for the Debian packages when they are missing.
# Safe to re-run: a running cluster is kept (the script checks it and exits).
# Env: CLUSTER_STATE (/var/lib/todo-chatbot-cluster)  NODE_IP  POD_CIDR  SERVICE_CIDR  METRICS_SERVER=1
# Prints: the kubeconfig path; `export KUBECONFIG=...` to use it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

[[ "$(id -u)" == 0 ]] || die "the cluster needs root (network interfaces, iptables, containerd, kubelet)"
[[ "$(uname -s)" == Linux ]] || die "the CI cluster runs on Linux only; on macOS or Windows use Minikube (make k8s-up)"

if cluster_answers; then
  step "Cluster already running"
  log "kubeconfig: $KUBECONFIG_FILE"
  finish "Cluster $CLUSTER_NAME is up (export KUBECONFIG=$KUBECONFIG_FILE)"
  exit 0
fi

step "Debian packages"
need=()
have containerd || need+=(containerd)
have runc || need+=(runc)
[[ -x "$CNI_BIN_DIR/bridge" ]] || need+=(containernetworking-plugins)
have iptables || need+=(iptables)
have conntrack || need+=(conntrack)
[[ -x /bin/busybox ]] || need+=(busybox-static)
have openssl || need+=(openssl)
if ((${#need[@]})); then
  run apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  log "present: containerd $(containerd --version | awk '{print $3}'), runc, CNI plugins, iptables, conntrack"
fi

step "Binaries (built once per version into $CLUSTER_CACHE)"
parts=(kubernetes etcd coredns local-path-provisioner)
[[ "$METRICS_SERVER" == 1 ]] && parts+=(metrics-server)
bash "$here/build.sh" "${parts[@]}"
have kubectl || die "kubectl is missing (bash scripts/tools.sh provisions one into .tools/bin)"

step "Node network: $NODE_IFACE $NODE_IP, pods $POD_CIDR, Services $SERVICE_CIDR"
mkdir -p "$CLUSTER_STATE"/{pki,logs,run,etcd,kubelet,local-path,cni/net.d,cni/ipam,containerd}
if ! ip link show "$NODE_IFACE" >/dev/null 2>&1; then
  run ip link add "$NODE_IFACE" type bridge
fi
ip addr show dev "$NODE_IFACE" | grep -q "inet $NODE_IP/" || run ip addr add "$NODE_IP/32" dev "$NODE_IFACE"
run ip link set "$NODE_IFACE" up
run sysctl -qw net.ipv4.ip_forward=1
# Bridged pod-to-pod packets must pass iptables, or a pod reaching a Service backed by a pod on the same
# bridge skips kube-proxy's rules.
[[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] || modprobe br_netfilter ||
  die "no br_netfilter (/proc/sys/net/bridge is missing and modprobe br_netfilter failed)"
run sysctl -qw net.bridge.bridge-nf-call-iptables=1

step "Certificates and keys ($CLUSTER_STATE/pki)"
write_pki

step "etcd $ETCD_VERSION"
start_daemon etcd "$(part_dir "etcd-$ETCD_VERSION")/etcd" \
  --name "$CLUSTER_NAME" --data-dir "$CLUSTER_STATE/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster "$CLUSTER_NAME=http://127.0.0.1:2380" \
  --listen-metrics-urls http://127.0.0.1:2381 --log-level warn
wait_for "etcd health" 30 curl -fsS http://127.0.0.1:2381/health

step "kube-apiserver $KUBERNETES_VERSION"
pki="$CLUSTER_STATE/pki"
# PodSecurity is in the default admission plugins; NodeRestriction keeps the kubelet to its own node.
start_daemon kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers=http://127.0.0.1:2379 \
  --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
  --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --enable-aggregator-routing=true --profiling=false
write_kubeconfigs
wait_for "kube-apiserver /readyz" 90 kubectl --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz

step "kube-controller-manager and kube-scheduler"
start_daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig="$CLUSTER_STATE/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$CLUSTER_STATE/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$CLUSTER_STATE/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --allocate-node-cidrs=true --cluster-cidr="$POD_CIDR" --node-cidr-mask-size=24 \
  --service-cluster-ip-range="$SERVICE_CIDR" --profiling=false
start_daemon kube-scheduler "$K8S_BIN/kube-scheduler" \
  --kubeconfig="$CLUSTER_STATE/scheduler.kubeconfig" \
  --authentication-kubeconfig="$CLUSTER_STATE/scheduler.kubeconfig" \
  --authorization-kubeconfig="$CLUSTER_STATE/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --profiling=false

step "containerd $(containerd --version | awk '{print $3}') with the CNI bridge"
write_containerd_config
start_daemon containerd containerd --config "$CLUSTER_STATE/containerd/config.toml"
wait_for "containerd" 30 ctr --address "$CONTAINERD_SOCK" version

step "Cluster images (built from the cached binaries, imported into containerd)"
build_cluster_images

step "kubelet and kube-proxy"
write_node_configs
start_daemon kubelet "$K8S_BIN/kubelet" \
  --config="$CLUSTER_STATE/kubelet.yaml" --kubeconfig="$CLUSTER_STATE/kubelet.kubeconfig" \
  --root-dir="$CLUSTER_STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP"
start_daemon kube-proxy "$K8S_BIN/kube-proxy" --config="$CLUSTER_STATE/kube-proxy.yaml"
wait_for "node $NODE_NAME Ready" 120 kctl wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s

step "Cluster add-ons: CoreDNS, local-path StorageClass 'standard', metrics-server unless METRICS_SERVER=0"
apply_addons

finish "Cluster $CLUSTER_NAME is up: export KUBECONFIG=$KUBECONFIG_FILE"
