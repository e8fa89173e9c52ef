// scripts/db-restore.sh driven against a recording
// kubectl stand-in (no cluster): it must find the database the way the backend does, scale the backend
// down and back, and run a locked-down restore pod that the network policies admit.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { repoRoot, run } from "./support/tools";

// kubectl stand-in: records every call (args + stdin of `run`) as JSON lines and answers like a cluster
// holding the releases todo-chatbot and demo (in namespace apps), each with in-cluster PostgreSQL, a backup
// PVC and 2 backend replicas. The script finds the objects by their labels, so the names below are the
// cluster's answer, not a rule the script knows.
const standin = `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
const joined = args.join(" ");
const record = (extra = {}) => fs.appendFileSync(process.env.KUBECTL_LOG, JSON.stringify({ args, ...extra }) + "\\n");
if (args.includes("run")) {
  let stdin = "";
  try { stdin = fs.readFileSync(0, "utf8"); } catch {}
  record({ stdin });
  process.exit(0);
}
record();
const objects = {
  "deployment backend todo-chatbot": "todo-chatbot-backend",
  "pvc backup todo-chatbot": "todo-chatbot-backup",
  "deployment backend demo": "demo-todo-chatbot-backend",
  "pvc backup demo": "demo-todo-chatbot-backup",
};
const selector = args[args.indexOf("-l") + 1] ?? "";
const label = (key) => (selector.match(new RegExp(key + "=([^,]+)")) ?? [])[1];
if (args.includes("get") && args.includes("-l")) {
  const kind = args[args.indexOf("get") + 1];
  process.stdout.write(objects[[kind, label("app.kubernetes.io/name"), label("app.kubernetes.io/instance")].join(" ")] ?? "");
  process.exit(0);
}
if (joined.includes("get hpa")) process.exit(1);
if (joined.includes('env[?(@.name=="DATABASE_URL")]')) {
  process.stdout.write(JSON.stringify({ name: "DATABASE_URL", value: "postgres://todo:$(POSTGRES_PASSWORD)@todo-chatbot-postgresql:5432/todo" }));
} else if (joined.includes('env[?(@.name=="POSTGRES_PASSWORD")]')) {
  process.stdout.write(JSON.stringify({ name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "todo-chatbot-postgresql", key: "POSTGRES_PASSWORD" } } }));
} else if (joined.includes("{.spec.replicas}")) {
  process.stdout.write("2");
}
`;

interface Call {
  args: string[];
  stdin?: string;
}

