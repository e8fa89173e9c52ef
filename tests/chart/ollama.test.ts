// llm.ollama.enabled (issue 13 point 4): the release's own Ollama as a free local LLM, asserted on the
// rendered manifests — the server with its model PVC, the Job that pulls the model once, the backend
// wired to it as its OpenAI-compatible endpoint, the network policies around it, and the Ingress that
// passes streamed chat replies on unbuffered. The matrix case "ollama-on" also runs through every
// rule in rules.test.ts and through kubernetes-validate and checkov in validate.test.ts.
import { beforeAll, describe, expect, test } from "vitest";
import { find, get, helmTemplate, podTemplateOf, type Rendered, renderMatrix } from "./support/manifests";
import { requireTools } from "./support/tools";

const tools = requireTools(["helm"]);
const helm = tools.paths.helm ?? "helm";
const suffix = tools.skipReason ? ` (${tools.skipReason})` : "";

interface Peer {
  podSelector?: { matchLabels: Record<string, string> };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: number | string; protocol: string }[];
}
type Policy = { podSelector: { matchLabels: Record<string, string> }; ingress?: Rule[]; egress?: Rule[] };

/** Parses "3Gi" / "512Mi" into MiB. */
const mib = (q: string) => Number.parseFloat(q) * (q.endsWith("Gi") ? 1024 : 1);

