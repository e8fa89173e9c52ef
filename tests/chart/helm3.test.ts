// The chart works with Helm 3.14+ as well as Helm 4. scripts/tools.sh provides a Helm 3 as
// .tools/bin/helm3; every matrix case must lint and render to the same objects with both (secret values
// and checksums aside: they are random under `helm template`), and Helm 3's schema check must reject a typo.
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { helmTemplate, matrix } from "./support/manifests";
import { chartDir, requireTools, run } from "./support/tools";

const tools = requireTools(["helm", "helm3"]);
const suffix = tools.skipReason ? ` (${tools.skipReason})` : "";

/** Rendered objects without the values that are random on every `helm template`. */
function stable(text: string): unknown[] {
  const scrub = (s: string) =>
    s
      .replace(/^(\s*(BETTER_AUTH_SECRET|POSTGRES_PASSWORD):) .*$/gm, "$1 <random>")
      .replace(/^(\s*checksum\/[a-z-]+:) .*$/gm, "$1 <hash>");
  return parseAllDocuments(scrub(text))
    .map((d) => d.toJS())
    .filter(Boolean);
}

describe.skipIf(tools.missing.length > 0)(`Helm 3 compatibility${suffix}`, () => {
  test("the Helm 3 binary is a 3.x at least 3.14", () => {
    const version = run(tools.paths.helm3 as string, ["version", "--short"]).stdout.trim();
    const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
    expect(major).toBe(3);
    expect(minor).toBeGreaterThanOrEqual(14);
  });

  test("helm3 lint --strict passes", () => {
    const result = run(tools.paths.helm3 as string, ["lint", "--strict", "."], { cwd: chartDir });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  test.each(Object.entries(matrix))("Helm 3 and Helm 4 render the %s case identically", (_name, args) => {
    const h4 = helmTemplate(tools.paths.helm as string, args);
    const h3 = helmTemplate(tools.paths.helm3 as string, args);
    expect(h3.status, h3.stderr).toBe(0);
    expect(h4.status, h4.stderr).toBe(0);
    expect(stable(h3.stdout)).toEqual(stable(h4.stdout));
  });

  test("Helm 3 rejects a typo key and a missing secret too", () => {
    const typo = helmTemplate(tools.paths.helm3 as string, ["--set", "backend.replicCount=2"]);
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain("replicCount");
    const missing = helmTemplate(tools.paths.helm3 as string, ["-f", `${chartDir}/values-production.yaml`]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("secrets.existingSecret is required");
  });
});
