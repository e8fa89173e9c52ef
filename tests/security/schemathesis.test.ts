// schemathesis against /openapi.json of a real API process (PGlite, offline agent): every operation
// with generated valid and invalid inputs, the coverage phase and the stateful phase, all checks but
// the one explained in schemathesis.toml. Fails on any finding, printing schemathesis' report.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { signUp, tempDir } from "../../apps/api/test/support/harness.js";
import { killProcesses, startProcess } from "../../apps/api/test/support/process.js";
import { requireTools } from "../chart/support/tools.js";
import { runAsync } from "../support/process.js";

const tools = requireTools(["st"]);
afterAll(killProcesses);

describe.skipIf(tools.missing.length > 0)(`schemathesis ${tools.skipReason}`, () => {
  it("finds no failure in any operation of /openapi.json", { timeout: 600_000 }, async () => {
    const api = await startProcess({
      DATA_DIR: tempDir(),
      AGENT_MODE: "offline",
      LOG_LEVEL: "warn",
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      CHAT_RATE_LIMIT_PER_MINUTE: "100000",
    });
    const user = await signUp(api);
    const result = await runAsync(
      tools.paths.st ?? "st",
      [
        "--config-file",
        join(import.meta.dirname, "schemathesis.toml"),
        "run",
        `${api.url}/openapi.json`,
        "--checks",
        "all",
        // Explained in schemathesis.toml: undeclared methods answer the SPEC's 404, not 405.
        "--exclude-checks",
        "unsupported_method",
        "--workers",
        "1",
        "--seed",
        "1",
        "--no-color",
      ],
      // Its cache (.schemathesis/) goes to a throwaway directory, not the repository.
      { cwd: tempDir("schemathesis-"), env: { ST_USER_ID: user.id, ST_TOKEN: user.token } },
    );
    const report = `${result.stdout}\n${result.stderr}`;
    expect(result.status, report).toBe(0);
    expect(report).toMatch(/Tested: 9/);
    expect(report).toMatch(/Stateful/);
    expect(report).not.toMatch(/ST\d{3}/);
  });
});
