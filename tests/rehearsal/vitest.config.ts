import { defineProject } from "vitest/config";

// The deploy rehearsal (issue 8): the images the Dockerfiles build, started as containers exactly as
// `helm template` renders the chart, then helm test, a browser smoke test, a rolling replacement, a
// database restart and a backup/restore. Needs a Docker engine: joins `make test` when TEST_DOCKER=1;
// `make rehearsal` (scripts/rehearsal.sh) runs it alone. One file, steps in order, minutes long.
export default defineProject({
  test: {
    name: "rehearsal",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
