#!/usr/bin/env bash
# The CI cluster's names, addresses and building blocks, shared by up.sh, down.sh and load-images.sh.
# Source it (do not run it). Every setting can be overridden from the environment.
# shellcheck disable=SC2034 # some variables are read by the scripts that source this file
_cluster_lib_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$_cluster_lib_dir/../lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=versions.sh
source "$_cluster_lib_dir/versions.sh"

CLUSTER_NAME="${CLUSTER_NAME:-todo-ci}"
NODE_NAME="${NODE_NAME:-todo-node}"
NODE_IFACE="${NODE_IFACE:-todo-node0}"
NODE_IP="${NODE_IP:-10.201.0.1}"
POD_CIDR="${POD_CIDR:-10.244.0.0/16}"
NODE_POD_CIDR="${NODE_POD_CIDR:-10.244.0.0/24}"
SERVICE_CIDR="${SERVICE_CIDR:-10.96.0.0/16}"
SERVICE_API_IP="${SERVICE_API_IP:-10.96.0.1}"
DNS_IP="${DNS_IP:-10.96.0.10}"
METRICS_SERVER="${METRICS_SERVER:-1}"
CNI_BIN_DIR="${CNI_BIN_DIR:-/usr/lib/cni}"
CONTAINERD_SOCK="$CLUSTER_STATE/containerd/containerd.sock"
KUBECONFIG_FILE="$CLUSTER_STATE/kubeconfig"
K8S_BIN="$(part_dir "kubernetes-$KUBERNETES_VERSION")"
# The sandbox image containerd starts every pod with: Kubernetes' pause.c, built here.
PAUSE_IMAGE="registry.k8s.io/pause:3.10.1"
IMAGE_PREFIX="todo-ci"
# The pieces run from the repository's .tools/bin when scripts/tools.sh provisioned kubectl there.
[[ -x "$ROOT/.tools/bin/kubectl" ]] && PATH="$ROOT/.tools/bin:$PATH"

kctl() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }

cluster_answers() {
  [[ -f "$KUBECONFIG_FILE" ]] &&
    kctl get --raw /readyz >/dev/null 2>&1 &&
    kctl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null |
    grep -qx True
}

