// A one-node "cluster" made of Docker containers: each pod is a pause container that owns the pod's IP
// on a dedicated network (like the sandbox of a real pod), and its init and app containers join that
// network namespace. A small kubelet runs the startup, readiness and liveness probes; a small endpoints
// controller gives each ready pod the names of the Services that select it as network aliases (and takes
// them away when the pod is not ready or terminating) by reconnecting the pause container with the same
// IP, so established connections survive, as they do when Kubernetes removes an endpoint.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { docker, repoRoot, sleep, tail } from "./exec";
import type { K8sObject } from "./manifests";
import { bytes, type ContainerPlan, cpuCores, type PodPlan, type Probe } from "./translate";

export interface ServiceInfo {
  name: string;
  selector: Record<string, string>;
  headless: boolean;
  publishNotReady: boolean;
  ports: { port: number; targetPort: string | number; nodePort?: number }[];
}

export function servicesFrom(objects: K8sObject[]): ServiceInfo[] {
  return objects
    .filter((o) => o.kind === "Service")
    .map((o) => {
      const type = o.spec.type ?? "ClusterIP";
      if (type !== "ClusterIP" && type !== "NodePort")
        throw new Error(`Service/${o.metadata.name}: spec.type ${type} is not honoured`);
      return {
        name: o.metadata.name,
        selector: o.spec.selector ?? {},
        headless: o.spec.clusterIP === "None",
        publishNotReady: Boolean(o.spec.publishNotReadyAddresses),
        ports: (o.spec.ports ?? []).map((p: K8sObject) => {
          if (p.protocol && p.protocol !== "TCP")
            throw new Error(`Service/${o.metadata.name}: protocol ${p.protocol}`);
          return {
            port: p.port,
            targetPort: p.targetPort ?? p.port,
            nodePort: type === "NodePort" ? p.nodePort : undefined,
          };
        }),
      };
    });
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

export interface PodEvent {
  at: number;
  pod: string;
  message: string;
}

interface ContainerState {
  plan: ContainerPlan;
  docker: string;
  started: boolean;
  ready: boolean;
  livenessFailures: number;
}

export interface Pod {
  name: string;
  plan: PodPlan;
  ip: string;
  pause: string;
  containers: ContainerState[];
  aliases: string[];
  terminating: boolean;
  stopped: boolean;
  /** Names of extra aliases this pod always has (StatefulSet pod hostnames under the headless Service). */
  extraAliases: string[];
}

export class Cluster {
  readonly prefix: string;
  readonly network: string;
  readonly workDir: string;
  private subnetBase = "";
  private nextHost = 10;
  readonly pods = new Map<string, Pod>();
  readonly events: PodEvent[] = [];
  private volumes = new Set<string>();
  private reconcileChain = new Map<string, Promise<void>>();
  readonly log: (line: string) => void;
  /** How long after a pod starts terminating its Service aliases go (endpoint propagation). */
  endpointLagMs = Number(process.env.REHEARSAL_ENDPOINT_LAG_MS ?? 1000);

  constructor(
    readonly services: ServiceInfo[],
    log: (line: string) => void,
  ) {
    this.prefix = `rh${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    this.network = `${this.prefix}-net`;
    this.workDir = join(repoRoot, "artifacts/rehearsal", this.prefix);
    this.log = log;
  }

  event(pod: string, message: string) {
    this.events.push({ at: Date.now(), pod, message });
    this.log(`  [${pod}] ${message}`);
  }

  get labelArgs() {
    return ["--label", `rehearsal=${this.prefix}`, "--label", `rehearsal.pid=${process.pid}`];
  }

  /** Removes what an interrupted rehearsal (its process gone) left behind: containers, networks, volumes. */
  async sweepStale() {
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const stale = async (kind: "container" | "network" | "volume") => {
      const list = kind === "container" ? ["ps", "-a"] : [kind, "ls"];
      const r = await docker(
        [
          ...list,
          "--filter",
          "label=rehearsal.pid",
          "--format",
          `{{.${kind === "container" ? "ID" : "Name"}}} {{.Label "rehearsal.pid"}}`,
        ],
        {
          allowFail: true,
        },
      );
      return r.stdout
        .split("\n")
        .map((l) => l.trim().split(" "))
        .filter(([id, pid]) => id && pid && !alive(Number(pid)))
        .map(([id]) => id as string);
    };
    const containers = await stale("container");
    if (containers.length) await docker(["rm", "-f", "-v", ...containers], { allowFail: true });
    for (const n of await stale("network")) await docker(["network", "rm", n], { allowFail: true });
    const volumes = await stale("volume");
    if (volumes.length) await docker(["volume", "rm", "-f", ...volumes], { allowFail: true });
    if (containers.length)
      this.log(`  removed ${containers.length} containers left by an interrupted rehearsal`);
  }

  async createNetwork() {
    mkdirSync(this.workDir, { recursive: true });
    await this.sweepStale();
    // A fixed subnet lets a pod keep its IP when it is reconnected to change its aliases.
    for (let attempt = 0; attempt < 20; attempt++) {
      const third = 16 + Math.floor(Math.random() * 220);
      const base = `10.213.${third}`;
      const r = await docker(
        ["network", "create", "--subnet", `${base}.0/24`, ...this.labelArgs, this.network],
        { allowFail: true },
      );
      if (r.code === 0) {
        this.subnetBase = base;
        return;
      }
      if (!/overlap|already/i.test(r.stderr)) throw new Error(`docker network create: ${r.stderr}`);
    }
    throw new Error("no free 10.213.x.0/24 subnet for the rehearsal network");
  }

  private async ensureVolume(name: string, fsGroup: number | undefined, image: string) {
    if (this.volumes.has(name)) return;
    this.volumes.add(name);
    await docker(["volume", "create", ...this.labelArgs, name]);
    if (fsGroup !== undefined) {
      // The kubelet's fsGroup: the volume root belongs to the group, group-writable, setgid.
      await docker([
        "run",
        "--rm",
        "--pull",
        "never",
        "--user",
        "0",
        "--network",
        "none",
        "--mount",
        `type=volume,source=${name},target=/v`,
        "--entrypoint",
        "sh",
        image,
        "-c",
        `chgrp ${fsGroup} /v && chmod 2775 /v`,
      ]);
    }
  }

  volumeName(claim: string) {
    return `${this.prefix}-${claim}`;
  }

  async removeVolume(name: string) {
    await docker(["volume", "rm", "-f", name], { allowFail: true });
    this.volumes.delete(name);
  }

  private servicesOf(labels: Record<string, string>) {
    return this.services.filter((s) => selects(s.selector, labels));
  }

  private dockerEnv(c: ContainerPlan): string[] {
    return [...c.env.entries()].flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  }

  private containerArgs(pod: Pod, c: ContainerPlan, detached: boolean, extra: string[] = []): string[] {
    return [
      "run",
      ...(detached ? ["-d"] : ["--rm"]),
      "--name",
      `${pod.pause}-${c.name}`,
      ...this.labelArgs,
      "--network",
      `container:${pod.pause}`,
      ...extra,
      ...c.options,
      ...this.dockerEnv(c),
      c.image,
      ...c.args,
    ];
  }

  /** Creates the pod sandbox and runs the init containers in order. */
  private async sandbox(plan: PodPlan, extraAliases: string[] = []): Promise<Pod> {
    if (this.pods.has(plan.name)) throw new Error(`pod ${plan.name} exists`);
    for (const f of plan.files) {
      rmSync(f.dir, { recursive: true, force: true });
      mkdirSync(f.dir, { recursive: true, mode: 0o755 });
      for (const [k, v] of Object.entries(f.entries)) writeFileSync(join(f.dir, k), v, { mode: f.mode });
    }
    const first = plan.containers[0] as ContainerPlan;
    for (const c of [...plan.init, ...plan.containers]) {
      for (const v of c.volumes) await this.ensureVolume(v, plan.fsGroup, c.image);
    }
    const ip = `${this.subnetBase}.${this.nextHost++}`;
    const pod: Pod = {
      name: plan.name,
      plan,
      ip,
      pause: `${this.prefix}-${plan.name}`,
      containers: [],
      aliases: [],
      terminating: false,
      stopped: false,
      extraAliases,
    };
    // NodePort Services selecting this pod: published on 127.0.0.1:nodePort (what minikube ip:nodePort is).
    const publish: string[] = [];
    for (const svc of this.servicesOf(plan.labels)) {
      for (const p of svc.ports) {
        const target = typeof p.targetPort === "number" ? p.targetPort : portByName(plan, p.targetPort);
        if (target === undefined)
          throw new Error(
            `Service/${svc.name}: targetPort ${p.targetPort} is not a port of pod ${plan.name}`,
          );
        if (target !== p.port)
          throw new Error(
            `Service/${svc.name}: port ${p.port} ≠ targetPort ${target}; network aliases cannot remap ports`,
          );
        if (p.nodePort) publish.push("-p", `127.0.0.1:${p.nodePort}:${target}`);
      }
    }
    const aliases = this.desiredAliases(pod, false);
    await docker([
      "run",
      "-d",
      "--pull",
      "never",
      "--name",
      pod.pause,
      ...this.labelArgs,
      "--hostname",
      plan.name,
      "--network",
      this.network,
      "--ip",
      ip,
      ...aliases.flatMap((a) => ["--network-alias", a]),
      ...publish,
      "--read-only",
      "--cap-drop",
      "ALL",
      "--security-opt",
      "no-new-privileges",
      "--user",
      "65535:65535",
      "--memory",
      "16m",
      "--entrypoint",
      "sleep",
      first.image,
      "infinity",
    ]);
    pod.aliases = aliases;
    this.pods.set(plan.name, pod);
    for (const c of plan.init) {
      const started = Date.now();
      const r = await docker(this.containerArgs(pod, c, false), { allowFail: true, timeoutMs: 600_000 });
      const out = `${r.stdout}${r.stderr}`;
      writeFileSync(join(this.workDir, `${plan.name}-${c.name}.log`), out);
      if (r.code !== 0)
        throw new Error(`pod ${plan.name}: init container ${c.name} exited ${r.code}:\n${tail(out)}`);
      this.event(
        plan.name,
        `init container ${c.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    return pod;
  }

  /** Starts a long-running pod: sandbox, init containers, app containers, kubelet probes. */
  async startPod(plan: PodPlan, extraAliases: string[] = []): Promise<Pod> {
    const pod = await this.sandbox(plan, extraAliases);
    for (const c of plan.containers) {
      await docker(
        this.containerArgs(pod, c, true, ["--stop-timeout", String(Math.ceil(plan.graceMs / 1000))]),
      );
      const state: ContainerState = {
        plan: c,
        docker: `${pod.pause}-${c.name}`,
        started: false,
        ready: false,
        livenessFailures: 0,
      };
      pod.containers.push(state);
      void this.kubelet(pod, state);
    }
    return pod;
  }

  /** Runs a pod to completion (Job, helm test, restore): init containers, then the app containers in turn. */
  async runPod(
    plan: PodPlan,
    options: { timeoutMs?: number } = {},
  ): Promise<{ code: number; output: string }> {
    const pod = await this.sandbox(plan);
    let output = "";
    let code = 0;
    try {
      for (const c of plan.containers) {
        const r = await docker(this.containerArgs(pod, c, false), {
          allowFail: true,
          timeoutMs: options.timeoutMs ?? 600_000,
        });
        output += `${r.stdout}${r.stderr}`;
        writeFileSync(join(this.workDir, `${plan.name}-${c.name}.log`), `${r.stdout}${r.stderr}`);
        if (r.code !== 0) {
          code = r.code;
          break;
        }
      }
    } finally {
      pod.stopped = true;
      await docker(["rm", "-f", pod.pause], { allowFail: true });
      this.pods.delete(plan.name);
    }
    return { code, output };
  }

  private async probe(pod: Pod, state: ContainerState, p: Probe): Promise<boolean> {
    try {
      if (p.kind === "http") {
        const res = await fetch(`http://${pod.ip}:${p.port}${p.path}`, {
          signal: AbortSignal.timeout(p.timeoutMs),
        });
        await res.arrayBuffer();
        return res.status >= 200 && res.status < 400;
      }
      if (p.kind === "tcp") {
        return await new Promise<boolean>((resolve) => {
          const s = connect(p.port as number, pod.ip);
          s.setTimeout(p.timeoutMs, () => {
            s.destroy();
            resolve(false);
          });
          s.once("connect", () => {
            s.end();
            resolve(true);
          });
          s.once("error", () => resolve(false));
        });
      }
      // docker exec adds its own start-up time on a busy 2-core machine: one extra second of slack.
      const r = await docker(["exec", state.docker, ...(p.command ?? [])], {
        allowFail: true,
        timeoutMs: p.timeoutMs + 1000,
      });
      return r.code === 0;
    } catch {
      return false;
    }
  }

  private async kubelet(pod: Pod, state: ContainerState) {
    const { startupProbe, readinessProbe, livenessProbe } = state.plan;
    const alive = () => !pod.stopped;
    if (startupProbe) {
      await sleep(startupProbe.initialDelayMs);
      let failures = 0;
      while (alive()) {
        if (await this.probe(pod, state, startupProbe)) break;
        failures += 1;
        if (failures >= startupProbe.failureThreshold) {
          this.event(
            pod.name,
            `${state.plan.name}: startup probe failed ${failures} times (the kubelet would restart it)`,
          );
          return;
        }
        await sleep(startupProbe.periodMs);
      }
    }
    state.started = true;
    const readiness = async () => {
      if (!readinessProbe) {
        state.ready = true;
        this.reconcile(pod);
        return;
      }
      await sleep(startupProbe ? 0 : readinessProbe.initialDelayMs);
      let failures = 0;
      let successes = 0;
      while (alive()) {
        const ok = await this.probe(pod, state, readinessProbe);
        if (ok) {
          failures = 0;
          successes += 1;
          if (!state.ready && successes >= readinessProbe.successThreshold) {
            state.ready = true;
            this.event(pod.name, `${state.plan.name} ready`);
            this.reconcile(pod);
          }
        } else {
          successes = 0;
          failures += 1;
          if (state.ready && failures >= readinessProbe.failureThreshold) {
            state.ready = false;
            this.event(pod.name, `${state.plan.name} not ready`);
            this.reconcile(pod);
          }
        }
        await sleep(readinessProbe.periodMs);
      }
    };
    const liveness = async () => {
      if (!livenessProbe) return;
      await sleep(startupProbe ? 0 : livenessProbe.initialDelayMs);
      while (alive()) {
        await sleep(livenessProbe.periodMs);
        if (!alive() || pod.terminating) return;
        if (await this.probe(pod, state, livenessProbe)) state.livenessFailures = 0;
        else {
          state.livenessFailures += 1;
          if (state.livenessFailures === livenessProbe.failureThreshold)
            this.event(
              pod.name,
              `${state.plan.name}: liveness probe failed ${state.livenessFailures} times (the kubelet would restart it)`,
            );
        }
      }
    };
    await Promise.all([readiness(), liveness()]);
  }

  isReady(pod: Pod) {
    return !pod.terminating && pod.containers.length > 0 && pod.containers.every((c) => c.ready);
  }

  private desiredAliases(pod: Pod, ready: boolean): string[] {
    if (pod.terminating) return [];
    const names = new Set<string>(pod.extraAliases);
    for (const svc of this.servicesOf(pod.plan.labels)) {
      if (ready || svc.publishNotReady) {
        names.add(svc.name);
        if (svc.headless) names.add(`${pod.name}.${svc.name}`);
      }
    }
    return [...names].sort();
  }

  /** Endpoints controller: the pod's aliases follow its readiness. Serialised per pod. */
  reconcile(pod: Pod): Promise<void> {
    const previous = this.reconcileChain.get(pod.name) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (pod.stopped) return;
      const want = this.desiredAliases(pod, this.isReady(pod));
      if (want.join() === pod.aliases.join()) return;
      await docker(["network", "disconnect", this.network, pod.pause], { allowFail: true });
      await docker([
        "network",
        "connect",
        "--ip",
        pod.ip,
        ...want.flatMap((a) => ["--alias", a]),
        this.network,
        pod.pause,
      ]);
      this.event(pod.name, `endpoints: ${want.length ? want.join(", ") : "(none)"}`);
      pod.aliases = want;
    });
    this.reconcileChain.set(
      pod.name,
      next.catch((e) => this.event(pod.name, `endpoints update failed: ${e}`)),
    );
    return next;
  }

  async waitReady(name: string, timeoutMs = 180_000) {
    const pod = this.pods.get(name);
    if (!pod) throw new Error(`no pod ${name}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.isReady(pod) && pod.aliases.join() === this.desiredAliases(pod, true).join()) return;
      for (const c of pod.containers) {
        const r = await docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", c.docker], {
          allowFail: true,
        });
        if (r.stdout.startsWith("exited")) {
          const logs = await this.logs(c.docker);
          throw new Error(
            `pod ${name}: container ${c.plan.name} exited (${r.stdout.trim()}):\n${tail(logs)}`,
          );
        }
      }
      await sleep(500);
    }
    throw new Error(`pod ${name} not ready within ${timeoutMs / 1000} s`);
  }

  /**
   * Proves the translation took effect (Docker can silently discard a limit, e.g. without CFS quota
   * support): the running container's user, read-only root, tmpfs mounts, capabilities and limits,
   * read back from `docker inspect` and from inside the container, against the rendered spec.
   */
  async verifyContainer(podName: string, container: K8sObject, podSpec: K8sObject): Promise<string[]> {
    const pod = this.pods.get(podName);
    const state = pod?.containers.find((c) => c.plan.name === container.name);
    if (!pod || !state) throw new Error(`no container ${podName}/${container.name}`);
    const [info] = JSON.parse((await docker(["inspect", state.docker])).stdout) as K8sObject[];
    const hc = info?.HostConfig ?? {};
    const sc = container.securityContext ?? {};
    const psc = podSpec.securityContext ?? {};
    const problems: string[] = [];
    const want = (what: string, actual: unknown, expected: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        problems.push(`${what}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
    };
    const uid = sc.runAsUser ?? psc.runAsUser;
    const gid = sc.runAsGroup ?? psc.runAsGroup;
    if (uid !== undefined) {
      const ids = (await docker(["exec", state.docker, "sh", "-c", "id -u; id -g"])).stdout
        .trim()
        .split("\n");
      want("uid", Number(ids[0]), uid);
      if (gid !== undefined) want("gid", Number(ids[1]), gid);
    }
    want("readOnlyRootFilesystem", Boolean(hc.ReadonlyRootfs), Boolean(sc.readOnlyRootFilesystem));
    const limits = container.resources?.limits ?? {};
    if (limits.memory) want("memory limit", hc.Memory, bytes(limits.memory));
    if (limits.cpu) want("cpu limit", hc.NanoCpus, Math.round(cpuCores(limits.cpu) * 1e9));
    if (sc.capabilities?.drop) want("capabilities dropped", hc.CapDrop, sc.capabilities.drop);
    if (sc.allowPrivilegeEscalation === false)
      want("no-new-privileges", (hc.SecurityOpt ?? []).includes("no-new-privileges"), true);
    const emptyDirs = new Set(
      (podSpec.volumes ?? []).filter((v: K8sObject) => v.emptyDir).map((v: K8sObject) => v.name),
    );
    for (const m of container.volumeMounts ?? []) {
      if (emptyDirs.has(m.name)) want(`tmpfs ${m.mountPath}`, m.mountPath in (hc.Tmpfs ?? {}), true);
    }
    if (limits.memory || limits.cpu) {
      // What the kernel enforces, read from the container's own cgroup (v1 or v2).
      const script =
        "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null | head -n1; " +
        'cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"';
      const [mem, cpu] = (await docker(["exec", state.docker, "sh", "-c", script])).stdout.trim().split("\n");
      if (limits.memory) want("memory limit in the cgroup", Number(mem), bytes(limits.memory));
      if (limits.cpu) {
        const [quota, period] = (cpu ?? "").split(" ").map(Number);
        want(
          "cpu quota in the cgroup",
          quota && period ? Math.round((quota / period) * 1000) / 1000 : cpu,
          cpuCores(limits.cpu),
        );
      }
    }
    return problems;
  }

  async logs(container: string): Promise<string> {
    const r = await docker(["logs", container], { allowFail: true });
    return `${r.stdout}${r.stderr}`;
  }

  /** Runs a container's preStop hook (sleep or exec), bounded by the time left. */
  private async preStop(state: ContainerState, budgetMs: number) {
    const hook = state.plan.preStop;
    if (!hook) return;
    if (hook.sleepMs !== undefined) await sleep(Math.min(hook.sleepMs, budgetMs));
    if (hook.exec)
      await docker(["exec", state.docker, ...hook.exec], { allowFail: true, timeoutMs: budgetMs });
  }

  /**
   * Stops one container as the kubelet does: preStop, then SIGTERM (docker stop), SIGKILL when the grace
   * period is over. Returns the exit code.
   */
  private async stopContainer(pod: Pod, state: ContainerState): Promise<number> {
    const started = Date.now();
    await this.preStop(state, pod.plan.graceMs);
    const left = Math.max(1, Math.ceil((pod.plan.graceMs - (Date.now() - started)) / 1000));
    await docker(["stop", "-t", String(left), state.docker], {
      allowFail: true,
      timeoutMs: (left + 30) * 1000,
    });
    const r = await docker(["inspect", "-f", "{{.State.ExitCode}}", state.docker]);
    return Number(r.stdout.trim());
  }

  /**
   * Deletes a pod the way Kubernetes does: the endpoints drop it at once (asynchronously) while the
   * preStop hooks run; then SIGTERM, then SIGKILL after terminationGracePeriodSeconds.
   */
  async deletePod(name: string): Promise<{ exitCodes: Record<string, number>; seconds: number }> {
    const pod = this.pods.get(name);
    if (!pod) throw new Error(`no pod ${name}`);
    const started = Date.now();
    pod.terminating = true;
    this.event(name, "terminating");
    // kube-proxy/CoreDNS see the endpoint change a moment later, not at once: the preStop sleep covers it.
    const endpoints = sleep(this.endpointLagMs).then(() => this.reconcile(pod));
    const exitCodes: Record<string, number> = {};
    await Promise.all(
      pod.containers.map(async (c) => {
        exitCodes[c.plan.name] = await this.stopContainer(pod, c);
      }),
    );
    await endpoints.catch(() => {});
    pod.stopped = true;
    for (const c of pod.containers)
      writeFileSync(join(this.workDir, `${name}-${c.plan.name}.log`), await this.logs(c.docker));
    await docker(["rm", "-f", ...pod.containers.map((c) => c.docker), pod.pause], { allowFail: true });
    this.pods.delete(name);
    const seconds = (Date.now() - started) / 1000;
    this.event(name, `deleted in ${seconds.toFixed(1)} s, exit codes ${JSON.stringify(exitCodes)}`);
    return { exitCodes, seconds };
  }

  /** Restarts one container in place (the pod, its IP and volumes stay): preStop, SIGTERM, start again. */
  async restartContainer(podName: string, container: string, downMs = 0): Promise<number> {
    const pod = this.pods.get(podName);
    const state = pod?.containers.find((c) => c.plan.name === container);
    if (!pod || !state) throw new Error(`no container ${podName}/${container}`);
    const code = await this.stopContainer(pod, state);
    this.event(podName, `${container} stopped (exit ${code})`);
    await sleep(downMs);
    await docker(["start", state.docker]);
    this.event(podName, `${container} started again`);
    return code;
  }

  async containerStartedAt(podName: string, container: string): Promise<string> {
    const pod = this.pods.get(podName);
    const state = pod?.containers.find((c) => c.plan.name === container);
    if (!state) throw new Error(`no container ${podName}/${container}`);
    const r = await docker(["inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", state.docker]);
    return r.stdout.trim();
  }

  livenessFailures(): PodEvent[] {
    return this.events.filter((e) => /would restart/.test(e.message));
  }

  async teardown(keepLogs: boolean) {
    for (const pod of this.pods.values()) pod.stopped = true;
    if (keepLogs) {
      for (const pod of this.pods.values()) {
        for (const c of pod.containers) {
          writeFileSync(join(this.workDir, `${pod.name}-${c.plan.name}.log`), await this.logs(c.docker));
        }
      }
    }
    const ids = await docker(["ps", "-aq", "--filter", `label=rehearsal=${this.prefix}`], {
      allowFail: true,
    });
    const list = ids.stdout.split("\n").filter(Boolean);
    if (list.length) await docker(["rm", "-f", "-v", ...list], { allowFail: true });
    await docker(["network", "rm", this.network], { allowFail: true });
    const vols = await docker(["volume", "ls", "-q", "--filter", `label=rehearsal=${this.prefix}`], {
      allowFail: true,
    });
    const vlist = vols.stdout.split("\n").filter(Boolean);
    if (vlist.length) await docker(["volume", "rm", "-f", ...vlist], { allowFail: true });
    this.pods.clear();
  }
}

function portByName(plan: PodPlan, name: string): number | undefined {
  for (const c of plan.containers) {
    const p = c.ports.get(name);
    if (p !== undefined) return p;
  }
  return undefined;
}
