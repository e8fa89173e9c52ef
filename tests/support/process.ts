// Running external commands from the test suites (helm, checkov, docker, scripts): one place for it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join, resolve } from "node:path";

/** The repository's root folder: every test suite resolves its paths from here. */
export const repoRoot = resolve(import.meta.dirname, "../..");

/** A tool from the repository's .tools/ (scripts/tools.sh provisions them) or else from PATH. */
export function findTool(name: string): string | undefined {
  const dirs = [
    join(repoRoot, ".tools/bin"),
    join(repoRoot, ".tools/venv/bin"),
    ...(process.env.PATH ?? "").split(delimiter).filter(Boolean),
  ];
  return dirs.map((dir) => join(dir, name)).find((candidate) => existsSync(candidate));
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Working directory; the repository root by default. */
  cwd?: string;
  /** Added to (and overriding) this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** false: the command sees only `env`, nothing of this process's environment. */
  inheritEnv?: boolean;
  input?: string;
  timeoutMs?: number;
}

function childEnv(options: RunOptions): NodeJS.ProcessEnv {
  return options.inheritEnv === false ? { ...options.env } : { ...process.env, ...options.env };
}

export function run(cmd: string, args: string[], options: RunOptions = {}): Run {
  const result = spawnSync(cmd, args, {
    cwd: options.cwd ?? repoRoot,
    env: childEnv(options),
    input: options.input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), without blocking the event loop: slow scanners and image builds run side by side. */
export function runAsync(cmd: string, args: string[], options: Omit<RunOptions, "input" | "timeoutMs"> = {}) {
  return new Promise<Run>((done, fail) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? repoRoot, env: childEnv(options) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ status: code ?? -1, stdout, stderr }));
  });
}

/** A loopback port nothing listens on right now: to start a server on, or to find nothing there. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}