# wait_for LABEL SECONDS CMD...: retries CMD each second until it succeeds; on timeout prints the
# newest lines of every component log and fails.
wait_for() {
  local label="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds; i++)); do
    if "$@" >/dev/null 2>&1; then
      log "$label: ready after ${i}s"
      return 0
    fi
    sleep 1
  done
  warn "$label: not ready after ${seconds}s; the components' last log lines:"
  local f
  for f in "$CLUSTER_STATE"/logs/*.log; do
    [[ -f "$f" ]] || continue
    echo "--- $f" >&2
    tail -n 15 "$f" >&2
  done
  die "$label did not become ready"
}

_pid_file() { echo "$CLUSTER_STATE/run/$1.pid"; }
# daemon_running NAME: the component's recorded pid is a live process of that name (a pid file from
# before a reboot or a machine image, whose number another process may now have, does not count).
daemon_running() { live_pid "$(_pid_file "$1")" "$1" >/dev/null; }

# stop_daemon NAME: SIGTERM, then SIGKILL after 10 s; a stale pid file is only removed.
stop_daemon() {
  local pid i
  if ! pid="$(live_pid "$(_pid_file "$1")" "$1")"; then
    rm -f "$(_pid_file "$1")"
    return 0
  fi
  log "stopping $1 (pid $pid)"
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 20; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1 did not stop within 10 s: SIGKILL"
    kill -9 "$pid"
  fi
  rm -f "$(_pid_file "$1")"
}

# start_daemon NAME BINARY ARGS...: (re)starts a component in the background, detached from this shell,
# logging to $CLUSTER_STATE/logs/NAME.log.
start_daemon() {
  local name="$1"
  shift
  stop_daemon "$name"
  log "starting $name (log: $CLUSTER_STATE/logs/$name.log)"
  setsid nohup "$@" >>"$CLUSTER_STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(_pid_file "$name")"
}

# ---- certificates ------------------------------------------------------------------------------------
# _cert NAME CN [O] [SANS]: an EC key and a certificate signed by the cluster CA (client and server use).
_cert() {
  local name="$1" cn="$2" org="${3:-}" sans="${4:-}" ca="${5:-ca}" dir="$CLUSTER_STATE/pki" subj
  [[ -f "$dir/$name.crt" ]] && return 0
  subj="/CN=$cn"
  [[ -n "$org" ]] && subj="/O=$org$subj"
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$name.key" 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subj" -out "$dir/$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n "$sans" ]] && echo "subjectAltName=$sans"
  } >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  chmod 600 "$dir/$name.key"
}
_ca() {
  local dir="$CLUSTER_STATE/pki"
  [[ -f "$dir/$1.crt" ]] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$1.key" 2>/dev/null
  openssl req -x509 -new -key "$dir/$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/$1.crt" 2>/dev/null
  chmod 600 "$dir/$1.key"
}
write_pki() {
  local dir="$CLUSTER_STATE/pki"
  umask 077
  _ca ca "$CLUSTER_NAME-ca"
  _ca front-proxy-ca "$CLUSTER_NAME-front-proxy-ca"
  _cert apiserver kube-apiserver "" \
    "IP:$NODE_IP,IP:$SERVICE_API_IP,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  _cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  _cert admin kubernetes-admin system:masters
  _cert controller-manager system:kube-controller-manager
  _cert scheduler system:kube-scheduler
  _cert kube-proxy system:kube-proxy
  _cert kubelet "system:node:$NODE_NAME" system:nodes "IP:$NODE_IP,DNS:$NODE_NAME"
  _cert front-proxy-client front-proxy-client "" "" front-proxy-ca
  if [[ ! -f "$dir/sa.key" ]]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$dir/sa.key" 2>/dev/null
    openssl ec -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  fi
  umask 022
  log "CA, component certificates and the service-account key pair in $dir"
}

# _kubeconfig FILE CERT_NAME: a kubeconfig for one identity, certificates embedded.
_kubeconfig() {
  local file="$1" id="$2" pki="$CLUSTER_STATE/pki"
  rm -f "$file"
  kubectl config --kubeconfig "$file" set-cluster "$CLUSTER_NAME" --server="https://$NODE_IP:6443" \
    --certificate-authority="$pki/ca.crt" --embed-certs=true >/dev/null
  kubectl config --kubeconfig "$file" set-credentials "$id" --client-certificate="$pki/$id.crt" \
    --client-key="$pki/$id.key" --embed-certs=true >/dev/null
  kubectl config --kubeconfig "$file" set-context "$CLUSTER_NAME" --cluster="$CLUSTER_NAME" --user="$id" >/dev/null
  kubectl config --kubeconfig "$file" use-context "$CLUSTER_NAME" >/dev/null
  chmod 600 "$file"
}
write_kubeconfigs() {
  _kubeconfig "$KUBECONFIG_FILE" admin
  _kubeconfig "$CLUSTER_STATE/controller-manager.kubeconfig" controller-manager
  _kubeconfig "$CLUSTER_STATE/scheduler.kubeconfig" scheduler
  _kubeconfig "$CLUSTER_STATE/kubelet.kubeconfig" kubelet
  _kubeconfig "$CLUSTER_STATE/kube-proxy.kubeconfig" kube-proxy
  log "kubeconfigs in $CLUSTER_STATE (admin: $KUBECONFIG_FILE, context $CLUSTER_NAME)"
}

# ---- node: containerd, CNI, kubelet, kube-proxy --------------------------------------------------------
write_containerd_config() {
  local d="$CLUSTER_STATE/containerd"
  cat >"$d/config.toml" <<EOF
version = 2
root = "$d/root"
state = "$d/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # No CAP_SYS_RESOURCE on these machines: a negative oom_score_adj (-998 for every pod sandbox) cannot
  # be set and runc fails. Clamp it to this process's own value, as rootless setups do.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$CLUSTER_STATE/cni/net.d"
EOF
  # bridge: pods on cni0 with the node's pod range; portmap for hostPort; firewall admits pod traffic
  # through a FORWARD chain that Docker's DROP policy would otherwise stop.
  cat >"$CLUSTER_STATE/cni/net.d/10-$CLUSTER_NAME.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$CLUSTER_NAME",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CLUSTER_STATE/cni/ipam",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } },
    { "type": "firewall" }
  ]
}
EOF
}

write_node_configs() {
  local pki="$CLUSTER_STATE/pki"
  # cgroup v1 machines: kubelet 1.35 refuses cgroup v1 unless failCgroupV1 is false. Image garbage
  # collection is off: every image here is imported, none can be pulled back.
  cat >"$CLUSTER_STATE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: $NODE_IP
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $pki/ca.crt
authorization:
  mode: Webhook
clusterDomain: cluster.local
clusterDNS:
  - $DNS_IP
resolvConf: ""
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 2%
  imagefs.available: 2%
serializeImagePulls: false
rotateCertificates: false
serverTLSBootstrap: false
EOF
  cat >"$CLUSTER_STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $CLUSTER_STATE/kube-proxy.kubeconfig
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
nodePortAddresses:
  - $NODE_IP/32
bindAddress: $NODE_IP
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
conntrack:
  maxPerCore: 0
EOF
}

# ---- images -------------------------------------------------------------------------------------------
# The Docker engine that turns the built binaries into images (started when it is not running).
docker_cli() { bash "$ROOT/scripts/docker-engine.sh"; }

# _scratch_image TAG DIR: a FROM scratch image of the files in DIR (a Dockerfile is written there).
_scratch_image() {
  local docker
  docker="$(docker_cli)"
  "$docker" build -q -t "$1" "$2" >/dev/null
}

build_cluster_images() {
  local work
  work="$(mktemp -d)"
  mkdir -p "$work"/{pause,coredns,local-path,busybox,metrics-server}
  cp "$K8S_BIN/pause" "$work/pause/"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$work/pause/Dockerfile"
  cp "$(part_dir "coredns-$COREDNS_VERSION")/coredns" "$work/coredns/"
  printf 'FROM scratch\nCOPY coredns /coredns\nUSER 65532:65532\nENTRYPOINT ["/coredns"]\n' >"$work/coredns/Dockerfile"
  cp "$(part_dir "local-path-provisioner-$LOCAL_PATH_VERSION")/local-path-provisioner" "$work/local-path/"
  printf 'FROM scratch\nCOPY local-path-provisioner /usr/bin/local-path-provisioner\nENTRYPOINT ["/usr/bin/local-path-provisioner"]\n' \
    >"$work/local-path/Dockerfile"
  # The provisioner's helper pod runs its setup/teardown scripts with sh: Debian's static busybox.
  cp /bin/busybox "$work/busybox/"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nENTRYPOINT ["/bin/sh"]\n' \
    >"$work/busybox/Dockerfile"
  local images=("$PAUSE_IMAGE" "$IMAGE_PREFIX/coredns:$COREDNS_VERSION"
    "$IMAGE_PREFIX/local-path-provisioner:$LOCAL_PATH_VERSION" "$IMAGE_PREFIX/busybox:static")
  _scratch_image "$PAUSE_IMAGE" "$work/pause"
  _scratch_image "$IMAGE_PREFIX/coredns:$COREDNS_VERSION" "$work/coredns"
  _scratch_image "$IMAGE_PREFIX/local-path-provisioner:$LOCAL_PATH_VERSION" "$work/local-path"
  _scratch_image "$IMAGE_PREFIX/busybox:static" "$work/busybox"
  if [[ "$METRICS_SERVER" == 1 ]]; then
    cp "$(part_dir "metrics-server-$METRICS_SERVER_VERSION")/metrics-server" "$work/metrics-server/"
    printf 'FROM scratch\nCOPY metrics-server /metrics-server\nUSER 65534:65534\nENTRYPOINT ["/metrics-server"]\n' \
      >"$work/metrics-server/Dockerfile"
    _scratch_image "$IMAGE_PREFIX/metrics-server:$METRICS_SERVER_VERSION" "$work/metrics-server"
    images+=("$IMAGE_PREFIX/metrics-server:$METRICS_SERVER_VERSION")
  fi
  ctr_import "$CONTAINERD_SOCK" "${images[@]}"
  rm -rf "$work"
}

# ---- add-ons ------------------------------------------------------------------------------------------
# _render FILE: an add-on manifest with its @PLACEHOLDERS@ filled in.
_render() {
  sed -e "s#@DNS_IP@#$DNS_IP#g" -e "s#@IMAGE_PREFIX@#$IMAGE_PREFIX#g" \
    -e "s#@COREDNS_VERSION@#$COREDNS_VERSION#g" -e "s#@LOCAL_PATH_VERSION@#$LOCAL_PATH_VERSION#g" \
    -e "s#@METRICS_SERVER_VERSION@#$METRICS_SERVER_VERSION#g" -e "s#@LOCAL_PATH_DIR@#$CLUSTER_STATE/local-path#g" \
    "$1"
}
apply_addons() {
  local addons="$_cluster_lib_dir/addons" f
  for f in coredns.yaml local-path.yaml; do
    _render "$addons/$f" | kctl apply -f - >/dev/null
  done
  if [[ "$METRICS_SERVER" == 1 ]]; then
    _render "$addons/metrics-server.yaml" | kctl apply -f - >/dev/null
  fi
  kctl -n kube-system rollout status deployment/coredns --timeout=120s
  kctl -n local-path-storage rollout status deployment/local-path-provisioner --timeout=120s
  if [[ "$METRICS_SERVER" == 1 ]]; then
    kctl -n kube-system rollout status deployment/metrics-server --timeout=120s
  fi
}
