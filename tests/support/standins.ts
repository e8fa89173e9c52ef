// The one set of stand-ins for the cluster tools (minikube, kubectl, helm, docker, kind, kubectl-ai,
// kagent; see standin.sh): runs a real script from scripts/ with them on PATH and returns what it printed
// and every command the stand-ins recorded. PATH holds only the stand-ins plus a whitelist of basic
// utilities and the environment holds nothing of this process's, so a tool left out of `tools` is
// genuinely missing (the machine's own kubectl or docker cannot leak in).
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { repoRoot, run } from "./process";

const standin = join(import.meta.dirname, "standin.sh");

export const allTools = ["minikube", "kubectl", "helm", "docker", "kind", "kubectl-ai", "kagent"] as const;
export type Tool = (typeof allTools)[number];

// What the scripts and the stand-in need besides the tools under test.
const utilities = [
  "bash",
  "env",
  "cat",
  "mktemp",
  "rm",
  "chmod",
  "cp",
  "mkdir",
  "touch",
  "grep",
  "sed",
  "awk",
  "tr",
  "cut",
  "date",
  "sleep",
  "openssl",
  "od",
  "head",
  "tail",
  "base64",
  "basename",
  "dirname",
  "find",
  "wc",
  "sort",
  "uname",
  "ls",
  "jq",
];

export interface Call {
  tool: string;
  args: string[];
}

export interface Sandbox {
  dir: string;
  state: string;
  log: string;
  bin: string;
  sys: string;
}

export function makeSandbox(tools: readonly Tool[] = ["minikube", "kubectl", "helm", "docker"]): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "scripts-test-"));
  const sandbox = {
    dir,
    state: join(dir, "state"),
    log: join(dir, "calls.log"),
    bin: join(dir, "bin"),
    sys: join(dir, "sys"),
  };
  mkdirSync(sandbox.state);
  mkdirSync(sandbox.bin);
  mkdirSync(sandbox.sys);
  chmodSync(standin, 0o755);
  for (const tool of tools) symlinkSync(standin, join(sandbox.bin, tool));
  const systemPath = (process.env.PATH ?? "").split(delimiter);
  for (const name of utilities) {
    const found = systemPath.map((d) => join(d, name)).find((p) => existsSync(p));
    if (found) symlinkSync(found, join(sandbox.sys, name));
  }
  return sandbox;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  output: string;
  calls: Call[];
}

export function runScript(
  sandbox: Sandbox,
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): RunResult {
  const result = run("bash", [join(repoRoot, "scripts", script), ...args], {
    inheritEnv: false,
    env: {
      PATH: `${sandbox.bin}${delimiter}${sandbox.sys}`,
      HOME: sandbox.dir,
      TMPDIR: sandbox.dir,
      STANDIN_STATE: sandbox.state,
      STANDIN_LOG: sandbox.log,
      MEMINFO: join(sandbox.dir, "meminfo"),
      ...env,
    },
    timeoutMs: 20_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
    calls: readCalls(sandbox),
  };
}

export function readCalls(sandbox: Sandbox): Call[] {
  if (!existsSync(sandbox.log)) return [];
  return readFileSync(sandbox.log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [tool = "", ...encoded] = line.split(" ");
      return { tool, args: encoded.map((a) => Buffer.from(a, "base64").toString("utf8")) };
    });
}

/** The recorded commands as shell-like strings, for exact and readable assertions. */
export function commands(calls: Call[], tool?: string): string[] {
  return calls.filter((c) => !tool || c.tool === tool).map((c) => [c.tool, ...c.args].join(" "));
}

export function stateFiles(sandbox: Sandbox, prefix: string): string[] {
  return readdirSync(sandbox.state)
    .filter((f) => f.startsWith(prefix))
    .sort();
}

export function readState(sandbox: Sandbox, file: string): string {
  return readFileSync(join(sandbox.state, file), "utf8");
}
