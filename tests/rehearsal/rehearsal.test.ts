// Issue 8, the deploy rehearsal: the images the Dockerfiles build, started as the containers `helm
// template` renders (see harness/), then the checks a real install would face. Steps run in order and
// build on each other; the summary table (step, result, seconds) is printed at the end.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
// The same browser discovery and launch flags as the web app's end-to-end test.
import { CHROMIUM_ARGS, findChromium } from "../../apps/web/e2e/harness.js";
import { listTitles, loadLoop, signUp, type User } from "./harness/client";
import { Cluster, servicesFrom } from "./harness/cluster";
import { docker, dockerAvailable, repoRoot, run, sleep, tail } from "./harness/exec";
import { checkFields, type K8sObject, notEmulated, renderChart } from "./harness/manifests";
import { checkFlows } from "./harness/policy";
import { Summary } from "./harness/summary";
import { storeFrom } from "./harness/translate";
import { one, Workloads } from "./harness/workloads";

const engine = dockerAvailable();
if (!engine.ok && process.env.CI === "true") {
  throw new Error(
    `CI=true and no Docker engine answers (${engine.reason}): run bash scripts/docker-engine.sh first`,
  );
}
if (!engine.ok)
  console.warn(`rehearsal: SKIPPED, ${engine.reason} (bash scripts/docker-engine.sh starts one)`);

const log = (line: string) => process.stdout.write(`${line}\n`);
const summary = new Summary();
const NODE_IMAGE = process.env.NODE_IMAGE ?? "standin/node:24";

function standinTool(): string | undefined {
  return [
    process.env.STANDIN_IMAGES,
    join(repoRoot, "../shared/tools/standin-images"),
    "/work/shared/tools/standin-images",
  ].find((p): p is string => Boolean(p && existsSync(p)));
}

async function imageExists(ref: string) {
  return (await docker(["image", "inspect", ref], { allowFail: true })).code === 0;
}

