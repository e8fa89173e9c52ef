// Every object of every matrix case is validated in strict mode (unknown fields rejected) by
// kubernetes-validate against Kubernetes 1.33 and the newest version it knows, then all of them are scanned
// once by checkov's Kubernetes checks: no finding may remain that is not explained in checkov-skips.ts
// or by an inline checkov.io/skip annotation.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { checkovSkips } from "./support/checkov-skips";
import { type Rendered, renderMatrix } from "./support/manifests";
import { type Run, requireTools, run, runAsync } from "./support/tools";

const tools = requireTools(["helm", "kubernetes-validate", "checkov"]);
const suffix = tools.skipReason ? ` (${tools.skipReason})` : "";

// Custom resources have no schema in kubernetes-validate; their shape is asserted in rules.test.ts.
const customResourceGroups = ["monitoring.coreos.com/"];

describe.skipIf(tools.missing.length > 0)(`strict schema validation and policy scan${suffix}`, () => {
  let dir = "";
  let cases: Rendered[] = [];
  const files: string[] = [];
  // The three scans start together in beforeAll and run side by side; each test awaits its own.
  const scans: Record<string, Promise<Run>> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "chart-rendered-"));
    cases = renderMatrix(tools.paths.helm as string);
    for (const r of cases) {
      const file = join(dir, `${r.name}.yaml`);
      writeFileSync(file, r.text);
      files.push(file);
    }
    const validate = tools.paths["kubernetes-validate"] as string;
    for (const version of ["1.33.0", newestKnown()]) {
      scans[version] = runAsync(validate, ["--strict", "--quiet", "-k", version, ...files]);
    }
    scans.checkov = runAsync(tools.paths.checkov as string, [
      "--directory",
      dir,
      "--framework",
      "kubernetes",
      "--skip-download",
      "--quiet",
      "--compact",
      "--output",
      "json",
      "--skip-check",
      Object.keys(checkovSkips).join(","),
    ]);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newestKnown = (): string => {
    const help = run(tools.paths["kubernetes-validate"] as string, ["--help"]).stdout.replace(/\s+/g, " ");
    const match = help.match(/Defaults to (\d+\.\d+\.\d+)/);
    if (!match?.[1]) throw new Error(`cannot read the default Kubernetes version from:\n${help}`);
    return match[1];
  };

  test.each([["1.33.0"], ["newest"]])(
    "kubernetes-validate --strict passes against Kubernetes %s",
    (wanted) => {
      const version = wanted === "newest" ? newestKnown() : wanted;
      const result = run(tools.paths["kubernetes-validate"] as string, [
        "--strict",
        "--quiet",
        "-k",
        version,
        ...files,
      ]);
      const out = `${result.stdout}${result.stderr}`;
      const problems = out
        .split("\n")
        .filter((line) => /^(ERROR|WARN)/.test(line))
        .filter((line) => !customResourceGroups.some((g) => line.includes(`api version ${g}`)));
      expect(problems, out).toEqual([]);
      expect(result.status, out).toBe(0);
      // The files really held objects of every kind we render.
      const kinds = new Set(cases.flatMap((r) => r.objects.map((o) => o.kind)));
      for (const kind of [
        "Deployment",
        "StatefulSet",
        "Service",
        "ConfigMap",
        "Secret",
        "NetworkPolicy",
        "CronJob",
        "Ingress",
      ]) {
        expect(kinds).toContain(kind);
      }
      expect(kinds).toContain("HorizontalPodAutoscaler");
      expect(kinds).toContain("PodDisruptionBudget");
    },
  );

  test("kubernetes-validate rejects an unknown field (the strict mode is really on)", () => {
    const bad = join(dir, "unknown-field.yaml");
    const deployment = cases[0]?.objects.find((o) => o.kind === "Deployment");
    writeFileSync(bad, stringify({ ...deployment, spec: { ...deployment?.spec, replicaz: 2 } }));
    const result = run(tools.paths["kubernetes-validate"] as string, [
      "--strict",
      "--quiet",
      "-k",
      "1.33.0",
      bad,
    ]);
    rmSync(bad);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("replicaz");
  });

  test("checkov finds nothing unexplained in any case", async () => {
    for (const [check, reason] of Object.entries(checkovSkips)) {
      expect(reason.length, `${check} needs a reason`).toBeGreaterThan(40);
    }
    const result = await (scans.checkov as Promise<Run>);
    const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
    const reports = Array.isArray(parsed) ? parsed : [parsed];
    const failed = reports.flatMap((r) => r.results?.failed_checks ?? []);
    const passed = reports.reduce((n, r) => n + (r.summary?.passed ?? 0), 0);
    const lines = failed.map((f) => `${f.check_id} ${f.check_name} — ${f.resource} (${f.file_path})`);
    expect(lines, `unexplained checkov findings:\n${lines.join("\n")}`).toEqual([]);
    expect(passed).toBeGreaterThan(100);
    // Inline skips must carry a reason after "=".
    const skipped = reports.flatMap((r) => r.results?.skipped_checks ?? []);
    for (const s of skipped) {
      if (s.check_id in checkovSkips) continue;
      expect(s.suppress_comment ?? "", `${s.check_id} on ${s.resource}`).toMatch(/\w{10,}/);
    }
  });
});

interface CheckovFinding {
  check_id: string;
  check_name: string;
  resource: string;
  file_path: string;
  suppress_comment?: string;
}

interface CheckovReport {
  results?: { failed_checks?: CheckovFinding[]; skipped_checks?: CheckovFinding[] };
  summary?: { passed: number; failed: number; skipped: number };
}
