// Running external commands from the test suites (helm, checkov, docker, scripts): one place for it.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

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
  input?: string;
  timeoutMs?: number;
}

export function run(cmd: string, args: string[], options: RunOptions = {}): Run {
  const result = spawnSync(cmd, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
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
    const child = spawn(cmd, args, { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env } });
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

/** A loopback port with nothing listening on it (for "the endpoint does not answer" cases). */
export function closedPort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}
