import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    name: "web",
    root: import.meta.dirname,
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    // expect.poll waits on a browser and a backend (first JWT signs with a new key): 1 s is too short.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
