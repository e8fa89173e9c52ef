import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands, makeSandbox, runScript } from "../support/standins";

describe("k8s-down.sh", () => {
  it("uninstalls the release and keeps volumes and the Secret", () => {
    const sandbox = makeSandbox(["kubectl", "helm"]);
    writeFileSync(join(sandbox.state, "release-todo-chatbot"), "1\n");
    const run = runScript(sandbox, "k8s-down.sh");
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toEqual([
      "helm --kube-context minikube -n todo-chatbot status todo-chatbot",
      "helm --kube-context minikube uninstall todo-chatbot -n todo-chatbot",
      "kubectl --context minikube -n todo-chatbot get pvc,secret",
    ]);
    expect(run.stdout).toContain("volumes and the app Secret are kept");
  });

  it("deletes the namespace only with PURGE=1", () => {
    const sandbox = makeSandbox(["kubectl", "helm"]);
    writeFileSync(join(sandbox.state, "release-todo-chatbot"), "1\n");
    writeFileSync(join(sandbox.state, "namespace-todo-chatbot"), "");
    const run = runScript(sandbox, "k8s-down.sh", [], { PURGE: "1" });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toEqual([
      "helm --kube-context minikube -n todo-chatbot status todo-chatbot",
      "helm --kube-context minikube uninstall todo-chatbot -n todo-chatbot",
      "kubectl --context minikube get namespace todo-chatbot",
      "kubectl --context minikube delete namespace todo-chatbot --wait=true",
    ]);
  });

  it("succeeds when nothing is installed", () => {
    const sandbox = makeSandbox(["kubectl", "helm"]);
    const run = runScript(sandbox, "k8s-down.sh");
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain("is not installed");
    expect(commands(run.calls)).not.toContainEqual(expect.stringContaining("uninstall"));
  });

  it("stops with the install hint when helm is missing", () => {
    const run = runScript(makeSandbox(["kubectl"]), "k8s-down.sh");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("MISSING: helm — install Helm 3.14 or newer");
  });
});

describe("k8s-status.sh", () => {
  it("shows release, workloads, resource use, warnings and the URL", () => {
    const sandbox = makeSandbox(["minikube", "kubectl", "helm"]);
    writeFileSync(join(sandbox.state, "release-todo-chatbot"), "1\n");
    const run = runScript(sandbox, "k8s-status.sh");
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toEqual([
      "helm --kube-context minikube status todo-chatbot -n todo-chatbot",
      "kubectl --context minikube -n todo-chatbot get deployments,statefulsets,pods,services,hpa,pvc,cronjobs,jobs -o wide",
      "kubectl --context minikube -n todo-chatbot top pods",
      "kubectl --context minikube -n todo-chatbot get events --field-selector type=Warning --sort-by=.lastTimestamp",
      "minikube -p minikube ip",
      "kubectl --context minikube -n todo-chatbot get service" +
        " -l app.kubernetes.io/instance=todo-chatbot,app.kubernetes.io/name=frontend -o jsonpath={.items[*].metadata.name}",
    ]);
    expect(run.stdout).toContain("http://192.168.49.2:30080");
    expect(run.stdout).toContain("service todo-chatbot-frontend -n todo-chatbot --url");
  });
});

