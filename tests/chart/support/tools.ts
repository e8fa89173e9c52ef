// Finds the external tools the chart tests run. Under CI=true a missing tool is an error (thrown when the
// test file loads, so the file fails); elsewhere the tests that need it are skipped with the reason.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { repoRoot } from "../../support/process";

export { type Run, repoRoot, run, runAsync } from "../../support/process";

export const chartDir = join(repoRoot, "charts/todo-chatbot");

const repoToolDirs = [join(repoRoot, ".tools/bin"), join(repoRoot, ".tools/venv/bin")];

export function findTool(name: string): string | undefined {
  const dirs = [...repoToolDirs, ...(process.env.PATH ?? "").split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface Tools {
  paths: Record<string, string>;
  missing: string[];
  /** Why the tests are skipped (empty when every tool was found). */
  skipReason: string;
}

export function requireTools(names: string[]): Tools {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const found = findTool(name);
    if (found) paths[name] = found;
    else missing.push(name);
  }
  const skipReason = missing.length
    ? `skipped: ${missing.join(", ")} not found in .tools/ or PATH (run: bash scripts/tools.sh)`
    : "";
  if (missing.length && process.env.CI === "true") {
    throw new Error(`CI=true and ${missing.join(", ")} missing: run bash scripts/tools.sh before the tests`);
  }
  return { paths, missing, skipReason };
}
