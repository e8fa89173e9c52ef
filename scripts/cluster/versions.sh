#!/usr/bin/env bash
# Pinned versions of the CI cluster's parts and where their builds are cached (outside the clone).
# Source it. Bump a version deliberately: its build folder is keyed by it, so the next run rebuilds it.
# shellcheck disable=SC2034 # read by the scripts that source this file
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
LOCAL_PATH_VERSION="${LOCAL_PATH_VERSION:-v0.0.30}"
METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-v0.8.0}"
CLUSTER_CACHE="${CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot/cluster}"

# part_dir NAME-VERSION: the cache folder of one built part.
part_dir() { echo "$CLUSTER_CACHE/$1"; }
