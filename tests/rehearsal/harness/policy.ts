// Docker cannot enforce NetworkPolicies, so the rehearsal checks the other way round: every connection
// it makes between pods is allowed by the rendered policies (egress of the client and ingress of the
// server), evaluated the way Kubernetes does for pods in one namespace.
import type { K8sObject } from "./manifests";

type Labels = Record<string, string>;

const matchesSelector = (selector: K8sObject | undefined, labels: Labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  !(selector?.matchExpressions ?? []).length;

interface Endpoint {
  what: string;
  labels: Labels;
  ports?: Record<string, number>;
}

function peerMatches(peers: K8sObject[] | undefined, other: Endpoint): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some(
    (p) =>
      p.podSelector && !p.namespaceSelector && !p.ipBlock && matchesSelector(p.podSelector, other.labels),
  );
}

function portMatches(ports: K8sObject[] | undefined, port: number, server: Endpoint): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== "TCP") return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return p.port === port;
    return server.ports?.[p.port] === port;
  });
}

function allowed(
  policies: K8sObject[],
  self: Endpoint,
  other: Endpoint,
  port: number,
  server: Endpoint,
  direction: "Ingress" | "Egress",
) {
  const selecting = policies.filter(
    (p) =>
      matchesSelector(p.spec.podSelector, self.labels) &&
      (p.spec.policyTypes ?? ["Ingress"]).includes(direction),
  );
  if (selecting.length === 0) return true;
  const key = direction === "Ingress" ? "ingress" : "egress";
  const peerKey = direction === "Ingress" ? "from" : "to";
  return selecting.some((p) =>
    (p.spec[key] ?? []).some(
      (rule: K8sObject) => peerMatches(rule[peerKey], other) && portMatches(rule.ports, port, server),
    ),
  );
}

function podTemplates(objects: K8sObject[]): Endpoint[] {
  const out: Endpoint[] = [];
  const add = (what: string, meta: K8sObject | undefined, spec: K8sObject) => {
    const ports: Record<string, number> = {};
    for (const c of spec.containers ?? [])
      for (const p of c.ports ?? []) if (p.name) ports[p.name] = p.containerPort;
    out.push({ what, labels: meta?.labels ?? {}, ports });
  };
  for (const o of objects) {
    if (o.kind === "Deployment" || o.kind === "StatefulSet")
      add(`${o.kind}/${o.metadata.name}`, o.spec.template.metadata, o.spec.template.spec);
    if (o.kind === "CronJob")
      add(
        `CronJob/${o.metadata.name}`,
        o.spec.jobTemplate.spec.template.metadata,
        o.spec.jobTemplate.spec.template.spec,
      );
    if (o.kind === "Pod") add(`Pod/${o.metadata.name}`, o.metadata, o.spec);
  }
  return out;
}

/**
 * The flows the rehearsal uses: each client pod reaches the Services named in its environment (values
 * that are `http://<service>:<port>` or `postgres://…@<service>:<port>/…`, or the wait-for-db host/port).
 * Throws listing every flow the policies would block; returns the number of flows checked.
 */
export function checkFlows(objects: K8sObject[]): number {
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  if (policies.length === 0) return 0;
  const pods = podTemplates(objects);
  const services = objects.filter((o) => o.kind === "Service");
  const configMaps = new Map(
    objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o.data ?? {}]),
  );
  const errors: string[] = [];
  let checked = 0;
  const specOf = (o: K8sObject) =>
    o.kind === "CronJob"
      ? o.spec.jobTemplate.spec.template.spec
      : o.kind === "Pod"
        ? o.spec
        : o.spec.template.spec;
  for (const o of objects.filter((x) => ["Deployment", "StatefulSet", "CronJob", "Pod"].includes(x.kind))) {
    const client = pods.find((p) => p.what === `${o.kind}/${o.metadata.name}`) as Endpoint;
    const values: string[] = [];
    for (const c of [...(specOf(o).initContainers ?? []), ...specOf(o).containers]) {
      const env: Record<string, string> = {};
      for (const f of c.envFrom ?? [])
        if (f.configMapRef) Object.assign(env, configMaps.get(f.configMapRef.name));
      for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = String(e.value);
      values.push(...Object.values(env));
      if (env.DB_HOST && env.DB_PORT) values.push(`tcp://${env.DB_HOST}:${env.DB_PORT}`);
    }
    const targets = new Set<string>();
    for (const v of values) {
      for (const m of v.matchAll(/(?:[a-z]+):\/\/(?:[^@/\s]*@)?([a-z0-9-]+):(\d+)/g))
        targets.add(`${m[1]}:${m[2]}`);
    }
    for (const t of targets) {
      const [host, portText] = t.split(":") as [string, string];
      const svc = services.find((s) => s.metadata.name === host);
      if (!svc) continue;
      const port = Number(portText);
      for (const server of pods.filter(
        (p) =>
          Object.keys(svc.spec.selector ?? {}).length &&
          matchesSelector({ matchLabels: svc.spec.selector }, p.labels),
      )) {
        checked += 1;
        if (!allowed(policies, client, server, port, server, "Egress"))
          errors.push(`${client.what} → ${host}:${port}: egress denied`);
        if (!allowed(policies, server, client, port, server, "Ingress"))
          errors.push(`${client.what} → ${host}:${port}: ingress to ${server.what} denied`);
      }
    }
  }
  if (errors.length)
    throw new Error(`the NetworkPolicies would block flows the app needs:\n  ${errors.join("\n  ")}`);
  return checked;
}
