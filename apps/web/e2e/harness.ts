// Everything the browser test needs besides the browser: a fresh production build of the web app
// (only when sources are newer, or always under CI), the API on a free port with a throwaway PGlite
// directory and the offline agent, and the standalone web server pointed at it through API_URL.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const webDir = path.resolve(import.meta.dirname, "..");
export const repoRoot = path.resolve(webDir, "../..");
const serverJs = path.join(webDir, ".next/standalone/apps/web/server.js");
const require = createRequire(import.meta.url);

/** CHROME_PATH when set (and only it), else the usual Debian/Ubuntu locations; null when none exists. */
export function findChromium(env: Record<string, string | undefined> = process.env): string | null {
  if (env.CHROME_PATH) return existsSync(env.CHROME_PATH) ? env.CHROME_PATH : null;
  const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function isStale(): boolean {
  const sources = [
    "app",
    "components",
    "lib",
    "public",
    "next.config.ts",
    "tsconfig.json",
    "package.json",
    "scripts",
  ];
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(webDir, s))));
  const built = existsSync(serverJs) ? statSync(serverJs).mtimeMs : 0;
  return built <= newestSource;
}

/** Builds the standalone web server unless a build newer than every source already exists. */
export async function ensureBuild(log: (line: string) => void): Promise<void> {
  if (process.env.CI !== "true" && !isStale()) {
    log("e2e: reusing the existing build (newer than the sources)");
    return;
  }
  log("e2e: building the web app (next build)…");
  const next = require.resolve("next/dist/bin/next");
  const deadline = Date.now() + 240_000;
  for (;;) {
    const result = spawnSync(process.execPath, [next, "build"], {
      cwd: webDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    });
    if (result.status === 0) break;
    const output = `${result.stdout}\n${result.stderr}`;
    // Someone else (make build, a dev's terminal) is building the same folder: wait for it.
    if (output.includes("Another next build process is already running") && Date.now() < deadline) {
      log("e2e: another next build is running; waiting…");
      await new Promise((resolve) => setTimeout(resolve, 5000));
      continue;
    }
    throw new Error(`next build failed:\n${output}`);
  }
  const copy = spawnSync(process.execPath, [path.join(webDir, "scripts/copy-static.mjs")], {
    encoding: "utf8",
  });
  if (copy.status !== 0) throw new Error(`copy-static failed:\n${copy.stdout}\n${copy.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Service {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function waitForHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited early (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url}/healthz did not answer within ${timeoutMs} ms:\n${output()}`);
}

function startProcess(args: string[], env: Record<string, string>, url: string): Promise<Service> {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffer = "";
  const collect = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const service: Service = {
    url,
    output: () => buffer,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
  return waitForHealthy(url, child, service.output, 60_000).then(
    () => service,
    async (error: unknown) => {
      await service.stop();
      throw error;
    },
  );
}

export interface Stack {
  webUrl: string;
  apiUrl: string;
  logs: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the API and the standalone web server on free loopback ports. `apiEnv` overrides the API's
 * environment, e.g. the online agent against a fake model server (AGENT_MODE, LLM_BASE_URL).
 */
export async function startStack(apiEnv: Record<string, string> = {}): Promise<Stack> {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "todo-e2e-"));
  const tsx = require.resolve("tsx/cli");
  const api = await startProcess(
    [tsx, path.join(repoRoot, "apps/api/src/main.ts")],
    {
      NODE_ENV: "test",
      PORT: String(apiPort),
      PUBLIC_URL: webUrl,
      DATA_DIR: dataDir,
      AGENT_MODE: "offline",
      LOG_LEVEL: "warn",
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      CHAT_RATE_LIMIT_PER_MINUTE: "1000",
      ...apiEnv,
    },
    apiUrl,
  );
  let web: Service;
  try {
    web = await startProcess(
      ["--import", path.join(webDir, "server/front-door.mjs"), serverJs],
      { PORT: String(webPort), HOSTNAME: "127.0.0.1", API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: "1" },
      webUrl,
    );
  } catch (error) {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    webUrl,
    apiUrl,
    logs: () => `--- api ---\n${api.output()}\n--- web ---\n${web.output()}`,
    stop: async () => {
      await web.stop();
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
