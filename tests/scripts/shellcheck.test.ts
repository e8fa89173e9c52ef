import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTool, repoRoot, run } from "../support/process";

// The one shellcheck run of the repository: every script under scripts/ (its lib/ and cluster/ too, with
// sourced files followed), .ci/run, the test stand-in and the cluster suite's fake Ollama (STYLE.md:
// scripts pass shellcheck). CI installs shellcheck (.ci/run: apt-get install -y shellcheck), so there a missing binary
// fails; elsewhere the test skips and says how to install it.
const shellcheck = findTool("shellcheck");

function scripts(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith(".sh"))
    .map((f) => join(dir, f))
    .sort();
}

describe("shellcheck", () => {
  const files = [
    ...scripts("scripts"),
    ...scripts("scripts/lib"),
    ...scripts("scripts/cluster"),
    "tests/support/standin.sh",
    "tests/cluster/fake-ollama/ollama",
    ".ci/run",
  ];

  it("finds the scripts to check", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "scripts/k8s-up.sh",
        "scripts/lib/common.sh",
        "scripts/cluster/up.sh",
        "scripts/tools.sh",
        "scripts/db-restore.sh",
      ]),
    );
  });

  it("passes on every script (with sourced files followed)", (ctx) => {
    if (!shellcheck) {
      if (process.env.CI === "true")
        throw new Error("shellcheck is not installed: CI must install it (apt-get install -y shellcheck)");
      ctx.skip("shellcheck is not installed (apt-get install -y shellcheck); skipped outside CI");
    }
    const result = run(shellcheck as string, ["--external-sources", "--severity=style", ...files]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 180_000);
});
