import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    name: "web",
    root: import.meta.dirname,
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
