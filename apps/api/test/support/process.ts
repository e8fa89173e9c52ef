// The API as a real OS process (`node --import tsx src/main.ts`) on a free port, for the tests that
// need one: graceful shutdown, logs, several replicas on one database, schemathesis.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../../tests/support/process.ts";

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

export interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

const running: Proc[] = [];

/** SIGKILLs every process started so far (for afterEach/afterAll). */
export function killProcesses(): void {
  for (const p of running.splice(0)) p.child.kill("SIGKILL");
}

/** Starts the API with `env` on top of this process's environment; resolves once /healthz answers. */
export async function startProcess(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: apiDir,
    env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "info", PORT: String(port), ...env },
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // tsx compiles the sources at start: on a busy 2-core machine that can take half a minute.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited early:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`API did not answer /healthz within 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const proc = { child, url, output: () => out, exited };
  running.push(proc);
  return proc;
}
