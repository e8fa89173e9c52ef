// Pod spec → `docker run` arguments, the way the kubelet would set the container up: env from
// ConfigMaps/Secrets with $(VAR) expansion, user and group, read-only root, capabilities, seccomp,
// emptyDirs as tmpfs, PVCs as Docker volumes, CPU and memory limits. Values the rehearsal cannot
// honour throw, naming the field.
import type { K8sObject } from "./manifests";

export interface Store {
  configMaps: Map<string, Record<string, string>>;
  secrets: Map<string, Record<string, string>>;
}

export function storeFrom(objects: K8sObject[]): Store {
  const configMaps = new Map<string, Record<string, string>>();
  const secrets = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === "ConfigMap") configMaps.set(o.metadata.name, { ...(o.data ?? {}) });
    if (o.kind === "Secret") {
      if (o.type && o.type !== "Opaque")
        throw new Error(`Secret/${o.metadata.name}: type ${o.type} is not honoured`);
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.data ?? {}))
        data[k] = Buffer.from(String(v), "base64").toString("utf8");
      Object.assign(data, o.stringData ?? {});
      secrets.set(o.metadata.name, data);
    }
  }
  return { configMaps, secrets };
}

/** Kubernetes' $(VAR) expansion (k8s.io/kubernetes/third_party/forked/golang/expansion): `$$` escapes. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 1;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = close;
    } else {
      out += ch + next;
      i += 1;
    }
  }
  return out;
}

export function resolveEnv(c: K8sObject, store: Store, where: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const [i, from] of (c.envFrom ?? []).entries()) {
    const prefix = from.prefix ?? "";
    const ref = from.configMapRef ?? from.secretRef;
    const source = from.configMapRef ? store.configMaps.get(ref.name) : store.secrets.get(ref?.name);
    if (!source) {
      if (ref?.optional) continue;
      throw new Error(
        `${where}.envFrom[${i}]: ${from.configMapRef ? "ConfigMap" : "Secret"} ${ref?.name} is not rendered`,
      );
    }
    for (const [k, v] of Object.entries(source)) env.set(prefix + k, v);
  }
  for (const e of c.env ?? []) {
    let value: string | undefined;
    if (e.valueFrom) {
      const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
      const source = e.valueFrom.secretKeyRef ? store.secrets.get(ref.name) : store.configMaps.get(ref.name);
      value = source?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new Error(
          `${where}.env ${e.name}: ${ref.name}/${ref.key} is not rendered (the pod would not start)`,
        );
      }
    } else {
      value = expand(String(e.value ?? ""), (n) => env.get(n));
    }
    env.set(e.name, value);
  }
  return env;
}

/** Kubernetes quantities: CPU "500m"/"1", memory "384Mi"/"1Gi". */
export function cpuCores(q: string | number): number {
  const s = String(q);
  return s.endsWith("m") ? Number(s.slice(0, -1)) / 1000 : Number(s);
}

