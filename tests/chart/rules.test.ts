// The chart's own rules, asserted on the rendered matrix: only what kubernetes-validate and checkov
// (validate.test.ts) do not check. Checkov already fails the suite on a container without CPU/memory
// requests and limits, liveness or readiness probes, runAsNonRoot, a read-only root, a ban on privilege
// escalation, dropped capabilities, RuntimeDefault seccomp or automountServiceAccountToken: false, so
// those are not repeated here. What remains, and why checkov cannot say it:
// - startup probes, a preStop hook and a grace period longer than it (checkov has no such checks);
// - the app's probe paths, writable mounts, rolling-update and spread settings (our own design);
// - no metadata.namespace and the standard labels (checkov's namespace check is skipped on purpose);
// - selectors of name + instance only, unchanged against the snapshot (immutable on live objects);
// - replicas/HPA/PDB, checksum annotations, scraping, secrets never in ConfigMaps or pod specs, the
//   DATABASE_URL wiring, network policies, Ingress, backup and helm test (they follow our values).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  allContainers,
  type Container,
  find,
  get,
  id,
  type Manifest,
  type PodTemplate,
  podTemplateOf,
  type Rendered,
  render,
  renderMatrix,
} from "./support/manifests";
import { requireTools } from "./support/tools";

const tools = requireTools(["helm"]);
const helm = tools.paths.helm ?? "helm";
const suffix = tools.skipReason ? ` (${tools.skipReason})` : "";
const selectorSnapshot = join(import.meta.dirname, "selectors.snapshot.json");

/** Long-running workloads: the pods that serve (probes, preStop, rolling updates apply). */
const servingKinds = new Set(["Deployment", "StatefulSet"]);

/**
 * The in-cluster Ollama (llm.ollama.enabled) is one replica on a ReadWriteOnce model PVC: it is
 * recreated rather than rolled (a second pod could not mount the volume on another node, nor hold a
 * second copy of the model in a laptop's memory), and its configuration is inline in the pod template
 * (no ConfigMap or Secret whose checksum would have to roll it).
 */
const singleRecreated = new Set(["todo-chatbot-ollama"]);
/**
 * PostgreSQL reads only a Secret whose password the chart generates once and never changes (the data
 * directory accepts only the password it was initialised with): no checksum would ever change.
 */
const noChartInputs = new Set(["todo-chatbot-postgresql"]);

function workloads(r: Rendered): { o: Manifest; pod: PodTemplate }[] {
  return r.objects.flatMap((o) => {
    const pod = podTemplateOf(o);
    return pod ? [{ o, pod }] : [];
  });
}

function eachContainer(
  cases: Rendered[],
  fn: (where: string, c: Container, o: Manifest, init: boolean) => void,
) {
  for (const r of cases) {
    for (const { o, pod } of workloads(r)) {
      for (const c of allContainers(pod.spec)) {
        fn(`${r.name}: ${id(o)} container ${c.name}`, c, o, (pod.spec.initContainers ?? []).includes(c));
      }
    }
  }
}

