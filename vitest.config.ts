import { defineConfig } from "vitest/config";

// One run for the whole repository: each folder with a vitest.config.ts is a project.
// The Docker-based suites (real image builds, the deploy rehearsal) take minutes and need a
// Docker engine: they join the run when TEST_DOCKER=1 (always in CI, see .ci/run).
const dockerSuites =
  process.env.TEST_DOCKER === "1"
    ? ["tests/docker/vitest.config.ts", "tests/rehearsal/vitest.config.ts"]
    : [];

export default defineConfig({
  test: {
    projects: [
      "apps/*/vitest.config.ts",
      "tests/{chart,scripts,lint,security}/vitest.config.ts",
      ...dockerSuites,
    ],
  },
});
