import { defineConfig } from "vitest/config";

// The bash scripts under scripts/ run against recording stand-ins for minikube, kubectl, helm, docker,
// kubectl-ai and kagent (the one set in tests/support/standin.sh), so no cluster or network is needed.
export default defineConfig({
  test: {
    name: "scripts",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
