// scripts/db-restore.sh against the kubectl stand-in (no cluster): it must find the release's objects by
// their labels, give the restore pod DATABASE_URL the way the backend gets it, scale the backend down and
// back, and run a locked-down pod that the network policies admit.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type Call, makeSandbox, readState, runScript } from "../support/standins";

/** Runs db-restore.sh with the releases todo-chatbot and demo installed. */
function restore(args: string[]) {
  const sandbox = makeSandbox(["kubectl"]);
  for (const release of ["todo-chatbot", "demo"])
    writeFileSync(join(sandbox.state, `release-${release}`), "1\n");
  const result = runScript(sandbox, "db-restore.sh", args, { KUBE_CONTEXT: "test-context" });
  return { ...result, sandbox };
}

const overridesOf = (call: Call | undefined) => {
  const arg = call?.args.find((a) => a.startsWith("--overrides="));
  if (!arg) throw new Error("no --overrides");
  return JSON.parse(arg.slice("--overrides=".length));
};
const envValue = (
  pod: { spec: { containers: { env: { name: string; value?: string }[] }[] } },
  name: string,
) => pod.spec.containers[0]?.env.find((e) => e.name === name)?.value;

describe("scripts/db-restore.sh", () => {
  test("--help explains the usage; a bad option fails with it", () => {
    const help = restore(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: scripts/db-restore.sh [options] [DUMP]");
    const bad = restore(["--frobnicate"]);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain("unknown option --frobnicate");
  });

  test("restores a named dump from the backup PVC with the backend scaled to 0 and back", () => {
    const { status, output, calls } = restore(["-y", "todo-20260101T030000Z.dump"]);
    expect(status, output).toBe(0);
    const scaleDown = calls.findIndex((c) => c.args.includes("scale") && c.args.includes("--replicas=0"));
    const runAt = calls.findIndex((c) => c.args.includes("run"));
    const scaleUp = calls.findIndex((c) => c.args.includes("scale") && c.args.includes("--replicas=2"));
    expect(scaleDown, output).toBeGreaterThan(-1);
    expect(runAt).toBeGreaterThan(scaleDown);
    expect(scaleUp).toBeGreaterThan(runAt);
    // Every call pinned to the one context and the release's namespace.
    for (const c of calls) {
      expect(c.args.slice(0, 2)).toEqual(["--context", "test-context"]);
      expect(c.args[2]).toBe("-n");
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
    // DATABASE_URL exactly as the backend's api container has it, with the password it expands.
    expect(c.env).toEqual([
      {
        name: "POSTGRES_PASSWORD",
        valueFrom: { secretKeyRef: { name: "todo-chatbot-postgresql", key: "POSTGRES_PASSWORD" } },
      },
      {
        name: "DATABASE_URL",
        value: "postgres://todo:$(POSTGRES_PASSWORD)@todo-chatbot-postgresql:5432/todo",
      },
      { name: "MODE", value: "pvc" },
      { name: "DUMP", value: "todo-20260101T030000Z.dump" },
    ]);
    expect(c.command.join(" ")).toContain("pg_restore --clean --if-exists");
    expect(c.command.join(" ")).toContain("--single-transaction");
    expect(pod.spec.volumes).toContainEqual({
      name: "backups",
      persistentVolumeClaim: { claimName: "todo-chatbot-backup", readOnly: true },
    });
  });

  test("streams a local dump file into the restore pod of another release", () => {
    const sandbox = makeSandbox([]);
    const file = join(sandbox.dir, "todo.dump");
    writeFileSync(file, "PGDMP-fake-content");
    const run = restore(["--yes", "--keep-backend", "-n", "apps", "-r", "demo", "--file", file]);
    expect(run.status, run.output).toBe(0);
    const runCall = run.calls.find((c) => c.args.includes("run"));
    expect(readState(run.sandbox, "kubectl-run.stdin")).toBe("PGDMP-fake-content");
    expect(runCall?.args.slice(0, 4)).toEqual(["--context", "test-context", "-n", "apps"]);
    expect(run.calls.some((c) => c.args.includes("scale"))).toBe(false);
    const pod = overridesOf(runCall);
    expect(envValue(pod, "MODE")).toBe("stdin");
    expect(JSON.stringify(pod.spec.volumes)).not.toContain("persistentVolumeClaim");
    // The release's backend is the Deployment the cluster labels with instance=demo, used by that name.
    expect(
      run.calls.some((c) =>
        c.args.includes("app.kubernetes.io/instance=demo,app.kubernetes.io/name=backend"),
      ),
    ).toBe(true);
    expect(run.calls.some((c) => c.args.includes("demo-todo-chatbot-backend"))).toBe(true);
    expect(pod.metadata.labels["app.kubernetes.io/instance"]).toBe("demo");
  });

  test("a release without a backend Deployment is refused before anything changes", () => {
    const { status, output, calls } = restore(["--yes", "-r", "nobody"]);
    expect(status).not.toBe(0);
    expect(output).toContain("no backend deployment of release nobody in namespace todo-chatbot");
    expect(calls.some((c) => c.args.includes("scale") || c.args.includes("run"))).toBe(false);
  });

  test("--list shows the dumps on the backup PVC without touching the backend", () => {
    const { status, output, calls } = restore(["--list"]);
    expect(status, output).toBe(0);
    expect(calls.some((c) => c.args.includes("scale"))).toBe(false);
    expect(envValue(overridesOf(calls.find((c) => c.args.includes("run"))), "MODE")).toBe("list");
  });
});
