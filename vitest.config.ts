import { defineConfig } from "vitest/config";

// One run for the whole repository: each folder with a vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: ["apps/*/vitest.config.ts", "tests/*/vitest.config.ts"],
  },
});