describe("k8s-logs.sh", () => {
  it("shows every pod of the release by default", () => {
    const run = runScript(makeSandbox(["kubectl"]), "k8s-logs.sh");
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toEqual([
      "kubectl --context minikube -n todo-chatbot logs --all-containers --prefix --timestamps --tail=200" +
        " -l app.kubernetes.io/instance=todo-chatbot --max-log-requests=20",
    ]);
  });

  it("follows one component's pods, found by the chart's labels", () => {
    const run = runScript(makeSandbox(["kubectl"]), "k8s-logs.sh", ["backend"], { FOLLOW: "1", TAIL: "50" });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toEqual([
      "kubectl --context minikube -n todo-chatbot logs --all-containers --prefix --timestamps --tail=50 --follow" +
        " -l app.kubernetes.io/instance=todo-chatbot,app.kubernetes.io/name=backend --max-log-requests=10",
    ]);
  });

  it("rejects an unknown component", () => {
    const run = runScript(makeSandbox(["kubectl"]), "k8s-logs.sh", ["redis"]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("unknown component 'redis'");
  });
});

describe("k8s-backup.sh", () => {
  /** A kubectl stand-in whose cluster holds the release. */
  const installed = (release: string) => {
    const sandbox = makeSandbox(["kubectl"]);
    writeFileSync(join(sandbox.state, `release-${release}`), "1\n");
    return sandbox;
  };

  it("runs a Job from the backup CronJob, waits for it and shows its log", () => {
    const run = runScript(installed("todo-chatbot"), "k8s-backup.sh");
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls).map((c) => c.replace(/manual-\d{14}/g, "manual-<time>"));
    // One lookup by the chart's labels, then the Job from that CronJob, its wait and its log.
    expect(cmds.filter((c) => c.includes(" get cronjob"))).toEqual([
      "kubectl --context minikube -n todo-chatbot get cronjob" +
        " -l app.kubernetes.io/instance=todo-chatbot,app.kubernetes.io/name=backup -o jsonpath={.items[*].metadata.name}",
    ]);
    expect(cmds).toContain(
      "kubectl --context minikube -n todo-chatbot create job todo-chatbot-backup-manual-<time> --from=cronjob/todo-chatbot-backup",
    );
    expect(cmds.at(-2)).toMatch(
      /wait --for=condition=complete job\/todo-chatbot-backup-manual-<time> --timeout=10m$/,
    );
    expect(cmds.at(-1)).toMatch(/logs job\/todo-chatbot-backup-manual-<time> --all-containers$/);
  });

  it("uses BACKUP_CRONJOB when given, after checking that it exists", () => {
    const run = runScript(installed("todo-chatbot"), "k8s-backup.sh", [], {
      BACKUP_CRONJOB: "todo-chatbot-backup",
    });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds[0]).toBe("kubectl --context minikube -n todo-chatbot get cronjob todo-chatbot-backup");
    expect(cmds.some((c) => c.includes(" -l "))).toBe(false);
    expect(cmds).toContainEqual(expect.stringMatching(/--from=cronjob\/todo-chatbot-backup$/));
  });

  it("names a BACKUP_CRONJOB that does not exist", () => {
    const run = runScript(installed("todo-chatbot"), "k8s-backup.sh", [], {
      BACKUP_CRONJOB: "nightly",
      STANDIN_NO_CRONJOB: "1",
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("no backup CronJob nightly in namespace todo-chatbot");
  });

  it("finds the CronJob of another release by its labels, not by a name rule", () => {
    const run = runScript(installed("demo"), "k8s-backup.sh", [], { RELEASE: "demo" });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toContainEqual(
      expect.stringMatching(
        /create job demo-todo-chatbot-backup-manual-\d+ --from=cronjob\/demo-todo-chatbot-backup$/,
      ),
    );
  });

  it("explains backup.enabled when the CronJob is absent", () => {
    const run = runScript(installed("todo-chatbot"), "k8s-backup.sh", [], { STANDIN_NO_CRONJOB: "1" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("backup.enabled=true");
  });

  it("fails and shows the Job log when the backup does not complete", () => {
    const run = runScript(installed("todo-chatbot"), "k8s-backup.sh", [], {
      STANDIN_FAIL: "kubectl --context minikube -n todo-chatbot wait",
    });
    expect(run.status).not.toBe(0);
    expect(commands(run.calls).at(-1)).toMatch(/logs job\/todo-chatbot-backup-manual-\d+ --all-containers$/);
    expect(run.stderr).toContain("did not complete");
  });
});

describe("k8s-restore.sh", () => {
  it("calls the chart's db-restore script with the arguments and the release settings", () => {
    const sandbox = makeSandbox(["kubectl"]);
    const fake = join(sandbox.dir, "db-restore.sh");
    writeFileSync(
      fake,
      `#!/usr/bin/env bash\necho "restore args=[$*] ns=$NAMESPACE release=$RELEASE context=$KUBE_CONTEXT" >"${sandbox.dir}/restore.out"\n`,
    );
    chmodSync(fake, 0o755);
    const run = runScript(sandbox, "k8s-restore.sh", ["todo-20250101.dump"], { DB_RESTORE_SCRIPT: fake });
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain(`+ bash ${fake} todo-20250101.dump`);
    const out = readFileSync(join(sandbox.dir, "restore.out"), "utf8");
    expect(out).toBe(
      "restore args=[todo-20250101.dump] ns=todo-chatbot release=todo-chatbot context=minikube\n",
    );
  });

  it("says where the restore script should be when it is missing", () => {
    const sandbox = makeSandbox(["kubectl"]);
    const run = runScript(sandbox, "k8s-restore.sh", [], { DB_RESTORE_SCRIPT: join(sandbox.dir, "nope.sh") });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("nope.sh not found");
  });
});
