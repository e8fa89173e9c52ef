// Child processes of the bench: spawn with logs to a file, wait until a URL answers, read the
// resident set size and CPU time from /proc, stop with SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Milliseconds from spawn until `readyUrl` first answered 200. */
  readyMs: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node <args>` with `env` added to the bench's environment, stdout and stderr appended to
 * `logFile` (a file like a container runtime's log, so the JSON logs cost what they cost in a pod),
 * and resolves once `readyUrl` answers 200.
 */
export async function startNode(opts: {
  name: string;
  args: string[];
  env: Record<string, string>;
  readyUrl: string;
  logFile: string;
  cwd?: string;
  timeoutMs?: number;
}): Promise<Child> {
  const out = openSync(opts.logFile, "a");
  const started = performance.now();
  const proc = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", out, out],
  });
  let exited: string | undefined;
  proc.once("exit", (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const deadline = started + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${opts.name} ${exited} before it was ready (see ${opts.logFile})`);
    if (performance.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${opts.name} was not ready within ${opts.timeoutMs ?? 60_000} ms`);
    }
    const ok = await fetch(opts.readyUrl).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await sleep(5);
  }
  const readyMs = performance.now() - started;
  return {
    name: opts.name,
    proc,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const force = setTimeout(() => proc.kill("SIGKILL"), 15_000);
        proc.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}

/** Resident set size of a process in MB (VmRSS from /proc). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) throw new Error("no pid");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU time (user + system) a process has used, in microseconds (/proc counts ticks of 1/100 s). */
export function cpuMicros(pid: number | undefined): number {
  if (pid === undefined) throw new Error("no pid");
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