describe.skipIf(tools.missing.length > 0)(`the chart's own rules${suffix}`, () => {
  let cases: Rendered[] = [];
  const byName = (name: string): Rendered => {
    const r = cases.find((c) => c.name === name);
    if (!r) throw new Error(`no case ${name}`);
    return r;
  };
  beforeAll(() => {
    cases = renderMatrix(helm);
  });

  test("serving containers have a startup probe and a preStop hook; the grace period covers it", () => {
    let checked = 0;
    eachContainer(cases, (where, c, o, init) => {
      if (!servingKinds.has(o.kind) || init) return;
      checked += 1;
      expect(c.startupProbe, where).toBeDefined();
      expect(c.lifecycle?.preStop, where).toBeDefined();
      const grace = podTemplateOf(o)?.spec.terminationGracePeriodSeconds ?? 30;
      const sleep = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(grace, where).toBeGreaterThan(sleep);
    });
    expect(checked).toBeGreaterThan(30);
  });

  test("the app probes use /healthz (startup, liveness) and /readyz (backend readiness); preStop is a native sleep", () => {
    const r = byName("defaults");
    const api = get(r, "Deployment", "todo-chatbot-backend");
    const apiC = podTemplateOf(api)?.spec.containers.find((c) => c.name === "api");
    expect(apiC?.startupProbe?.httpGet?.path).toBe("/healthz");
    expect(apiC?.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(apiC?.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(apiC?.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
    const backendPod = podTemplateOf(api)?.spec;
    // grace > preStop sleep + SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS
    expect(backendPod?.terminationGracePeriodSeconds).toBeGreaterThan(5 + 5 + 10);
    const web = podTemplateOf(get(r, "Deployment", "todo-chatbot-frontend"))?.spec.containers[0];
    for (const probe of [web?.startupProbe, web?.livenessProbe, web?.readinessProbe]) {
      expect(probe?.httpGet?.path).toBe("/healthz");
    }
    expect(web?.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
  });

  test("Deployments roll with maxUnavailable 0, keep a revision history and spread softly over nodes", () => {
    for (const r of cases) {
      for (const o of r.objects.filter((x) => x.kind === "Deployment" || x.kind === "StatefulSet")) {
        const spec = o.spec as {
          strategy?: { type: string; rollingUpdate?: { maxUnavailable: number } };
          updateStrategy?: { type: string };
          revisionHistoryLimit?: number;
        };
        expect(spec.revisionHistoryLimit, `${r.name} ${id(o)}`).toBeGreaterThan(0);
        if (singleRecreated.has(o.metadata.name)) {
          expect(spec.strategy?.type, `${r.name} ${id(o)}`).toBe("Recreate");
          expect((o.spec as { replicas?: number }).replicas).toBe(1);
        } else if (o.kind === "Deployment") {
          expect(spec.strategy?.type).toBe("RollingUpdate");
          expect(spec.strategy?.rollingUpdate?.maxUnavailable, `${r.name} ${id(o)}`).toBe(0);
          const spread = podTemplateOf(o)?.spec.topologySpreadConstraints ?? [];
          expect(spread.length, `${r.name} ${id(o)}`).toBeGreaterThan(0);
          expect(spread.every((s) => s.whenUnsatisfiable === "ScheduleAnyway")).toBe(true);
        } else {
          expect(spec.updateStrategy?.type).toBe("RollingUpdate");
        }
      }
    }
  });

  test("the app writes only to emptyDirs: backend /tmp, frontend /tmp and .next/cache, PostgreSQL data on its PVC", () => {
    const r = byName("defaults");
    const mounts = (kind: string, name: string, container: string) =>
      podTemplateOf(get(r, kind, name))
        ?.spec.containers.find((c) => c.name === container)
        ?.volumeMounts?.map((m) => m.mountPath)
        .sort();
    expect(mounts("Deployment", "todo-chatbot-backend", "api")).toEqual(["/tmp"]);
    expect(mounts("Deployment", "todo-chatbot-frontend", "web")).toEqual([
      "/app/apps/web/.next/cache",
      "/tmp",
    ]);
    expect(mounts("StatefulSet", "todo-chatbot-postgresql", "postgresql")).toEqual([
      "/tmp",
      "/var/lib/postgresql/data",
      "/var/run/postgresql",
    ]);
    const pg = podTemplateOf(get(r, "StatefulSet", "todo-chatbot-postgresql"))?.spec;
    expect(pg?.securityContext).toMatchObject({ runAsUser: 70, fsGroup: 70 });
    const pgdata = pg?.containers[0]?.env?.find((e) => e.name === "PGDATA")?.value;
    expect(pgdata).toMatch(/^\/var\/lib\/postgresql\/data\/.+/);
    const sts = get(r, "StatefulSet", "todo-chatbot-postgresql").spec as { volumeClaimTemplates: unknown[] };
    expect(sts.volumeClaimTemplates).toHaveLength(1);
    expect(pg?.containers[0]?.image).toBe("postgres:17-alpine");
  });

  test("no duplicate names inside a pod (env, ports, containers, volumes): server-side apply rejects them", () => {
    const dupes = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
    for (const r of cases) {
      for (const { o, pod } of workloads(r)) {
        const where = `${r.name} ${id(o)}`;
        const containers = allContainers(pod.spec);
        expect(dupes(containers.map((c) => c.name)), where).toEqual([]);
        expect(dupes((pod.spec.volumes ?? []).map((v) => v.name)), where).toEqual([]);
        for (const c of containers) {
          expect(dupes((c.env ?? []).map((e) => e.name)), `${where} ${c.name} env`).toEqual([]);
          expect(
            dupes((c.ports ?? []).map((p) => p.name ?? String(p.containerPort))),
            `${where} ${c.name} ports`,
          ).toEqual([]);
          expect(dupes((c.volumeMounts ?? []).map((m) => m.mountPath)), `${where} ${c.name} mounts`).toEqual(
            [],
          );
        }
      }
      for (const svc of r.objects.filter((o) => o.kind === "Service")) {
        const ports = (svc.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
        expect(dupes(ports), `${r.name} ${id(svc)}`).toEqual([]);
      }
    }
  });

  test("no template sets metadata.namespace, and every object carries the standard labels", () => {
    for (const r of cases) {
      for (const o of r.objects) {
        expect(o.metadata.namespace, `${r.name} ${id(o)}`).toBeUndefined();
        const labels = o.metadata.labels ?? {};
        for (const key of [
          "app.kubernetes.io/name",
          "app.kubernetes.io/instance",
          "app.kubernetes.io/version",
          "app.kubernetes.io/managed-by",
          "helm.sh/chart",
        ]) {
          expect(labels[key], `${r.name} ${id(o)} label ${key}`).toBeTruthy();
        }
      }
    }
  });

  test("selectors use only name and instance", () => {
    for (const r of cases) {
      for (const o of r.objects) {
        const spec = o.spec as { selector?: Record<string, unknown> } | undefined;
        if (!spec?.selector) continue;
        const labels = (spec.selector.matchLabels as Record<string, string> | undefined) ?? spec.selector;
        expect(Object.keys(labels).sort(), `${r.name} ${id(o)}`).toEqual([
          "app.kubernetes.io/instance",
          "app.kubernetes.io/name",
        ]);
      }
    }
  });

  test("selectors are unchanged against the committed snapshot (they are immutable on a live Deployment)", () => {
    const current: Record<string, unknown> = {};
    for (const name of ["defaults", "hpa-on", "all-features"]) {
      for (const o of byName(name).objects) {
        const spec = o.spec as { selector?: unknown } | undefined;
        if (spec?.selector) current[id(o)] = spec.selector;
        const sts = o.spec as {
          serviceName?: string;
          volumeClaimTemplates?: { metadata: { name: string } }[];
        };
        if (o.kind === "StatefulSet") {
          current[`${id(o)} serviceName`] = sts.serviceName;
          current[`${id(o)} volumeClaimTemplates`] = sts.volumeClaimTemplates?.map((v) => v.metadata.name);
        }
      }
    }
    const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
    if (process.env.UPDATE_SELECTOR_SNAPSHOT === "1") {
      writeFileSync(selectorSnapshot, `${JSON.stringify(sorted, null, 2)}\n`);
    }
    const committed = JSON.parse(readFileSync(selectorSnapshot, "utf8")) as Record<string, unknown>;
    // Every selector of the previous chart version must still be there, identical.
    for (const [key, selector] of Object.entries(committed)) {
      expect(
        sorted[key],
        `${key} changed: selectors are immutable, a changed one breaks helm upgrade`,
      ).toEqual(selector);
    }
  });

  test("replicas is omitted when an HPA owns the Deployment, and set otherwise", () => {
    const hpa = byName("hpa-on");
    for (const name of ["todo-chatbot-frontend", "todo-chatbot-backend"]) {
      expect((get(hpa, "Deployment", name).spec as { replicas?: number }).replicas).toBeUndefined();
      const h = get(hpa, "HorizontalPodAutoscaler", name);
      expect(h.apiVersion).toBe("autoscaling/v2");
      expect((h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe(name);
      expect((get(byName("defaults"), "Deployment", name).spec as { replicas?: number }).replicas).toBe(1);
    }
    expect(find(byName("defaults"), "HorizontalPodAutoscaler", "todo-chatbot-backend")).toBeUndefined();
  });

  test("a PodDisruptionBudget exists exactly when more than one replica can exist", () => {
    expect(byName("defaults").objects.filter((o) => o.kind === "PodDisruptionBudget")).toEqual([]);
    expect(find(byName("hpa-on"), "PodDisruptionBudget", "todo-chatbot-backend")).toBeDefined();
    expect(find(byName("all-features"), "PodDisruptionBudget", "todo-chatbot-frontend")).toBeDefined();
    expect(find(byName("all-features"), "PodDisruptionBudget", "todo-chatbot-backend")).toBeDefined();
  });

  test("pods carry checksum/ annotations, and a config change changes them", () => {
    for (const r of cases) {
      for (const { o, pod } of workloads(r)) {
        if (!servingKinds.has(o.kind) || singleRecreated.has(o.metadata.name)) continue;
        if (noChartInputs.has(o.metadata.name)) continue;
        const keys = Object.keys(pod.metadata.annotations ?? {}).filter((k) => k.startsWith("checksum/"));
        expect(keys.length, `${r.name} ${id(o)}`).toBeGreaterThan(0);
      }
    }
    const checksum = (args: string[], name: string, key: string) =>
      podTemplateOf(get(render(helm, "checksum", args), "Deployment", name))?.metadata.annotations?.[key];
    const cfgA = checksum([], "todo-chatbot-backend", "checksum/config");
    const cfgB = checksum(["--set", "llm.model=other-model"], "todo-chatbot-backend", "checksum/config");
    expect(cfgA).toMatch(/^[0-9a-f]{64}$/);
    expect(cfgB).not.toBe(cfgA);
    const secret = (value: string) =>
      checksum(["--set", `secrets.betterAuthSecret=${value}`], "todo-chatbot-backend", "checksum/secret");
    const s1 = secret("first-secret-0123456789abcdef0123456789");
    expect(secret("first-secret-0123456789abcdef0123456789")).toBe(s1);
    expect(secret("other-secret-0123456789abcdef0123456789")).not.toBe(s1);
    const web = (args: string[]) => checksum(args, "todo-chatbot-frontend", "checksum/config");
    expect(web(["--set", "frontend.apiUrl=http://elsewhere:8000"])).not.toBe(web([]));
  });

  test("no checksum hashes a generated value: two renders (fresh random secrets each) agree", () => {
    // On install the chart generates BETTER_AUTH_SECRET and the PostgreSQL password; the first upgrade
    // reuses the stored ones. A checksum over a generated value would differ between those two
    // renders and restart the pods (PostgreSQL included) on the first `helm upgrade` for nothing.
    const annotations = (r: Rendered) =>
      workloads(r).map(({ o, pod }) => [
        id(o),
        Object.entries(pod.metadata.annotations ?? {}).filter(([k]) => k.startsWith("checksum/")),
      ]);
    const first = render(helm, "generated-1", []);
    const second = render(helm, "generated-2", []);
    expect(annotations(second)).toEqual(annotations(first));
    const secrets = (r: Rendered) =>
      r.objects.filter((o) => o.kind === "Secret").map((o) => JSON.stringify(o));
    expect(secrets(second), "the renders do generate different secrets").not.toEqual(secrets(first));
  });

  test("backend pods are scrapeable: prometheus.io annotations, and a ServiceMonitor on request", () => {
    const pod = podTemplateOf(get(byName("defaults"), "Deployment", "todo-chatbot-backend"));
    expect(pod?.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "8000",
      "prometheus.io/path": "/metrics",
    });
    expect(find(byName("defaults"), "ServiceMonitor", "todo-chatbot-backend")).toBeUndefined();
    const sm = get(byName("all-features"), "ServiceMonitor", "todo-chatbot-backend");
    expect(sm.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(sm.spec).toMatchObject({
      selector: {
        matchLabels: { "app.kubernetes.io/name": "backend", "app.kubernetes.io/instance": "todo-chatbot" },
      },
      endpoints: [{ port: "http", path: "/metrics" }],
    });
  });
});

describe.skipIf(tools.missing.length > 0)(`configuration and secrets${suffix}`, () => {
  let cases: Rendered[] = [];
  const byName = (name: string): Rendered => {
    const r = cases.find((c) => c.name === name);
    if (!r) throw new Error(`no case ${name}`);
    return r;
  };
  beforeAll(() => {
    cases = renderMatrix(helm);
  });
  const apiContainer = (r: Rendered, container = "api") =>
    allContainers(
      podTemplateOf(get(r, "Deployment", "todo-chatbot-backend"))?.spec ?? { containers: [] },
    ).find((c) => c.name === container);
  const secretData = (o: Manifest): Record<string, string> =>
    Object.fromEntries(
      Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );

  test("no secret value ever lands in a ConfigMap", () => {
    const secretValues = new Set<string>();
    for (const r of cases) {
      for (const s of r.objects.filter((o) => o.kind === "Secret")) {
        for (const v of Object.values(secretData(s))) secretValues.add(v);
      }
    }
    for (const known of [
      "inline-better-auth-secret-0123456789abcdef",
      "sk-inline-test-key-0123456789",
      "neon-password-123",
    ]) {
      expect(
        [...secretValues].some((v) => v.includes(known)),
        known,
      ).toBe(true);
    }
    for (const r of cases) {
      for (const cm of r.objects.filter((o) => o.kind === "ConfigMap")) {
        const text = JSON.stringify(cm.data ?? {});
        for (const key of Object.keys(cm.data ?? {})) {
          expect(key, `${r.name} ${id(cm)}`).not.toMatch(/SECRET|PASSWORD|API_KEY|TOKEN|DATABASE_URL/);
        }
        for (const v of secretValues)
          expect(text.includes(v), `${r.name} ${id(cm)} holds a secret value`).toBe(false);
        for (const known of ["neon-password-123", "sk-inline-test-key", "inline-better-auth-secret"]) {
          expect(text, `${r.name} ${id(cm)}`).not.toContain(known);
        }
      }
      // ...nor in a pod spec as a literal value.
      for (const o of r.objects) {
        const pod = podTemplateOf(o);
        if (!pod) continue;
        const text = JSON.stringify(pod);
        for (const known of ["neon-password-123", "sk-inline-test-key", "inline-better-auth-secret"]) {
          expect(text, `${r.name} ${id(o)}`).not.toContain(known);
        }
      }
    }
  });

  test("without any secret values a BETTER_AUTH_SECRET is generated (48 chars) and kept on uninstall", () => {
    const s = get(byName("defaults"), "Secret", "todo-chatbot-backend");
    expect(secretData(s).BETTER_AUTH_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(s.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    const pg = get(byName("defaults"), "Secret", "todo-chatbot-postgresql");
    expect(secretData(pg).POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(pg.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    const tpl = readFileSync(
      join(import.meta.dirname, "../../charts/todo-chatbot/templates/backend/secret.yaml"),
      "utf8",
    );
    expect(tpl).toContain('lookup "v1" "Secret"');
  });

  test("with secrets.existingSecret the chart creates no app Secret and every reference points to it", () => {
    for (const name of ["existing-secret", "values-production"]) {
      const r = byName(name);
      expect(find(r, "Secret", "todo-chatbot-backend"), name).toBeUndefined();
      const secretName = name === "existing-secret" ? "my-app-secret" : "todo-chatbot-app";
      for (const container of ["api", "migrate"]) {
        const env = apiContainer(r, container)?.env ?? [];
        const auth = env.find((e) => e.name === "BETTER_AUTH_SECRET");
        expect(auth?.valueFrom?.secretKeyRef).toEqual({ name: secretName, key: "BETTER_AUTH_SECRET" });
        const key = env.find((e) => e.name === "OPENAI_API_KEY");
        expect(key?.valueFrom?.secretKeyRef).toEqual({
          name: secretName,
          key: "OPENAI_API_KEY",
          optional: true,
        });
      }
    }
  });

  test("DATABASE_URL comes from the in-cluster password, externalDatabase.url (via a Secret) or externalDatabase.existingSecret", () => {
    const envOf = (r: Rendered) => apiContainer(r)?.env ?? [];
    const inCluster = envOf(byName("defaults"));
    expect(inCluster.find((e) => e.name === "POSTGRES_PASSWORD")?.valueFrom?.secretKeyRef).toEqual({
      name: "todo-chatbot-postgresql",
      key: "POSTGRES_PASSWORD",
    });
    expect(inCluster.find((e) => e.name === "DATABASE_URL")?.value).toBe(
      "postgres://todo:$(POSTGRES_PASSWORD)@todo-chatbot-postgresql:5432/todo",
    );
    // $(VAR) expansion only sees variables defined earlier in the list.
    const names = inCluster.map((e) => e.name);
    expect(names.indexOf("POSTGRES_PASSWORD")).toBeLessThan(names.indexOf("DATABASE_URL"));

    const url = byName("external-db-url");
    expect(envOf(url).find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({
      name: "todo-chatbot-backend",
      key: "DATABASE_URL",
    });
    expect(secretData(get(url, "Secret", "todo-chatbot-backend")).DATABASE_URL).toContain("sslmode=require");
    expect(url.objects.filter((o) => o.metadata.name.includes("postgresql"))).toEqual([]);

    const sec = byName("external-db-secret");
    expect(envOf(sec).find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({
      name: "neon-db",
      key: "DATABASE_URL",
    });
    expect(
      envOf(byName("values-neon")).find((e) => e.name === "DATABASE_URL")?.valueFrom?.secretKeyRef?.name,
    ).toBe("todo-chatbot-neon");
  });

  test("migrations run in an init container with the server's exact environment; wait-for-db only for in-cluster PostgreSQL", () => {
    for (const r of cases) {
      const backend = find(r, "Deployment", "todo-chatbot-backend");
      if (!backend) continue;
      const pod = podTemplateOf(backend)?.spec;
      const init = pod?.initContainers ?? [];
      const migrate = init.find((c) => c.name === "migrate");
      const api = pod?.containers.find((c) => c.name === "api");
      expect(migrate?.command, r.name).toEqual(["node", "dist/migrate.js"]);
      expect(migrate?.image).toBe(api?.image);
      expect(migrate?.env).toEqual(api?.env);
      expect(migrate?.envFrom).toEqual(api?.envFrom);
      const inCluster = r.objects.some((o) => o.kind === "StatefulSet");
      expect(
        init.map((c) => c.name),
        r.name,
      ).toEqual(inCluster ? ["wait-for-db", "migrate"] : ["migrate"]);
      if (inCluster) {
        const wait = init[0];
        expect(wait?.command?.[0]).toBe("node");
        expect(wait?.command?.join(" ")).toContain("net.connect");
      }
    }
    const cm = get(byName("defaults"), "ConfigMap", "todo-chatbot-backend");
    expect(cm.data?.MIGRATE_ON_START).toBe("false");
  });

  test("backend configuration follows the values (the API's environment variable names)", () => {
    const cm = (r: string) => get(byName(r), "ConfigMap", "todo-chatbot-backend").data ?? {};
    expect(cm("defaults")).toMatchObject({
      PORT: "8000",
      PUBLIC_URL: "http://localhost:3000",
      AGENT_MODE: "auto",
      LOG_LEVEL: "info",
      MIGRATE_ON_START: "false",
      TRUSTED_PROXIES: "10.244.0.0/16",
    });
    expect(cm("values-minikube")).toMatchObject({
      PUBLIC_URL: "http://192.168.49.2:30080",
      TRUSTED_ORIGINS: "http://localhost:*,http://127.0.0.1:*",
    });
    expect(cm("ingress-on").PUBLIC_URL).toBe("https://todo-chatbot.local");
    expect(cm("all-features")).toMatchObject({
      LLM_BASE_URL: "http://ollama.ollama:11434/v1",
      LLM_MODEL: "llama3.2",
    });
    const web = get(byName("defaults"), "ConfigMap", "todo-chatbot-frontend").data ?? {};
    expect(web).toMatchObject({
      PORT: "3000",
      HOSTNAME: "0.0.0.0",
      API_URL: "http://todo-chatbot-backend:8000",
    });
  });
});

describe.skipIf(tools.missing.length > 0)(`network policies, ingress, backup and helm test${suffix}`, () => {
  let cases: Rendered[] = [];
  const byName = (name: string): Rendered => {
    const r = cases.find((c) => c.name === name);
    if (!r) throw new Error(`no case ${name}`);
    return r;
  };
  beforeAll(() => {
    cases = renderMatrix(helm);
  });
  interface Peer {
    podSelector?: { matchLabels: Record<string, string> };
    namespaceSelector?: { matchLabels: Record<string, string> };
  }
  interface Rule {
    from?: Peer[];
    to?: Peer[];
    ports?: { port: number | string; protocol: string }[];
  }
  const policy = (r: Rendered, name: string) =>
    get(r, "NetworkPolicy", name).spec as {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress?: Rule[];
      egress?: Rule[];
    };
  const ports = (rules: Rule[] = []) => rules.flatMap((x) => (x.ports ?? []).map((p) => String(p.port)));

  test("default deny for the release's pods, then only the needed flows", () => {
    const r = byName("defaults");
    const deny = policy(r, "todo-chatbot-default-deny");
    expect(deny.podSelector.matchLabels).toEqual({ "app.kubernetes.io/instance": "todo-chatbot" });
    expect(deny.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(deny.ingress).toBeUndefined();
    expect(deny.egress).toBeUndefined();

    const frontend = policy(r, "todo-chatbot-frontend");
    expect(frontend.ingress).toEqual([{ ports: [{ protocol: "TCP", port: "http" }] }]); // anything -> frontend
    expect(ports(frontend.egress)).toEqual(expect.arrayContaining(["53", "8000"]));

    const backend = policy(r, "todo-chatbot-backend");
    const from = (backend.ingress ?? []).flatMap((x) => x.from ?? []);
    expect(from.map((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"])).toEqual([
      "frontend",
      "helm-test",
    ]);
    expect(ports(backend.egress)).toEqual(expect.arrayContaining(["53", "5432", "443"]));
    expect(JSON.stringify(backend.ingress)).not.toContain("namespaceSelector");

    const pg = policy(r, "todo-chatbot-postgresql");
    const pgFrom = (pg.ingress ?? []).flatMap((x) => x.from ?? []);
    expect(pgFrom.map((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"])).toEqual([
      "backend",
      "backup",
    ]);
    expect(pg.egress).toEqual([]);

    expect(byName("networkpolicy-off").objects.filter((o) => o.kind === "NetworkPolicy")).toEqual([]);
  });

  test("kagent's namespace may reach the backend only when kagent.enabled", () => {
    const backend = policy(byName("all-features"), "todo-chatbot-backend");
    const peers = (backend.ingress ?? []).flatMap((x) => x.from ?? []);
    expect(peers).toContainEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kagent" } },
    });
    expect(peers).toContainEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
    });
    expect(ports(backend.egress)).toContain("11434");
  });

  test("with an external database the backend may reach its port outside the cluster", () => {
    const backend = policy(byName("external-db-secret"), "todo-chatbot-backend");
    expect(ports(backend.egress)).toEqual(expect.arrayContaining(["443", "5432"]));
    expect(JSON.stringify(backend.egress)).not.toContain("postgresql");
  });

  test("the Ingress routes ingress.host to the frontend Service with the class and TLS asked for", () => {
    expect(find(byName("defaults"), "Ingress", "todo-chatbot-frontend")).toBeUndefined();
    const ing = get(byName("ingress-on"), "Ingress", "todo-chatbot-frontend").spec as {
      ingressClassName: string;
      tls: { hosts: string[]; secretName: string }[];
      rules: {
        host: string;
        http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
      }[];
    };
    expect(ing.ingressClassName).toBe("nginx");
    expect(ing.tls).toEqual([{ hosts: ["todo-chatbot.local"], secretName: "todo-tls" }]);
    expect(ing.rules[0]?.host).toBe("todo-chatbot.local");
    expect(ing.rules[0]?.http.paths[0]?.backend.service).toEqual({
      name: "todo-chatbot-frontend",
      port: { name: "http" },
    });
  });

  test("backup: a CronJob (Forbid) dumps with pg_dump -Fc to a kept PVC and prunes to backup.retention", () => {
    expect(find(byName("defaults"), "CronJob", "todo-chatbot-backup")).toBeUndefined();
    const r = byName("all-features");
    const cron = get(r, "CronJob", "todo-chatbot-backup");
    expect(cron.spec).toMatchObject({ schedule: "0 3 * * *", concurrencyPolicy: "Forbid" });
    const pod = podTemplateOf(cron);
    expect(pod?.metadata.labels?.["app.kubernetes.io/name"]).toBe("backup");
    const c = pod?.spec.containers[0];
    expect(c?.image).toBe("postgres:17-alpine");
    expect(c?.command?.join(" ")).toContain("pg_dump -Fc");
    expect(c?.env?.find((e) => e.name === "RETENTION")?.value).toBe("7");
    expect(pod?.spec.volumes?.find((v) => v.name === "backups")?.persistentVolumeClaim?.claimName).toBe(
      "todo-chatbot-backup",
    );
    const pvc = get(r, "PersistentVolumeClaim", "todo-chatbot-backup");
    expect(pvc.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
  });

  test("helm test: a hook pod runs smoke.mjs from a ConfigMap with the backend image, allowed by the network policies", () => {
    const r = byName("defaults");
    const pod = get(r, "Pod", "todo-chatbot-smoke-test");
    expect(pod.metadata.annotations?.["helm.sh/hook"]).toBe("test");
    const cm = get(r, "ConfigMap", "todo-chatbot-smoke-test");
    expect(cm.metadata.annotations?.["helm.sh/hook"]).toBe("test");
    const script = cm.data?.["smoke.mjs"] ?? "";
    for (const path of [
      "/healthz",
      "/readyz",
      "/api/auth/sign-up/email",
      "/api/auth/sign-in/email",
      "/api/auth/token",
      "/tasks",
      "/chat",
    ]) {
      expect(script).toContain(path);
    }
    const spec = podTemplateOf(pod)?.spec;
    const c = spec?.containers[0];
    expect(c?.command).toEqual(["node", "/scripts/smoke.mjs"]);
    expect(c?.image).toBe("todo-chatbot-backend:latest");
    expect(c?.env).toEqual([
      { name: "BACKEND_URL", value: "http://todo-chatbot-backend:8000" },
      { name: "FRONTEND_URL", value: "http://todo-chatbot-frontend:3000" },
      { name: "PUBLIC_URL", value: "http://localhost:3000" },
    ]);
    expect(pod.metadata.labels?.["app.kubernetes.io/name"]).toBe("helm-test");
    const egress = policy(r, "todo-chatbot-helm-test").egress ?? [];
    expect(ports(egress)).toEqual(expect.arrayContaining(["53", "3000", "8000"]));
  });
});