describe.skipIf(tools.missing.length > 0)(`in-cluster Ollama (llm.ollama.enabled)${suffix}`, () => {
  let cases: Rendered[] = [];
  const byName = (name: string): Rendered => {
    const r = cases.find((c) => c.name === name);
    if (!r) throw new Error(`no case ${name}`);
    return r;
  };
  beforeAll(() => {
    cases = renderMatrix(helm);
  });
  const policy = (r: Rendered, name: string) => get(r, "NetworkPolicy", name).spec as Policy;

  test("off by default: no Ollama object, and the backend keeps llm.baseUrl / llm.model as given", () => {
    for (const name of ["defaults", "values-minikube", "all-features"]) {
      const r = byName(name);
      expect(r.objects.filter((o) => o.metadata.name.includes("ollama")).map((o) => o.kind)).toEqual([]);
    }
    const config = get(byName("all-features"), "ConfigMap", "todo-chatbot-backend").data;
    expect(config?.LLM_BASE_URL).toBe("http://ollama.ollama:11434/v1");
    expect(config?.LLM_MODEL).toBe("llama3.2");
    expect(get(byName("defaults"), "ConfigMap", "todo-chatbot-backend").data).not.toHaveProperty(
      "LLM_BASE_URL",
    );
  });

  test("deploys the official image with its models on a kept PVC, one replica, laptop-sized requests", () => {
    const r = byName("ollama-on");
    const deployment = get(r, "Deployment", "todo-chatbot-ollama");
    expect((deployment.spec as { replicas: number; strategy: { type: string } }).replicas).toBe(1);
    expect((deployment.spec as { strategy: { type: string } }).strategy.type).toBe("Recreate");
    const pod = podTemplateOf(deployment)?.spec;
    const server = pod?.containers[0];
    expect(server?.image).toMatch(/^ollama\/ollama:\d+\.\d+\.\d+$/);
    expect(server?.ports).toEqual([{ name: "http", containerPort: 11434, protocol: "TCP" }]);
    const env = Object.fromEntries((server?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ OLLAMA_HOST: "0.0.0.0:11434", OLLAMA_MODELS: "/models", HOME: "/tmp" });
    expect(server?.volumeMounts?.map((m) => m.mountPath).sort()).toEqual(["/models", "/tmp"]);
    expect(pod?.volumes?.find((v) => v.name === "models")?.persistentVolumeClaim?.claimName).toBe(
      "todo-chatbot-ollama",
    );
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    // A laptop: at most 4 GiB and 2 cores requested, and a limit that a 3B model fits in.
    const requests = server?.resources?.requests ?? {};
    expect(mib(requests.memory ?? "0")).toBeLessThanOrEqual(4096);
    expect(Number.parseFloat(requests.cpu ?? "0")).toBeLessThanOrEqual(2);
    expect(mib(server?.resources?.limits?.memory ?? "0")).toBeGreaterThanOrEqual(4096);

    const pvc = get(r, "PersistentVolumeClaim", "todo-chatbot-ollama");
    expect(pvc.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    expect(pvc.spec).toMatchObject({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "10Gi" } },
    });
    const service = get(r, "Service", "todo-chatbot-ollama").spec as {
      type: string;
      ports: { port: number }[];
      selector: Record<string, string>;
    };
    expect(service.type).toBe("ClusterIP");
    expect(service.ports[0]?.port).toBe(11434);
    expect(podTemplateOf(deployment)?.metadata.labels).toMatchObject(service.selector);
  });

  test("a Job pulls llm.ollama.model once through the Ollama API (skipped when already on the PVC)", () => {
    const r = byName("ollama-on");
    const jobs = r.objects.filter(
      (o) => o.kind === "Job" && o.metadata.name.startsWith("todo-chatbot-ollama-pull-"),
    );
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    if (!job) throw new Error("no pull Job");
    expect(job.metadata.annotations?.["helm.sh/hook"]).toBeUndefined(); // `helm --wait` does not wait for the download
    const c = podTemplateOf(job)?.spec.containers[0];
    const env = Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ OLLAMA_HOST: "http://todo-chatbot-ollama:11434", MODEL: "qwen2.5:3b" });
    const script = c?.command?.join(" ") ?? "";
    expect(script).toContain('ollama show "$MODEL"');
    expect(script).toContain('ollama pull "$MODEL"');

    // Another model is another Job (a Job's pod template is immutable); the same values keep the name.
    const other = helmTemplate(helm, [
      "--set",
      "llm.ollama.enabled=true",
      "--set",
      "llm.ollama.model=llama3.2:3b",
    ]);
    expect(other.status, other.stderr).toBe(0);
    const otherName = other.stdout.match(/name: (todo-chatbot-ollama-pull-\w+)/)?.[1];
    expect(otherName).toBeDefined();
    expect(otherName).not.toBe(job.metadata.name);
    const same = helmTemplate(helm, ["--set", "llm.ollama.enabled=true"]);
    expect(same.stdout.match(/name: (todo-chatbot-ollama-pull-\w+)/)?.[1]).toBe(job.metadata.name);
    expect(other.stdout).toContain('value: "llama3.2:3b"');
  });

  test("the backend uses it as its OpenAI-compatible endpoint: LLM_BASE_URL, LLM_MODEL, AGENT_MODE auto", () => {
    const config = get(byName("ollama-on"), "ConfigMap", "todo-chatbot-backend").data ?? {};
    expect(config.LLM_BASE_URL).toBe("http://todo-chatbot-ollama:11434/v1");
    expect(config.LLM_MODEL).toBe("qwen2.5:3b");
    expect(config.AGENT_MODE).toBe("auto");
    expect(config.LLM_TIMEOUT_MS).toBe("120000");
    // No key is needed: the chart Secret's OPENAI_API_KEY stays empty unless one is given.
    const secret = find(byName("ollama-on"), "Secret", "todo-chatbot-backend");
    expect(secret?.data?.OPENAI_API_KEY ?? "").toBe("");

    const withModel = helmTemplate(helm, [
      "--set",
      "llm.ollama.enabled=true",
      "--set",
      "llm.model=qwen2.5:7b",
    ]);
    expect(withModel.stdout).toContain('LLM_MODEL: "qwen2.5:7b"');
  });

  test("network policies: only the backend and the pull Job reach Ollama; Ollama reaches DNS and HTTPS only", () => {
    const r = byName("ollama-on");
    const ollama = policy(r, "todo-chatbot-ollama");
    expect(ollama.podSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "ollama",
      "app.kubernetes.io/instance": "todo-chatbot",
    });
    const from = (ollama.ingress ?? []).flatMap((x) => x.from ?? []);
    expect(from.map((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"])).toEqual([
      "backend",
      "ollama-pull",
    ]);
    expect((ollama.ingress ?? []).flatMap((x) => x.ports ?? [])).toEqual([{ protocol: "TCP", port: "http" }]);
    expect((ollama.egress ?? []).flatMap((x) => (x.ports ?? []).map((p) => String(p.port))).sort()).toEqual([
      "443",
      "53",
      "53",
    ]);
    expect(JSON.stringify(ollama.egress)).not.toContain("podSelector");

    const backend = policy(r, "todo-chatbot-backend");
    const toOllama = (backend.egress ?? []).find((x) =>
      x.to?.some((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"] === "ollama"),
    );
    expect(toOllama?.ports).toEqual([{ protocol: "TCP", port: 11434 }]);

    const pull = policy(r, "todo-chatbot-ollama-pull");
    expect(pull.ingress).toEqual([]);
    const pullTo = (pull.egress ?? []).flatMap((x) => x.to ?? []);
    expect(pullTo.map((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"])).toEqual(["ollama"]);
    // The frontend cannot reach Ollama.
    const frontend = policy(r, "todo-chatbot-frontend");
    expect(JSON.stringify(frontend.egress)).not.toContain("ollama");
  });

  test("the Ingress passes streamed chat replies on unbuffered (ingress-nginx)", () => {
    for (const name of ["ingress-on", "ollama-on"]) {
      const annotations = get(byName(name), "Ingress", "todo-chatbot-frontend").metadata.annotations ?? {};
      expect(annotations["nginx.ingress.kubernetes.io/proxy-buffering"], name).toBe("off");
      expect(
        Number(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]),
        name,
      ).toBeGreaterThanOrEqual(120);
    }
    // User annotations are added, not replacing ours.
    const custom = helmTemplate(helm, [
      "--set",
      "ingress.enabled=true",
      "--set",
      "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-body-size=2m",
    ]);
    expect(custom.status, custom.stderr).toBe(0);
    expect(custom.stdout).toContain('nginx.ingress.kubernetes.io/proxy-buffering: "off"');
    expect(custom.stdout).toContain("nginx.ingress.kubernetes.io/proxy-body-size: 2m");
  });

  test("contradictory or unknown values are rejected, naming what to change", () => {
    const both = helmTemplate(helm, [
      "--set",
      "llm.ollama.enabled=true",
      "--set",
      "llm.baseUrl=http://x:1/v1",
    ]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain("set either llm.ollama.enabled");
    const offline = helmTemplate(helm, ["--set", "llm.ollama.enabled=true", "--set", "agent.mode=offline"]);
    expect(offline.status).not.toBe(0);
    expect(offline.stderr).toContain("agent.mode=auto");
    const typo = helmTemplate(helm, ["--set", "llm.ollama.modle=x"]);
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain("at '/llm/ollama': additional properties 'modle' not allowed");
    const badSize = helmTemplate(helm, ["--set", "llm.ollama.persistence.size=lots"]);
    expect(badSize.status).not.toBe(0);
    expect(badSize.stderr).toContain("/llm/ollama/persistence/size");
  });
});