export function bytes(q: string | number): number {
  const s = String(q);
  const m = /^([0-9.]+)([KMGT]i?|[kmgt])?$/.exec(s);
  if (!m) throw new Error(`unsupported quantity ${s}`);
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  const factors: Record<string, number> = {
    "": 1,
    k: 1e3,
    K: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  const f = factors[unit];
  if (f === undefined) throw new Error(`unsupported quantity ${s}`);
  return Math.round(n * f);
}

export interface Probe {
  kind: "http" | "exec" | "tcp";
  path?: string;
  port?: number;
  command?: string[];
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
}

export interface ContainerPlan {
  name: string;
  image: string;
  /** `docker run` options (before the image). */
  options: string[];
  /** Arguments after the image. */
  args: string[];
  env: Map<string, string>;
  ports: Map<string, number>;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  preStop?: { sleepMs?: number; exec?: string[] };
  /** Volumes (docker named volumes) this container mounts, for fsGroup preparation. */
  volumes: string[];
}

export interface PodPlan {
  name: string;
  labels: Record<string, string>;
  init: ContainerPlan[];
  containers: ContainerPlan[];
  graceMs: number;
  fsGroup?: number;
  restartPolicy: string;
  /** configMap/secret volumes: host directories to write before the containers start. */
  files: { dir: string; entries: Record<string, string>; mode: number }[];
}

export interface PodContext {
  podName: string;
  labels: Record<string, string>;
  store: Store;
  /** Docker volume name of a PVC claim name. */
  volumeFor: (claimName: string) => string;
  /** Host directory for a configMap/secret volume. */
  filesDir: (volumeName: string) => string;
  /** ConfigMap/Secret name → data, for volumes. */
  defaultRestartPolicy: string;
}

function probeOf(p: K8sObject | undefined, ports: Map<string, number>, where: string): Probe | undefined {
  if (!p) return undefined;
  const base = {
    initialDelayMs: (p.initialDelaySeconds ?? 0) * 1000,
    periodMs: (p.periodSeconds ?? 10) * 1000,
    timeoutMs: (p.timeoutSeconds ?? 1) * 1000,
    failureThreshold: p.failureThreshold ?? 3,
    successThreshold: p.successThreshold ?? 1,
  };
  const portOf = (port: string | number) => {
    const n = typeof port === "number" ? port : (ports.get(port) ?? Number(port));
    if (!Number.isInteger(n)) throw new Error(`${where}: probe port ${port} is not a container port`);
    return n;
  };
  if (p.httpGet) {
    if (p.httpGet.scheme && p.httpGet.scheme !== "HTTP")
      throw new Error(`${where}.httpGet.scheme ${p.httpGet.scheme} is not honoured`);
    return { kind: "http", path: p.httpGet.path ?? "/", port: portOf(p.httpGet.port), ...base };
  }
  if (p.exec) return { kind: "exec", command: p.exec.command, ...base };
  if (p.tcpSocket) return { kind: "tcp", port: portOf(p.tcpSocket.port), ...base };
  throw new Error(`${where}: probe without httpGet/exec/tcpSocket`);
}

export function planPod(spec: K8sObject, ctx: PodContext): PodPlan {
  const where = `pod ${ctx.podName}`;
  if (spec.automountServiceAccountToken !== false)
    throw new Error(
      `${where}: automountServiceAccountToken must be false (no API token can be mounted here)`,
    );
  if (spec.enableServiceLinks !== false)
    throw new Error(`${where}: enableServiceLinks must be false (service variables are not injected here)`);
  for (const t of spec.topologySpreadConstraints ?? []) {
    if (t.whenUnsatisfiable !== "ScheduleAnyway")
      throw new Error(
        `${where}: topologySpreadConstraints.whenUnsatisfiable ${t.whenUnsatisfiable} is not honoured`,
      );
  }
  const podSc = spec.securityContext ?? {};
  const volumes = new Map<string, K8sObject>();
  for (const v of spec.volumes ?? []) volumes.set(v.name, v);
  const files: PodPlan["files"] = [];
  const fileVolumes = new Map<string, string>();
  for (const v of spec.volumes ?? []) {
    const ref = v.configMap ?? v.secret;
    if (!ref) continue;
    const name = v.configMap ? v.configMap.name : v.secret.secretName;
    const data = v.configMap ? ctx.store.configMaps.get(name) : ctx.store.secrets.get(name);
    if (!data) throw new Error(`${where}: volume ${v.name} refers to ${name}, which is not rendered`);
    const dir = ctx.filesDir(v.name);
    files.push({ dir, entries: data, mode: ref.defaultMode ?? 0o644 });
    fileVolumes.set(v.name, dir);
  }

  const plan = (c: K8sObject, kind: "init" | "main"): ContainerPlan => {
    const cw = `${where} container ${c.name}`;
    if (c.imagePullPolicy === "Always") throw new Error(`${cw}: imagePullPolicy Always needs a registry`);
    const sc = c.securityContext ?? {};
    if (sc.privileged) throw new Error(`${cw}: securityContext.privileged is not honoured`);
    const uid = sc.runAsUser ?? podSc.runAsUser;
    const gid = sc.runAsGroup ?? podSc.runAsGroup;
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot && (uid === undefined || uid === 0))
      throw new Error(
        `${cw}: runAsNonRoot without a numeric non-zero runAsUser (the image user is not checked here)`,
      );
    const options: string[] = ["--pull", "never"];
    if (uid !== undefined) options.push("--user", gid !== undefined ? `${uid}:${gid}` : String(uid));
    if (podSc.fsGroup !== undefined) options.push("--group-add", String(podSc.fsGroup));
    if (sc.readOnlyRootFilesystem) options.push("--read-only");
    if (sc.allowPrivilegeEscalation === false) options.push("--security-opt", "no-new-privileges");
    for (const cap of sc.capabilities?.drop ?? []) options.push("--cap-drop", cap);
    for (const cap of sc.capabilities?.add ?? []) options.push("--cap-add", cap);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp && seccomp !== "RuntimeDefault")
      throw new Error(`${cw}: seccompProfile ${seccomp} is not honoured`);
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (limits.cpu !== undefined) options.push("--cpus", String(cpuCores(limits.cpu)));
    if (limits.memory !== undefined)
      options.push("--memory", String(bytes(limits.memory)), "--memory-swap", String(bytes(limits.memory)));
    if (requests.cpu !== undefined)
      options.push("--cpu-shares", String(Math.max(2, Math.round(cpuCores(requests.cpu) * 1024))));
    if (requests.memory !== undefined) options.push("--memory-reservation", String(bytes(requests.memory)));
    if (c.workingDir) options.push("--workdir", c.workingDir);

    const env = resolveEnv(c, ctx.store, cw);
    const ports = new Map<string, number>();
    for (const p of c.ports ?? []) {
      if (p.protocol && p.protocol !== "TCP")
        throw new Error(`${cw}: port protocol ${p.protocol} is not honoured`);
      ports.set(p.name ?? String(p.containerPort), p.containerPort);
    }
    const usedVolumes: string[] = [];
    for (const m of c.volumeMounts ?? []) {
      const v = volumes.get(m.name);
      if (!v) throw new Error(`${cw}: volumeMount ${m.name} has no volume`);
      if (v.emptyDir) {
        if (v.emptyDir.medium && v.emptyDir.medium !== "Memory")
          throw new Error(`${cw}: emptyDir.medium ${v.emptyDir.medium} is not honoured`);
        const size = v.emptyDir.sizeLimit ? `,size=${bytes(v.emptyDir.sizeLimit)}` : "";
        // emptyDirs are 0777 in Kubernetes; Docker copies the mode of a directory the image already has
        // at that path onto the tmpfs, so the tmpfs also belongs to the container's user and fsGroup.
        const owner = uid !== undefined ? `,uid=${uid},gid=${podSc.fsGroup ?? gid ?? uid}` : "";
        options.push("--tmpfs", `${m.mountPath}:${m.readOnly ? "ro" : "rw"},exec,mode=0777${owner}${size}`);
      } else if (v.persistentVolumeClaim) {
        const vol = ctx.volumeFor(v.persistentVolumeClaim.claimName);
        usedVolumes.push(vol);
        const r = m.readOnly || v.persistentVolumeClaim.readOnly ? ",readonly" : "";
        options.push("--mount", `type=volume,source=${vol},target=${m.mountPath}${r}`);
      } else if (fileVolumes.has(m.name)) {
        options.push("--mount", `type=bind,source=${fileVolumes.get(m.name)},target=${m.mountPath},readonly`);
      } else {
        throw new Error(`${cw}: volume ${m.name} has a type the rehearsal does not honour`);
      }
    }
    const lookup = (n: string) => env.get(n);
    const command: string[] = (c.command ?? []).map((s: string) => expand(String(s), lookup));
    const args: string[] = (c.args ?? []).map((s: string) => expand(String(s), lookup));
    if (command.length) options.push("--entrypoint", command[0] as string);
    const after = command.length ? [...command.slice(1), ...args] : args;
    if (kind === "init" && (c.readinessProbe || c.livenessProbe || c.startupProbe || c.lifecycle))
      throw new Error(`${cw}: probes/lifecycle on an init container are not honoured`);
    const preStop = c.lifecycle?.preStop;
    return {
      name: c.name,
      image: c.image,
      options,
      args: after,
      env,
      ports,
      startupProbe: probeOf(c.startupProbe, ports, `${cw}.startupProbe`),
      readinessProbe: probeOf(c.readinessProbe, ports, `${cw}.readinessProbe`),
      livenessProbe: probeOf(c.livenessProbe, ports, `${cw}.livenessProbe`),
      preStop: preStop
        ? { sleepMs: preStop.sleep ? preStop.sleep.seconds * 1000 : undefined, exec: preStop.exec?.command }
        : undefined,
      volumes: usedVolumes,
    };
  };

  if ((spec.containers ?? []).length === 0) throw new Error(`${where}: no containers`);
  return {
    name: ctx.podName,
    labels: ctx.labels,
    init: (spec.initContainers ?? []).map((c: K8sObject) => plan(c, "init")),
    containers: spec.containers.map((c: K8sObject) => plan(c, "main")),
    graceMs: (spec.terminationGracePeriodSeconds ?? 30) * 1000,
    fsGroup: podSc.fsGroup,
    restartPolicy: spec.restartPolicy ?? ctx.defaultRestartPolicy,
    files,
  };
}
