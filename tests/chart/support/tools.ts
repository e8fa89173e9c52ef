// Finds the external tools the chart tests run. Under CI=true a missing tool is an error (thrown when the
// test file loads, so the file fails); elsewhere the tests that need it are skipped with the reason.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../../..");
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

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Run {
  const result = spawnSync(cmd, args, {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), without blocking: lets slow scanners (kubernetes-validate, checkov) work side by side. */
export function runAsync(cmd: string, args: string[], options: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? repoRoot, env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
  });
}
