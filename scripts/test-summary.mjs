// Prints the closing line "N passed, N failed, N skipped" from vitest's JSON report.
// Exits non-zero when a test failed, when nothing ran, or (under CI=true) when a test was skipped.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? "artifacts/vitest.json", "utf8"));
const passed = report.numPassedTests;
const failed = report.numFailedTests;
// A file that fails to load (syntax error, failing hook) has no failed test but fails the run.
const brokenFiles = report.numFailedTestSuites ?? 0;
const skipped = report.numPendingTests + report.numTodoTests;
if (process.env.CI === "true" && skipped > 0) {
  for (const file of report.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === "pending" || t.status === "skipped" || t.status === "todo") {
        console.error(`skipped in CI: ${t.fullName} (${file.name})`);
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const ciSkip = process.env.CI === "true" && skipped > 0;
if (brokenFiles > 0) console.error(`${brokenFiles} test file(s) failed`);
process.exit(failed > 0 || brokenFiles > 0 || passed === 0 || ciSkip ? 1 : 0);