describe("scripts/db-restore.sh", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function restore(args: string[]): { status: number; out: string; calls: Call[] } {
    const dir = mkdtempSync(join(tmpdir(), "db-restore-"));
    dirs.push(dir);
    writeFileSync(join(dir, "kubectl"), standin);
    chmodSync(join(dir, "kubectl"), 0o755);
    const log = join(dir, "calls.jsonl");
    writeFileSync(log, "");
    const result = run("bash", ["scripts/db-restore.sh", ...args], {
      cwd: repoRoot,
      input: "",
      env: {
        ...process.env,
        PATH: `${dir}${delimiter}${process.env.PATH}`,
        KUBECTL_LOG: log,
        NAMESPACE: "",
        RELEASE: "",
        KUBE_CONTEXT: "test-context",
      },
    });
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Call);
    return { status: result.status, out: result.stdout + result.stderr, calls };
  }

  const overridesOf = (call: Call | undefined) => {
    const arg = call?.args.find((a) => a.startsWith("--overrides="));
    if (!arg) throw new Error("no --overrides");
    return JSON.parse(arg.slice("--overrides=".length));
  };

  test("--help explains the usage; a bad option fails with it", () => {
    const help = restore(["--help"]);
    expect(help.status).toBe(0);
    expect(help.out).toContain("Usage: scripts/db-restore.sh [options] [DUMP]");
    const bad = restore(["--frobnicate"]);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toContain("unknown option --frobnicate");
  });

  test("restores a named dump from the backup PVC with the backend scaled to 0 and back", () => {
    const { status, out, calls } = restore(["-y", "todo-20260101T030000Z.dump"]);
    expect(status, out).toBe(0);
    const verbs = calls.map((c) =>
      c.args
        .filter((a) => !a.startsWith("-") && a !== "todo-chatbot")
        .slice(0, 2)
        .join(" "),
    );
    const scaleDown = calls.findIndex((c) => c.args.includes("scale") && c.args.includes("--replicas=0"));
    const runAt = calls.findIndex((c) => c.args.includes("run"));
    const scaleUp = calls.findIndex((c) => c.args.includes("scale") && c.args.includes("--replicas=2"));
    expect(scaleDown, verbs.join("\n")).toBeGreaterThan(-1);
    expect(runAt).toBeGreaterThan(scaleDown);
    expect(scaleUp).toBeGreaterThan(runAt);
    // Every call pinned to the one context and the release's namespace.
    for (const c of calls) {
      expect(c.args.slice(0, 2)).toEqual(["--context", "test-context"]);
      expect(["-n", "--namespace"]).toContain(c.args[2]);
      expect(c.args[3]).toBe("todo-chatbot");
    }

    const pod = overridesOf(calls[runAt]);
    expect(pod.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "backup",
      "app.kubernetes.io/instance": "todo-chatbot",
    });
    const c = pod.spec.containers[0];
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.env.map((e: { name: string }) => e.name)).toEqual([
      "POSTGRES_PASSWORD",
      "DATABASE_URL",
      "MODE",
      "DUMP",
    ]);
    expect(c.env.find((e: { name: string }) => e.name === "DUMP").value).toBe("todo-20260101T030000Z.dump");
    expect(c.command.join(" ")).toContain("pg_restore --clean --if-exists");
    expect(c.command.join(" ")).toContain("--single-transaction");
    expect(pod.spec.volumes).toContainEqual({
      name: "backups",
      persistentVolumeClaim: { claimName: "todo-chatbot-backup", readOnly: true },
    });
  });

  test("streams a local dump file into the restore pod", () => {
    const dir = mkdtempSync(join(tmpdir(), "dump-"));
    dirs.push(dir);
    const file = join(dir, "todo.dump");
    writeFileSync(file, "PGDMP-fake-content");
    const { status, out, calls } = restore([
      "--yes",
      "--keep-backend",
      "-n",
      "apps",
      "-r",
      "demo",
      "--file",
      file,
    ]);
    expect(status, out).toBe(0);
    const runCall = calls.find((c) => c.args.includes("run"));
    expect(runCall?.stdin).toBe("PGDMP-fake-content");
    expect(runCall?.args.slice(0, 4)).toEqual(["--context", "test-context", "--namespace", "apps"]);
    expect(calls.some((c) => c.args.includes("scale"))).toBe(false);
    const pod = overridesOf(runCall);
    expect(pod.spec.containers[0].env.find((e: { name: string }) => e.name === "MODE").value).toBe("stdin");
    expect(JSON.stringify(pod.spec.volumes)).not.toContain("persistentVolumeClaim");
    // The release's backend is the Deployment the cluster labels with instance=demo, used by that name.
    expect(
      calls.some((c) => c.args.includes("app.kubernetes.io/instance=demo,app.kubernetes.io/name=backend")),
    ).toBe(true);
    expect(calls.some((c) => c.args.includes("demo-todo-chatbot-backend"))).toBe(true);
    expect(pod.metadata.labels["app.kubernetes.io/instance"]).toBe("demo");
  });

  test("a release without a backend Deployment is refused before anything changes", () => {
    const { status, out, calls } = restore(["--yes", "-r", "nobody"]);
    expect(status).not.toBe(0);
    expect(out).toContain("no backend deployment of release nobody in namespace todo-chatbot");
    expect(calls.some((c) => c.args.includes("scale") || c.args.includes("run"))).toBe(false);
  });

  test("--list shows the dumps on the backup PVC without touching the backend", () => {
    const { status, calls } = restore(["--list"]);
    expect(status).toBe(0);
    expect(calls.some((c) => c.args.includes("scale"))).toBe(false);
    const pod = overridesOf(calls.find((c) => c.args.includes("run")));
    expect(pod.spec.containers[0].env.find((e: { name: string }) => e.name === "MODE").value).toBe("list");
  });
});
