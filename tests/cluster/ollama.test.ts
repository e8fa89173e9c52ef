// The chart's in-cluster LLM (llm.ollama.enabled) on the real cluster, with the fake Ollama image of
// ./fake-ollama as the LLM pod (the real image and model cannot be pulled here). Its own release and
// namespace (todo-llm, NodePort 30081), so it never touches the main suite's todo-chatbot release; runs
// after it (fileParallelism: false). Asserted from the cluster: the Ollama Deployment Ready, the pull Job
// Complete with the pull in its log, the backend's LLM_BASE_URL on the Ollama Service, and one chat turn
// through the frontend answered by the fake (streamed, from the backend pod's address) that adds a task.
import { afterAll, describe, expect, it } from "vitest";
import { signUp, sleep, type User } from "../support/client";
import { runAsync } from "../support/process";
import { Summary } from "../support/summary";
import { env, type K8sObject, k8sUp, requireCluster, sh, waitFor } from "./support";

const CTR_ADDRESS = process.env.CTR_ADDRESS ?? "/var/lib/todo-chatbot-cluster/containerd/containerd.sock";
const DOCKER = process.env.DOCKER ?? "/usr/bin/docker";
const NAMESPACE = "todo-llm";
const RELEASE = "todo-llm";
const NODE_PORT = 30081;
const FAKE_OLLAMA = "todo-ci/fake-ollama:test";
const MODEL = "qwen2.5:3b";
// The app images (IMAGE_TAG, as make k8s-up reads it): the main suite's make k8s-up builds them; when
// they are missing, this file's make k8s-up builds them.
const IMAGE_TAG = process.env.IMAGE_TAG ?? "latest";
const APP_IMAGES = [`todo-chatbot-backend:${IMAGE_TAG}`, `todo-chatbot-frontend:${IMAGE_TAG}`];
const STANDIN_POSTGRES = "standin/postgres:17";
const NODE_IMAGE = process.env.NODE_IMAGE ?? "standin/node:24";
const INSTANCE = `app.kubernetes.io/instance=${RELEASE}`;

const log = (line: string) => process.stdout.write(`${line}\n`);
const summary = new Summary();

const kns = (...args: string[]) => sh("kubectl", ["-n", NAMESPACE, ...args]);
const kjson = async (...args: string[]): Promise<K8sObject> => JSON.parse(await kns(...args, "-o", "json"));
const namespaceExists = async () =>
  (await runAsync("kubectl", ["get", "namespace", NAMESPACE], { env })).status === 0;
const only = async (kind: string, component: string) => {
  const { items } = await kjson("get", kind, "-l", `app.kubernetes.io/name=${component},${INSTANCE}`);
  if (items.length !== 1) throw new Error(`expected one ${component} ${kind}, found ${items.length}`);
  return items[0] as K8sObject;
};

async function deleteNamespace() {
  if (!(await namespaceExists())) return;
  await sh("kubectl", ["delete", "namespace", NAMESPACE, "--wait=true", "--timeout=5m"]);
}

await requireCluster();

