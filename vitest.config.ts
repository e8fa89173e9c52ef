import { defineConfig } from "vitest/config";

// One run for the whole repository: each folder with a vitest.config.ts is a project.
// The Docker-based suite (real image builds and runs) takes minutes and needs a Docker engine: it joins
// the run when TEST_DOCKER=1. The Kubernetes suite (the chart installed on a real cluster, helm test and
// the fault drills) needs a running cluster (make cluster-up): it joins when TEST_CLUSTER=1. CI sets both
// (see .ci/run).
const dockerSuites = process.env.TEST_DOCKER === "1" ? ["tests/docker/vitest.config.ts"] : [];
const clusterSuites = process.env.TEST_CLUSTER === "1" ? ["tests/cluster/vitest.config.ts"] : [];

export default defineConfig({
  test: {
    projects: [
      "apps/*/vitest.config.ts",
      "tests/{chart,scripts,lint,security}/vitest.config.ts",
      ...dockerSuites,
      ...clusterSuites,
    ],
  },
});
