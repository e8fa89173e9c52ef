// Helpers for the container tests: the Docker client, provisioning (engine, stand-in bases, images),
// containers and networks that are removed after the run, and timing.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { type Run, repoRoot, run, runAsync } from "../../support/process";

export { type Run, repoRoot, run, runAsync };

export const isCI = process.env.CI === "true";
export const NODE_BASE = "standin/node:24";
export const POSTGRES_BASE = "standin/postgres:17";
export const BACKEND = "todo-chatbot-backend";
export const FRONTEND = "todo-chatbot-frontend";
export const version = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }
).version;
/** A fixed test-only secret (≥ 32 characters); never used outside these throwaway containers. */
export const TEST_AUTH_SECRET = "docker-test-secret-0123456789abcdefghijklmnop";

/** Debian's client has BuildKit (RUN --mount); the preinstalled /usr/local/bin/docker has no buildx. */
export const dockerBin = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

export function docker(args: string[], options: { input?: string; timeoutMs?: number } = {}): Run {
  return run(dockerBin, args, { ...options, env: { DOCKER_BUILDKIT: "1" } });
}

/** docker(...) that must succeed; returns trimmed stdout. */
export function dockerOk(args: string[]): string {
  const result = docker(args);
  if (result.status !== 0) {
    throw new Error(`docker ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout.trim();
}

/**
 * Makes sure an engine answers (scripts/docker-engine.sh installs and starts one when it can).
 * Returns "" when Docker is usable, else the reason; under CI=true a missing engine throws.
 */
export function ensureEngine(): string {
  let reason = "";
  try {
    const result = run("bash", [join(repoRoot, "scripts/docker-engine.sh")], { timeoutMs: 10 * 60_000 });
    if (result.status !== 0)
      reason = `no Docker engine: ${(result.stderr || result.stdout).trim().split("\n").pop()}`;
  } catch (err) {
    reason = `no Docker engine: ${(err as Error).message}`;
  }
  if (reason && isCI) throw new Error(`CI=true and ${reason}`);
  return reason;
}

export function standinScript(): string {
  return process.env.STANDIN_IMAGES ?? resolve(repoRoot, "../shared/tools/standin-images");
}

export const imageExists = (ref: string) => docker(["image", "inspect", ref]).status === 0;

/** Builds the stand-in bases once (they are slow and their rebuild would invalidate every build cache). */
export async function ensureStandins(): Promise<void> {
  const missing = [NODE_BASE, POSTGRES_BASE].filter(
    (ref) => process.env.STANDIN_REBUILD === "1" || !imageExists(ref),
  );
  if (missing.length === 0) return;
  const script = standinScript();
  if (!existsSync(script))
    throw new Error(`stand-in image builder not found at ${script} (set STANDIN_IMAGES)`);
  const which = missing.length === 2 ? "all" : missing[0] === NODE_BASE ? "node" : "postgres";
  const result = await runAsync("bash", [script, which]);
  if (result.status !== 0) throw new Error(`standin-images ${which} failed: ${result.stderr}`);
}

/** scripts/images.sh from the stand-in base with the machine's CA bundle as the npm_ca secret. */
export async function buildImages(): Promise<Run & { seconds: number }> {
  const started = Date.now();
  const result = await runAsync("bash", [join(repoRoot, "scripts/images.sh")], {
    env: {
      NODE_IMAGE: NODE_BASE,
      NPM_CA: process.env.NPM_CA ?? "/etc/ssl/certs/ca-certificates.crt",
      DOCKER: dockerBin,
    },
  });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

export const imageSize = (ref: string) => Number(dockerOk(["image", "inspect", "-f", "{{.Size}}", ref]));

export interface ImageConfig {
  User: string;
  WorkingDir: string;
  Cmd: string[];
  Entrypoint: string[] | null;
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, unknown>;
  Healthcheck?: { Test: string[] };
}

export function imageConfig(ref: string): ImageConfig {
  return JSON.parse(dockerOk(["image", "inspect", "-f", "{{json .Config}}", ref])) as ImageConfig;
}

// ---- throwaway containers and networks ------------------------------------------------------------

const prefix = `t5-${randomBytes(3).toString("hex")}`;
const created = { containers: [] as string[], networks: [] as string[] };
let counter = 0;

export const uniqueName = (what: string) => `${prefix}-${what}-${++counter}`;

export function createNetwork(): string {
  const name = uniqueName("net");
  dockerOk(["network", "create", name]);
  created.networks.push(name);
  return name;
}

/** docker run -d with the given args (name and cleanup handled); returns the container name. */
export function startContainer(what: string, args: string[]): string {
  const name = uniqueName(what);
  created.containers.push(name);
  dockerOk(["run", "-d", "--name", name, ...args]);
  return name;
}

export function removeAll(): void {
  for (const name of created.containers.splice(0)) docker(["rm", "-f", "-v", name]);
  for (const name of created.networks.splice(0)) docker(["network", "rm", name]);
}

/** The host address (127.0.0.1:PORT) a container port was published on with -p 127.0.0.1::PORT. */
export function publishedUrl(container: string, port: number): string {
  const mapping = dockerOk(["port", container, `${port}/tcp`]).split("\n")[0] ?? "";
  return `http://${mapping.replace("0.0.0.0", "127.0.0.1")}`;
}

export const logsOf = (container: string) => {
  const result = docker(["logs", "--tail", "40", container]);
  return `${result.stdout}${result.stderr}`;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls url until it answers 200; returns the seconds since `since` (ms epoch), or throws after limitS. */
export async function waitForHttp(
  url: string,
  since: number,
  limitS: number,
  container?: string,
): Promise<number> {
  while ((Date.now() - since) / 1000 < limitS) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return (Date.now() - since) / 1000;
    } catch {
      // not listening yet
    }
    if (container && dockerOk(["inspect", "-f", "{{.State.Running}}", container]) !== "true") {
      throw new Error(`${container} exited before ${url} answered:\n${logsOf(container)}`);
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${limitS}s${container ? `:\n${logsOf(container)}` : ""}`);
}

/** Waits for a postgres container to accept TCP connections (pg_isready inside it). */
export async function waitForPostgres(container: string, limitS = 60): Promise<void> {
  const since = Date.now();
  while ((Date.now() - since) / 1000 < limitS) {
    const ready = docker(["exec", container, "pg_isready", "-h", "127.0.0.1", "-U", "todo", "-d", "todo"]);
    if (ready.status === 0) return;
    await sleep(300);
  }
  throw new Error(`postgres ${container} not ready within ${limitS}s:\n${logsOf(container)}`);
}

/** Sends SIGTERM and waits for the exit: {code, seconds}. */
export function stopWithSigterm(container: string): { code: number; seconds: number } {
  const since = Date.now();
  dockerOk(["kill", "--signal", "SIGTERM", container]);
  const code = Number(dockerOk(["wait", container]));
  return { code, seconds: (Date.now() - since) / 1000 };
}

/** Runs a Node one-liner inside an image (entrypoint node), returns stdout. */
export function nodeIn(image: string, script: string, extra: string[] = []): string {
  return dockerOk(["run", "--rm", ...extra, "--entrypoint", "node", image, "-e", script]);
}
