import { defineProject } from "vitest/config";

// Offline tests of charts/todo-chatbot: helm lint/template, strict schema validation
// (kubernetes-validate), a policy scan (checkov) and our own rules on every rendered object.
// Tools come from `bash scripts/tools.sh` (.tools/bin, .tools/venv/bin) or PATH; when one is missing the
// tests that need it are skipped, except under CI=true where that is a failure.
export default defineProject({
  test: {
    name: "chart",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
