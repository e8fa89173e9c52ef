import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./harness";

// Every script under scripts/ (and its lib/, and the test stand-ins) must pass shellcheck (STYLE.md).
// CI installs shellcheck (.ci/run: apt-get install -y shellcheck), so there a missing binary fails;
// elsewhere the test skips and says how to install it.
const shellcheck = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
const available = shellcheck.status === 0;

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
    ...scripts("tests/scripts/standins"),
  ];

  it("finds the scripts to check", () => {
    expect(files).toEqual(expect.arrayContaining(["scripts/k8s-up.sh", "scripts/lib/common.sh"]));
  });

  it("passes on every scripts/*.sh (with sourced files followed)", (ctx) => {
    if (!available) {
      if (process.env.CI === "true")
        throw new Error("shellcheck is not installed: CI must install it (apt-get install -y shellcheck)");
      ctx.skip("shellcheck is not installed (apt-get install -y shellcheck); skipped outside CI");
    }
    const run = spawnSync("shellcheck", ["--external-sources", "--severity=style", ...files], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 180_000);
});