describe.skipIf(!engine.ok)("deploy rehearsal: the rendered chart running on the built images", () => {
  let objects: K8sObject[] = [];
  let cluster: Cluster | undefined;
  let workloads: Workloads | undefined;
  let browser: Browser | undefined;
  let failed = false;
  let frontendUrl = "";
  let publicUrl = "";
  const users: User[] = [];

  const c = () => cluster as Cluster;
  const w = () => workloads as Workloads;
  const backendDeployment = () => one(objects, "Deployment", (o) => o.metadata.name.endsWith("-backend"));
  const frontendDeployment = () => one(objects, "Deployment", (o) => o.metadata.name.endsWith("-frontend"));
  const postgres = () => one(objects, "StatefulSet");
  const podsOf = (prefix: string) => [...c().pods.values()].filter((p) => p.name.startsWith(`${prefix}-`));
  const backendPods = () => podsOf(backendDeployment().metadata.name);
  const pgPodName = () => `${postgres().metadata.name}-0`;

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (cluster) {
      const keep = failed || process.env.REHEARSAL_KEEP_LOGS === "1";
      writeFileSync(
        join(cluster.workDir, "events.log"),
        cluster.events.map((e) => `${new Date(e.at).toISOString()} [${e.pod}] ${e.message}`).join("\n"),
      );
      await cluster.teardown(keep);
      if (!keep) rmSync(cluster.workDir, { recursive: true, force: true });
      else log(`rehearsal: container logs and events kept in ${cluster.workDir}`);
    }
    const table = summary.table();
    mkdirSync(join(repoRoot, "artifacts/rehearsal"), { recursive: true });
    writeFileSync(join(repoRoot, "artifacts/rehearsal/summary.md"), `${table}\n`);
    process.stdout.write(`\nDeploy rehearsal summary\n${table}\n`);
  }, 300_000);

  const step = (name: string, fn: (note: (t: string) => void) => Promise<void>, timeout = 600_000) =>
    it(
      name,
      async () => {
        try {
          await summary.step(name, fn);
        } catch (e) {
          failed = true;
          throw e;
        }
      },
      timeout,
    );

  step("images: stand-in bases, backend and frontend", async (note) => {
    const missing = [];
    if (!(await imageExists("standin/node:24"))) missing.push("node");
    if (!(await imageExists("standin/postgres:17"))) missing.push("postgres");
    if (missing.length) {
      const tool = standinTool();
      if (!tool)
        throw new Error(
          `stand-in images ${missing.join(", ")} missing and no standin-images tool (set STANDIN_IMAGES)`,
        );
      for (const m of missing) await run("bash", [tool, m], { timeoutMs: 900_000 });
      note(`built stand-ins: ${missing.join(", ")}`);
    }
    if (process.env.REHEARSAL_SKIP_BUILD === "1") {
      note("REHEARSAL_SKIP_BUILD=1: existing images used");
      return;
    }
    const env = {
      ...process.env,
      NODE_IMAGE,
      NPM_CA: process.env.NPM_CA ?? "/etc/ssl/certs/ca-certificates.crt",
      DOCKER_BUILDKIT: "1",
    };
    if (existsSync(join(repoRoot, "scripts/images.sh"))) {
      await run("bash", ["scripts/images.sh"], { env, timeoutMs: 1_200_000 });
      note("scripts/images.sh");
    } else {
      for (const [app, image] of [
        ["api", "todo-chatbot-backend:latest"],
        ["web", "todo-chatbot-frontend:latest"],
      ] as const) {
        const secret = existsSync(env.NPM_CA) ? ["--secret", `id=npm_ca,src=${env.NPM_CA}`] : [];
        await docker(
          [
            "build",
            "-q",
            "-f",
            `apps/${app}/Dockerfile`,
            "--build-arg",
            `NODE_IMAGE=${NODE_IMAGE}`,
            ...secret,
            "-t",
            image,
            ".",
          ],
          {
            timeoutMs: 1_200_000,
          },
        );
      }
      note("docker build (scripts/images.sh not present yet)");
    }
  });

  step("render: helm template + field check", async (note) => {
    const rendered = await renderChart();
    objects = rendered.objects;
    const report = checkFields(objects);
    const flows = checkFlows(objects);
    for (const image of new Set(objects.flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []))) {
      const ref = image.slice(9, -1);
      if (!(await imageExists(ref))) throw new Error(`rendered image ${ref} is not built`);
    }
    const skipped = Object.entries(report.skippedKinds).map(([k, names]) => `${k}×${names.length}`);
    note(
      `${report.objects} objects, ${report.fields} fields checked; not emulated: ${skipped.join(", ")}; ${flows} flows allowed by the NetworkPolicies`,
    );
    for (const kind of Object.keys(report.skippedKinds)) log(`  not emulated: ${kind}: ${notEmulated[kind]}`);
    const services = servicesFrom(objects);
    cluster = new Cluster(services, log);
    workloads = new Workloads(objects, storeFrom(objects), cluster);
    await cluster.createNetwork();
    const frontendSvc = services.find((s) => s.ports.some((p) => p.nodePort));
    const nodePort = frontendSvc?.ports.find((p) => p.nodePort)?.nodePort;
    if (!nodePort) throw new Error("no NodePort Service for the frontend");
    const busy = await fetch(`http://127.0.0.1:${nodePort}/`, { signal: AbortSignal.timeout(2000) }).then(
      () => true,
      () => false,
    );
    if (busy) {
      const left = (
        await docker(["ps", "--filter", "label=rehearsal", "--format", "{{.Names}}"])
      ).stdout.trim();
      throw new Error(
        `127.0.0.1:${nodePort} (the frontend NodePort) already answers${left ? `; containers left by an earlier rehearsal: ${left.split("\n").join(", ")} (docker rm -f them)` : ""}`,
      );
    }
    frontendUrl = `http://127.0.0.1:${nodePort}`;
    const backendCm = one(objects, "ConfigMap", (o) => o.metadata.name === backendDeployment().metadata.name);
    publicUrl = backendCm.data.PUBLIC_URL;
  });

  step("start: PostgreSQL, then backend (init: wait-for-db, migrate) and frontend", async (note) => {
    const sts = postgres();
    for (let i = 0; i < (sts.spec.replicas ?? 1); i++) {
      const { plan } = w().statefulSetPod(sts, i);
      await c().startPod(plan);
      await c().waitReady(plan.name);
    }
    const started = Date.now();
    const deployments = [backendDeployment(), frontendDeployment()];
    const pods = [];
    for (const d of deployments) {
      for (let i = 0; i < (d.spec.replicas ?? 1); i++) pods.push(c().startPod(w().deploymentPod(d)));
    }
    const running = await Promise.all(pods);
    for (const p of running) await c().waitReady(p.name);
    // The translation took effect in the running containers (user, read-only root, tmpfs, limits...).
    const problems: string[] = [];
    for (const pod of c().pods.values()) {
      const owner = [backendDeployment(), frontendDeployment(), postgres()].find((o) =>
        pod.name.startsWith(`${o.metadata.name}-`),
      );
      const spec = owner?.spec.template.spec;
      for (const container of spec?.containers ?? []) {
        for (const p of await c().verifyContainer(pod.name, container, spec))
          problems.push(`${pod.name}/${container.name}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    note(
      `${running.length + 1} pods ready; deployments ready ${((Date.now() - started) / 1000).toFixed(1)} s after PostgreSQL`,
    );
    const res = await fetch(`${frontendUrl}/healthz`);
    expect(res.status).toBe(200);
  });

  step("helm test pod", async (note) => {
    const testPod = one(objects, "Pod", (o) => o.metadata.annotations?.["helm.sh/hook"] === "test");
    const { code, output } = await c().runPod(w().testPod(testPod), { timeoutMs: 180_000 });
    log(output.replace(/^/gm, "    "));
    if (code !== 0) throw new Error(`helm test pod exited ${code}:\n${tail(output)}`);
    note(output.match(/all \d+ checks passed/)?.[0] ?? "passed");
  });

  step("browser smoke: sign up, add a task, chat adds a task", async (note) => {
    const executablePath = findChromium();
    if (!executablePath) {
      if (process.env.CI === "true") throw new Error("CI=true but no Chromium (apt-get install -y chromium)");
      note("SKIPPED: no Chromium");
      return;
    }
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const shots = join(repoRoot, "artifacts/rehearsal");
    try {
      await page.goto(`${frontendUrl}/tasks`);
      await page.waitForURL(/\/sign-in$/);
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.waitForURL(/\/sign-up$/);
      await page.getByLabel("Name").fill("Rehearsal User");
      await page.getByLabel("Email").fill(`rehearsal-browser-${Date.now()}@example.com`);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(/\/tasks$/);
      await page.getByLabel("New task title").fill("Water the plants");
      await page.getByRole("button", { name: "Add task" }).click();
      await expect
        .poll(() => page.locator(".tasks-page li[data-task-id]", { hasText: "Water the plants" }).count(), {
          timeout: 20_000,
        })
        .toBe(1);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Assistant" }).click();
      await page.waitForURL(/\/chat$/);
      await page.getByLabel("Message the assistant").fill("add a task to buy milk");
      await page.getByLabel("Message the assistant").press("Enter");
      await expect
        .poll(() => page.locator(".message.assistant:not(.pending)").count(), { timeout: 30_000 })
        .toBe(1);
      await expect
        .poll(() => page.locator(".tool-call[data-tool=add_task]").count(), { timeout: 20_000 })
        .toBe(1);
      await expect
        .poll(() => page.locator(".tasks-panel li[data-task-id]", { hasText: "buy milk" }).count(), {
          timeout: 20_000,
        })
        .toBe(1);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
      await page.waitForURL(/\/tasks$/);
      await expect
        .poll(() => page.locator(".tasks-page li[data-task-id]", { hasText: "buy milk" }).count(), {
          timeout: 20_000,
        })
        .toBe(1);
      await page.screenshot({ path: join(shots, "tasks.png") });
      note("tasks page shows “Water the plants” and “buy milk” (added by the assistant)");
    } catch (e) {
      await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
      throw e;
    } finally {
      await context.close();
    }
  });

  step("rolling replacement: second backend joins, first gets preStop + SIGTERM under load", async (note) => {
    const [old] = backendPods();
    if (!old) throw new Error("no backend pod");
    const user = await signUp(frontendUrl, publicUrl, "rolling");
    users.push(user);
    // maxSurge 1, maxUnavailable 0: the new pod is ready (and in the Service) before the old one goes.
    const fresh = await c().startPod(w().deploymentPod(backendDeployment()));
    await c().waitReady(fresh.name);
    const load = loadLoop(frontendUrl, user, "rolling", 3);
    await sleep(3000);
    const before = load.result.requests;
    const { exitCodes, seconds } = await c().deletePod(old.name);
    await sleep(3000);
    const result = await load.stop();
    log(
      `    load: ${result.requests} requests (${before} before the deletion), statuses ${JSON.stringify(result.statusCounts)}`,
    );
    if (result.failures.length)
      log(
        result.failures
          .slice(0, 20)
          .map((f) => `    ${f.at} ms ${f.what}`)
          .join("\n"),
      );
    expect(result.failures, "failed requests during the rolling replacement").toEqual([]);
    expect(Object.values(exitCodes)).toEqual([0]);
    // Both replicas served the load through the shared Service alias.
    const served = (logText: string) => logText.split(`/api/${user.id}/tasks`).length - 1;
    const oldServed = served(readFileSync(join(c().workDir, `${old.name}-api.log`), "utf8"));
    const newServed = served(await c().logs(`${fresh.pause}-api`));
    log(`    requests served: old pod ${oldServed}, new pod ${newServed}`);
    expect(oldServed).toBeGreaterThan(0);
    expect(newServed).toBeGreaterThan(0);
    const titles = new Set(await listTitles(frontendUrl, user));
    expect(result.acknowledged.filter((t) => !titles.has(t))).toEqual([]);
    note(
      `${result.requests} requests (old pod ${oldServed}, new pod ${newServed}), 0 failed; old pod exited 0 after ${seconds.toFixed(1)} s (preStop sleep, then SIGTERM)`,
    );
  });

  step(
    "database restart under load: /readyz 503 then 200, no backend restart, no acknowledged write lost",
    async (note) => {
      const [backend] = backendPods();
      if (!backend) throw new Error("no backend pod");
      const api = backend.containers[0];
      if (!api) throw new Error("no api container");
      const startedBefore = await c().containerStartedAt(backend.name, api.plan.name);
      const port = api.plan.ports.get("http") ?? 8000;
      const user = await signUp(frontendUrl, publicUrl, "dbrestart");
      users.push(user);
      const statuses: { at: number; status: number }[] = [];
      let monitoring = true;
      const t0 = Date.now();
      const monitor = (async () => {
        while (monitoring) {
          const status = await fetch(`http://${backend.ip}:${port}/readyz`, {
            signal: AbortSignal.timeout(3000),
          })
            .then((r) => r.status)
            .catch(() => 0);
          if (statuses.at(-1)?.status !== status) statuses.push({ at: Date.now() - t0, status });
          await sleep(250);
        }
      })();
      const load = loadLoop(frontendUrl, user, "dbrestart", 2);
      await sleep(2000);
      const exit = await c().restartContainer(
        pgPodName(),
        postgres().spec.template.spec.containers[0].name,
        3000,
      );
      await c().waitReady(pgPodName(), 120_000);
      const deadline = Date.now() + 60_000;
      while (
        Date.now() < deadline &&
        !(statuses.some((s) => s.status === 503) && statuses.at(-1)?.status === 200)
      )
        await sleep(250);
      await sleep(2000);
      const result = await load.stop();
      monitoring = false;
      await monitor;
      log(`    /readyz: ${statuses.map((s) => `${s.status}@${(s.at / 1000).toFixed(1)}s`).join(" → ")}`);
      log(`    load: ${result.requests} requests, statuses ${JSON.stringify(result.statusCounts)}`);
      expect(exit, "PostgreSQL exit code after preStop + SIGTERM").toBe(0);
      expect(
        statuses.some((s) => s.status === 503),
        "/readyz turned 503",
      ).toBe(true);
      expect(statuses.at(-1)?.status, "/readyz is 200 again").toBe(200);
      expect(
        await c().containerStartedAt(backend.name, api.plan.name),
        "backend container not restarted",
      ).toBe(startedBefore);
      expect(
        c()
          .livenessFailures()
          .filter((e) => e.pod === backend.name),
      ).toEqual([]);
      const titles = new Set(await listTitles(frontendUrl, user));
      const lost = result.acknowledged.filter((t) => !titles.has(t));
      expect(lost, "acknowledged writes missing after the restart").toEqual([]);
      const first503 = statuses.find((s) => s.status === 503)?.at ?? 0;
      const back = statuses.at(-1)?.at ?? 0;
      note(
        `/readyz 503 for ${((back - first503) / 1000).toFixed(1)} s; ${result.acknowledged.length} acknowledged writes all present; ${result.failures.length} requests refused during the outage`,
      );
    },
  );

  step("backup (CronJob pod) and restore (scripts/db-restore.sh) into a fresh database", async (note) => {
    const pgContainer = `${c().pods.get(pgPodName())?.pause}-${postgres().spec.template.spec.containers[0].name}`;
    const query = "select id, user_id, title, description, completed, created_at from tasks order by id";
    const dump = async () =>
      (
        await docker([
          "exec",
          pgContainer,
          "sh",
          "-c",
          `psql -h /var/run/postgresql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -At -c "${query}"`,
        ])
      ).stdout;
    const originals = await dump();
    const rows = originals.trim().split("\n").length;
    expect(rows).toBeGreaterThan(10);

    // 1. The CronJob's pod, as `kubectl create job --from=cronjob/<name>` would start it.
    const cronJob = one(objects, "CronJob");
    const backup = await c().runPod(w().jobPod(cronJob), { timeoutMs: 300_000 });
    log(backup.output.replace(/^/gm, "    "));
    if (backup.code !== 0) throw new Error(`backup job exited ${backup.code}:\n${tail(backup.output)}`);
    const file = backup.output.match(/pg_dump -Fc -> (\S+)/)?.[1];
    expect(file).toMatch(/^\/backups\/todo-.*\.dump$/);

    // 2. Disaster: the database pod and its volume are gone; the StatefulSet brings up an empty one.
    const sts = postgres();
    await c().deletePod(pgPodName());
    const claim = `${sts.spec.volumeClaimTemplates[0].metadata.name}-${pgPodName()}`;
    await c().removeVolume(c().volumeName(claim));
    await c().startPod(w().statefulSetPod(sts, 0).plan);
    await c().waitReady(pgPodName());

    // 3. scripts/db-restore.sh, unchanged, against a kubectl stand-in that answers from the rendered chart
    //    and records the pod the script asks for; the harness then runs that pod.
    const kubeDir = join(c().workDir, "kube");
    mkdirSync(kubeDir, { recursive: true });
    const deployment = backendDeployment();
    const apiContainer = deployment.spec.template.spec.containers.find((x: K8sObject) => x.name === "api");
    writeFileSync(join(kubeDir, "backend-name"), deployment.metadata.name);
    writeFileSync(join(kubeDir, "replicas"), String(deployment.spec.replicas ?? 1));
    writeFileSync(
      join(
        kubeDir,
        `pvc-${cronJob.spec.jobTemplate.spec.template.spec.volumes.find((v: K8sObject) => v.persistentVolumeClaim).persistentVolumeClaim.claimName}`,
      ),
      "",
    );
    for (const e of apiContainer.env) writeFileSync(join(kubeDir, `env-${e.name}.json`), JSON.stringify(e));
    const script = await run(
      "bash",
      [
        "scripts/db-restore.sh",
        "--yes",
        "--image",
        cronJob.spec.jobTemplate.spec.template.spec.containers[0].image,
      ],
      {
        env: {
          ...process.env,
          PATH: `${join(repoRoot, "tests/rehearsal/standin")}:${process.env.PATH}`,
          REHEARSAL_KUBE_DIR: kubeDir,
        },
      },
    );
    const calls = readFileSync(join(kubeDir, "calls.log"), "utf8");
    const shown = calls
      .split(/\n(?=kubectl )/)
      .map((line) => line.replace(/--overrides=[\s\S]*/, "--overrides=<pod spec>").trim());
    log(`    db-restore.sh called:\n${shown.map((l) => `      ${l}`).join("\n")}`);
    const overrides = JSON.parse(readFileSync(join(kubeDir, "run-overrides.json"), "utf8"));
    const image = readFileSync(join(kubeDir, "run-image"), "utf8").trim();
    // `kubectl scale --replicas=0` before the pod, `--replicas=N` after it (the script's EXIT trap).
    expect(calls).toMatch(
      /scale deployment \S+ --replicas=0[\s\S]*run [\s\S]*scale deployment \S+ --replicas=1/,
    );
    for (const pod of backendPods()) await c().deletePod(pod.name);
    const spec = overrides.spec;
    for (const container of spec.containers) {
      container.image ??= image;
      // kubectl run -i: stdin is attached; in PVC mode the script feeds it /dev/null.
      delete container.stdin;
      delete container.stdinOnce;
    }
    // kubectl run leaves service links on (Kubernetes' default); they only add *_SERVICE_HOST variables.
    spec.enableServiceLinks ??= false;
    checkFields([
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "restore", labels: overrides.metadata?.labels ?? {} },
        spec,
      },
    ]);
    const restore = await c().runPod(
      w().adHocPod(
        spec,
        readFileSync(join(kubeDir, "run-pod"), "utf8").trim(),
        overrides.metadata?.labels ?? {},
      ),
    );
    log(restore.output.replace(/^/gm, "    "));
    if (restore.code !== 0) throw new Error(`restore pod exited ${restore.code}:\n${tail(restore.output)}`);
    void script;

    const restored = await dump();
    expect(restored).toBe(originals);

    // 4. Scale the backend back (the script's trap) and read a user's tasks through the frontend.
    const back = await c().startPod(w().deploymentPod(deployment));
    await c().waitReady(back.name);
    for (const user of users) {
      const titles = await listTitles(frontendUrl, user);
      expect(titles.length).toBeGreaterThan(0);
    }
    // Over the whole rehearsal no startup or liveness probe failed: the kubelet would have restarted nothing.
    expect(c().livenessFailures()).toEqual([]);
    note(`${file}; ${rows} task rows restored identical; backend back and serving them`);
  });
});