describe("the chart's in-cluster Ollama on a real cluster, the fake Ollama as the LLM pod", () => {
  const frontendUrl = `http://10.201.0.1:${NODE_PORT}`;
  let ollamaService = "";
  // App images not in the local Docker yet: make k8s-up then builds them (else SKIP_BUILD=1).
  const missingLocally: string[] = [];

  afterAll(async () => {
    const started = Date.now();
    if ((await runAsync("helm", ["status", RELEASE, "-n", NAMESPACE], { env })).status === 0) {
      await sh("helm", ["uninstall", RELEASE, "-n", NAMESPACE, "--wait", "--timeout", "5m"]);
    }
    await deleteNamespace();
    expect(await namespaceExists()).toBe(false);
    summary.steps.push({
      step: `helm uninstall ${RELEASE}, kubectl delete namespace ${NAMESPACE}`,
      result: "pass",
      seconds: (Date.now() - started) / 1000,
      note: "gone",
    });
    log(`\nIn-cluster Ollama summary\n${summary.table()}`);
  });

  const step = (name: string, fn: (note: (t: string) => void) => Promise<void>) =>
    it(name, () => summary.step(name, fn));

  step("the fake Ollama image, built and imported into the node's containerd", async (note) => {
    // A namespace left by an interrupted run would keep its PVC, and with it the pulled model.
    await deleteNamespace();
    const started = Date.now();
    await sh(DOCKER, [
      "build",
      "-q",
      "-f",
      "tests/cluster/fake-ollama/Dockerfile",
      "-t",
      FAKE_OLLAMA,
      "tests",
    ]);
    const inNode = (await sh("ctr", ["--address", CTR_ADDRESS, "-n", "k8s.io", "images", "ls", "-q"])).split(
      "\n",
    );
    const toImport = [FAKE_OLLAMA];
    for (const image of [...APP_IMAGES, STANDIN_POSTGRES]) {
      if ((await runAsync(DOCKER, ["image", "inspect", image])).status !== 0) {
        missingLocally.push(image);
      } else if (![`docker.io/library/${image}`, `docker.io/${image}`].some((ref) => inNode.includes(ref))) {
        toImport.push(image);
      }
    }
    if (missingLocally.includes(STANDIN_POSTGRES))
      throw new Error(
        `${STANDIN_POSTGRES} missing: run the main cluster suite first (it builds the stand-ins)`,
      );
    for (const image of toImport) {
      await sh("bash", [
        "-c",
        'set -o pipefail; "$0" save "$1" | ctr --address "$2" -n k8s.io images import - >/dev/null',
        DOCKER,
        image,
        CTR_ADDRESS,
      ]);
    }
    const toBuild = missingLocally.length ? `; built by make k8s-up: ${missingLocally.join(", ")}` : "";
    note(`${((Date.now() - started) / 1000).toFixed(0)} s; imported ${toImport.join(", ")}${toBuild}`);
  });

  step(`make k8s-up (release ${RELEASE}, llm.ollama.enabled): all Ready, helm test passes`, async (note) => {
    const started = Date.now();
    const out = await k8sUp(
      {
        NAMESPACE,
        RELEASE,
        ...(missingLocally.length
          ? { NODE_IMAGE, NPM_CA: process.env.NPM_CA ?? "/etc/ssl/certs/ca-certificates.crt" }
          : { SKIP_BUILD: "1" }),
        LOAD_IMAGES: STANDIN_POSTGRES,
        PUBLIC_URL: frontendUrl,
        VALUES: "tests/cluster/values-ci.yaml tests/cluster/values-ollama.yaml",
      },
      log,
    );
    // helm test's own chat turn ("add a task to test the chart") was answered by the fake, through the tool.
    expect(out).toContain("assistant: Added test the chart (via fake-ollama)");
    expect(out).toContain(`Todo Chatbot is up: ${frontendUrl}`);
    const ns = await sh("kubectl", ["get", "namespace", NAMESPACE, "-o", "json"]).then(JSON.parse);
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    note(`${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  step("the Ollama Deployment is Ready and the pull Job Complete, the pull in its log", async (note) => {
    const deployment = await only("deployments", "ollama");
    expect(deployment.status.readyReplicas).toBe(1);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe(FAKE_OLLAMA);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const job = await only("jobs", "ollama-pull");
    const name = job.metadata.name as string;
    await kns("wait", "--for=condition=Complete", `job/${name}`, "--timeout=3m");
    const pullLog = await kns("logs", `job/${name}`);
    log(pullLog.replace(/^/gm, "    | "));
    expect(pullLog).toContain(`pulling ${MODEL}`);
    expect(pullLog).toMatch(/^success$/m);
    expect(pullLog).toMatch(new RegExp(`^${MODEL.replace(".", "\\.")}\\s`, "m"));
    note(`${deployment.metadata.name} Ready; ${name} Complete: pulled ${MODEL}`);
  });

  step("the backend's LLM_BASE_URL is the Ollama Service", async (note) => {
    const service = await only("services", "ollama");
    ollamaService = service.metadata.name;
    const port = service.spec.ports[0].port;
    const backend = await only("deployments", "backend");
    const printed = await kns(
      "exec",
      `deployment/${backend.metadata.name}`,
      "--",
      "node",
      "-e",
      "console.log(process.env.LLM_BASE_URL, process.env.LLM_MODEL)",
    );
    expect(printed.trim()).toBe(`http://${ollamaService}:${port}/v1 ${MODEL}`);
    const ollamaPod = (await kjson("get", "pods", "-l", `app.kubernetes.io/name=ollama,${INSTANCE}`))
      .items[0];
    const slices = await kjson("get", "endpointslices", "-l", `kubernetes.io/service-name=${ollamaService}`);
    const addresses = slices.items.flatMap((s: K8sObject) =>
      (s.endpoints ?? [])
        .filter((e: K8sObject) => e.conditions?.ready)
        .flatMap((e: K8sObject) => e.addresses),
    );
    expect(addresses).toEqual([ollamaPod.status.podIP]);
    note(`LLM_BASE_URL=http://${ollamaService}:${port}/v1, LLM_MODEL=${MODEL}; endpoint ${addresses[0]}`);
  });

  step("a chat turn through the frontend: the fake answers (streamed) and the task exists", async (note) => {
    const user: User = await signUp(frontendUrl, frontendUrl, "ollama");
    const headers = { authorization: `Bearer ${user.token}`, "content-type": "application/json" };
    const title = `water the ferns ${Date.now()}`;
    const res = await fetch(`${frontendUrl}/api/${user.id}/chat`, {
      method: "POST",
      headers,
      body: JSON.stringify({ message: `add a task to ${title}` }),
      signal: AbortSignal.timeout(60_000),
    });
    const turn = (await res.json()) as { response?: string; tool_calls?: unknown[] };
    expect(res.status, JSON.stringify(turn)).toBe(200);
    expect(turn.response).toBe(`Added ${title} (via fake-ollama)`);
    expect(JSON.stringify(turn.tool_calls)).toContain("add_task");
    const tasks = (await (await fetch(`${frontendUrl}/api/${user.id}/tasks`, { headers })).json()) as {
      title: string;
    }[];
    expect(tasks.map((t) => t.title)).toContain(title);
    const backendPod = (
      await kjson("get", "pods", "-l", `app.kubernetes.io/name=backend,${INSTANCE}`)
    ).items.find((p: K8sObject) => !p.metadata.deletionTimestamp);
    const fakeLog = await kns("logs", `deployment/${(await only("deployments", "ollama")).metadata.name}`);
    const ours = fakeLog.split("\n").filter((l) => l.includes(title));
    log(ours.map((l) => `    | ${l}`).join("\n"));
    // The backend streams every model call (apps/api/src/agent/runner.ts); an image built before that
    // change sends stream=false, so say which image answered.
    const image = backendPod.spec.containers[0].image as string;
    const label = await sh(DOCKER, [
      "image",
      "inspect",
      "-f",
      '{{index .Config.Labels "org.opencontainers.image.revision"}}',
      image,
    ]);
    expect(ours, `backend image ${image}, built from revision ${label.trim()}`).toEqual([
      `fake-ollama: chat model=${MODEL} stream=true messages=2 tools=5 -> tool_calls add_task ${JSON.stringify({ title })}`,
      `fake-ollama: chat model=${MODEL} stream=true messages=4 tools=5 -> text ${JSON.stringify(`Added ${title} (via fake-ollama)`)}`,
    ]);
    expect(fakeLog).toContain(`| ${backendPod.status.podIP} | POST "/v1/chat/completions"`);
    note(`“${turn.response}”; the task is listed; 2 streamed /v1/chat/completions from the backend pod`);
  });
});
