// Process helpers: every Docker call goes through Debian's client (/usr/bin/docker, BuildKit-capable) when
// it is present, asynchronously, so load loops and probes keep running while containers start and stop.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../../..");
export const chartDir = resolve(repoRoot, "charts/todo-chatbot");

export const dockerBin = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolve with the result instead of rejecting on a non-zero exit. */
  allowFail?: boolean;
}

export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, options.timeoutMs)
      : undefined;
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      const result = {
        code: timedOut ? 124 : (code ?? -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr:
          Buffer.concat(err).toString("utf8") +
          (timedOut ? `\n(timed out after ${options.timeoutMs} ms)` : ""),
      };
      if (result.code !== 0 && !options.allowFail) {
        reject(
          new Error(
            `${cmd} ${args.map(short).join(" ")} exited ${result.code}:\n${tail(result.stderr || result.stdout)}`,
          ),
        );
      } else resolvePromise(result);
    });
    if (child.stdin) {
      // A command may exit before reading its input: that is its exit code's business, not an EPIPE crash.
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }
  });
}

export function docker(args: string[], options: RunOptions = {}): Promise<Result> {
  return run(dockerBin, args, { ...options, env: { ...process.env, DOCKER_BUILDKIT: "1", ...options.env } });
}

export function dockerAvailable(): { ok: boolean; reason: string } {
  const r = spawnSync(dockerBin, ["version", "--format", "{{.Server.Version}}"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  if (r.error) return { ok: false, reason: `${dockerBin}: ${r.error.message}` };
  if (r.status !== 0 || !r.stdout.trim())
    return { ok: false, reason: (r.stderr || "no Docker engine answers").trim().split("\n")[0] ?? "" };
  return { ok: true, reason: `Docker engine ${r.stdout.trim()}` };
}

function short(arg: string): string {
  const oneLine = arg.replace(/\n/g, "\\n");
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
