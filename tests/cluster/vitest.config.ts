import { defineProject } from "vitest/config";

// The chart on a real Kubernetes (scripts/cluster: upstream etcd, API server, kubelet on containerd...):
// make k8s-up, helm test, a browser smoke through the NodePort and the fault drills, each step asserted
// from what the cluster reports. Joins `make test` with TEST_CLUSTER=1 (always in CI, after
// `make cluster-up`); `make cluster-test` runs it alone. One file, steps in order, minutes long.
export default defineProject({
  test: {
    name: "cluster",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 900_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
