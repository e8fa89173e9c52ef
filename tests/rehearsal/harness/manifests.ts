// Renders the chart with `helm template` and checks every rendered field against the list of fields the
// rehearsal understands. A field outside the list fails the run by name: the rehearsal never silently
// diverges from what the chart asks of Kubernetes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { chartDir, repoRoot, run } from "./exec";

// Rendered Kubernetes objects: checked field by field against the allow-list below.
export type K8sObject = Record<string, any>;

export interface Rendered {
  objects: K8sObject[];
  yaml: string;
  command: string;
}

export function helmPath(): string | undefined {
  const local = join(repoRoot, ".tools/bin/helm");
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, "helm"))) return join(dir, "helm");
  }
  return undefined;
}

export const valuesFiles = [
  join(chartDir, "values-minikube.yaml"),
  join(repoRoot, "tests/rehearsal/values-rehearsal.yaml"),
];

export async function renderChart(release = "todo-chatbot", namespace = "todo-chatbot"): Promise<Rendered> {
  const helm = helmPath();
  if (!helm) throw new Error("helm not found in .tools/bin or PATH (run: bash scripts/tools.sh)");
  const args = ["template", release, chartDir, "-n", namespace, ...valuesFiles.flatMap((f) => ["-f", f])];
  const { stdout } = await run(helm, args);
  const objects = parseAllDocuments(stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => Boolean(o));
  return { objects, yaml: stdout, command: `helm ${args.join(" ").replaceAll(`${repoRoot}/`, "")}` };
}

// ---------------------------------------------------------------------------------------------------
// The allow-list. Paths use `[]` for any array element and `*` for any key of a free-form map.
// Each entry says how the rehearsal honours the field; values are further checked where they are used.

const meta = {
  apiVersion: "checked per kind",
  kind: "dispatch",
  "metadata.name": "container / volume / alias names",
  "metadata.labels.*": "pod labels select Services (network aliases)",
  "metadata.annotations.*": "informational (checksum/*, prometheus.io/*, helm.sh/*, checkov.io/*)",
};

const probe = (p: string) => ({
  [`${p}.httpGet.path`]: "HTTP GET from the host to the pod IP",
  [`${p}.httpGet.port`]: "named or numeric container port",
  [`${p}.httpGet.scheme`]: "HTTP only",
  [`${p}.exec.command[]`]: "docker exec in the container",
  [`${p}.tcpSocket.port`]: "TCP connect from the host to the pod IP",
  [`${p}.initialDelaySeconds`]: "kubelet timing",
  [`${p}.periodSeconds`]: "kubelet timing",
  [`${p}.timeoutSeconds`]: "kubelet timing",
  [`${p}.failureThreshold`]: "kubelet timing (liveness: a failure fails the run, a restart would follow)",
  [`${p}.successThreshold`]: "kubelet timing",
});

const container = (c: string) => ({
  [`${c}.name`]: "container name",
  [`${c}.image`]: "docker run IMAGE (local images only: --pull never)",
  [`${c}.imagePullPolicy`]: "IfNotPresent/Never (Always needs a registry: error)",
  [`${c}.command[]`]: "--entrypoint + arguments, $(VAR) expanded as Kubernetes does",
  [`${c}.args[]`]: "arguments, $(VAR) expanded",
  [`${c}.workingDir`]: "--workdir",
  [`${c}.env[].name`]: "-e",
  [`${c}.env[].value`]: "-e, $(VAR) expanded against earlier variables",
  [`${c}.env[].valueFrom.secretKeyRef.name`]: "resolved from the rendered Secret",
  [`${c}.env[].valueFrom.secretKeyRef.key`]: "resolved from the rendered Secret",
  [`${c}.env[].valueFrom.secretKeyRef.optional`]: "missing key skipped when optional",
  [`${c}.env[].valueFrom.configMapKeyRef.name`]: "resolved from the rendered ConfigMap",
  [`${c}.env[].valueFrom.configMapKeyRef.key`]: "resolved from the rendered ConfigMap",
  [`${c}.env[].valueFrom.configMapKeyRef.optional`]: "missing key skipped when optional",
  [`${c}.envFrom[].configMapRef.name`]: "every key as -e",
  [`${c}.envFrom[].configMapRef.optional`]: "missing ConfigMap skipped when optional",
  [`${c}.envFrom[].secretRef.name`]: "every key as -e",
  [`${c}.envFrom[].secretRef.optional`]: "missing Secret skipped when optional",
  [`${c}.envFrom[].prefix`]: "prefix added to each key",
  [`${c}.ports[].name`]: "named port for probes and Service targetPort",
  [`${c}.ports[].containerPort`]: "the Service port must equal it (aliases do not remap ports)",
  [`${c}.ports[].protocol`]: "TCP only",
  [`${c}.securityContext.allowPrivilegeEscalation`]: "false: --security-opt no-new-privileges",
  [`${c}.securityContext.readOnlyRootFilesystem`]: "true: --read-only",
  [`${c}.securityContext.runAsNonRoot`]: "checked: the effective uid is not 0",
  [`${c}.securityContext.runAsUser`]: "--user",
  [`${c}.securityContext.runAsGroup`]: "--user uid:gid",
  [`${c}.securityContext.privileged`]: "false only",
  [`${c}.securityContext.capabilities.drop[]`]: "--cap-drop",
  [`${c}.securityContext.capabilities.add[]`]: "--cap-add",
  [`${c}.securityContext.seccompProfile.type`]: "RuntimeDefault: Docker's default seccomp profile",
  [`${c}.resources.limits.cpu`]: "--cpus",
  [`${c}.resources.limits.memory`]: "--memory",
  [`${c}.resources.requests.cpu`]: "--cpu-shares (Kubernetes' milli-CPU to shares mapping)",
  [`${c}.resources.requests.memory`]: "--memory-reservation",
  ...probe(`${c}.startupProbe`),
  ...probe(`${c}.livenessProbe`),
  ...probe(`${c}.readinessProbe`),
  [`${c}.lifecycle.preStop.sleep.seconds`]: "waited before SIGTERM, within the grace period",
  [`${c}.lifecycle.preStop.exec.command[]`]: "docker exec before SIGTERM, within the grace period",
  [`${c}.volumeMounts[].name`]: "volume",
  [`${c}.volumeMounts[].mountPath`]: "mount point",
  [`${c}.volumeMounts[].readOnly`]: ":ro",
});

const podSpec = (p: string) => ({
  [`${p}.restartPolicy`]:
    "Always for workloads, Never for jobs and test pods (run to completion, exit 0 required)",
  [`${p}.automountServiceAccountToken`]: "false only: no token is mounted",
  [`${p}.enableServiceLinks`]: "false only: no service variables are injected",
  [`${p}.serviceAccountName`]: "no Kubernetes API here: nothing to authenticate",
  [`${p}.terminationGracePeriodSeconds`]: "preStop + docker stop -t (SIGTERM, then SIGKILL)",
  [`${p}.securityContext.runAsNonRoot`]: "checked: the effective uid is not 0",
  [`${p}.securityContext.runAsUser`]: "--user",
  [`${p}.securityContext.runAsGroup`]: "--user uid:gid",
  [`${p}.securityContext.fsGroup`]: "--group-add, and new volumes chgrp'ed + setgid like the kubelet",
  [`${p}.securityContext.fsGroupChangePolicy`]: "volumes are prepared once, when created",
  [`${p}.securityContext.seccompProfile.type`]: "RuntimeDefault: Docker's default seccomp profile",
  [`${p}.topologySpreadConstraints[].maxSkew`]: "one node: nothing to spread (ScheduleAnyway only)",
  [`${p}.topologySpreadConstraints[].topologyKey`]: "one node",
  [`${p}.topologySpreadConstraints[].whenUnsatisfiable`]: "ScheduleAnyway only",
  [`${p}.topologySpreadConstraints[].labelSelector.matchLabels.*`]: "one node",
  [`${p}.volumes[].name`]: "volume name",
  [`${p}.volumes[].emptyDir.sizeLimit`]: "tmpfs size=",
  [`${p}.volumes[].emptyDir.medium`]: "tmpfs (Memory, or node disk emulated by tmpfs)",
  [`${p}.volumes[].emptyDir`]: "tmpfs mode 0777",
  [`${p}.volumes[].persistentVolumeClaim.claimName`]: "docker volume",
  [`${p}.volumes[].persistentVolumeClaim.readOnly`]: ":ro",
  [`${p}.volumes[].configMap.name`]: "files written from the rendered ConfigMap, bind-mounted read-only",
  [`${p}.volumes[].configMap.defaultMode`]: "file mode",
  [`${p}.volumes[].secret.secretName`]: "files written from the rendered Secret, bind-mounted read-only",
  [`${p}.volumes[].secret.defaultMode`]: "file mode",
  ...container(`${p}.containers[]`),
  ...container(`${p}.initContainers[]`),
});

const podTemplate = (p: string) => ({
  [`${p}.metadata.labels.*`]: "Service selection",
  [`${p}.metadata.annotations.*`]: "informational",
  ...podSpec(`${p}.spec`),
});

export const allowList: Record<string, Record<string, string>> = {
  ConfigMap: { ...meta, "data.*": "env and files" },
  Secret: {
    ...meta,
    type: "Opaque only",
    "data.*": "base64-decoded env and files",
    "stringData.*": "env and files",
  },
  Service: {
    ...meta,
    "spec.type": "ClusterIP, NodePort (published on 127.0.0.1:nodePort)",
    "spec.clusterIP": "None: headless (pod aliases <pod>.<service>)",
    "spec.publishNotReadyAddresses": "alias added before readiness",
    "spec.selector.*": "pods whose labels match get the Service name as a network alias while ready",
    "spec.ports[].name": "port name",
    "spec.ports[].port": "must equal the target container port",
    "spec.ports[].targetPort": "named or numeric container port",
    "spec.ports[].protocol": "TCP only",
    "spec.ports[].nodePort": "docker -p 127.0.0.1:nodePort:containerPort",
  },
  PersistentVolumeClaim: {
    ...meta,
    "spec.accessModes[]": "one node: any mode holds",
    "spec.storageClassName": "docker local volume",
    "spec.resources.requests.storage": "not enforced by docker local volumes",
  },
  Deployment: {
    ...meta,
    "spec.replicas": "pods started",
    "spec.revisionHistoryLimit": "no rollout history here",
    "spec.strategy.type": "RollingUpdate only",
    "spec.strategy.rollingUpdate.maxUnavailable":
      "rolling step: the new pod is ready before the old one stops",
    "spec.strategy.rollingUpdate.maxSurge": "rolling step: one extra pod",
    "spec.selector.matchLabels.*": "checked: matches the template labels",
    ...podTemplate("spec.template"),
  },
  StatefulSet: {
    ...meta,
    "spec.replicas": "pods <name>-0..N-1",
    "spec.revisionHistoryLimit": "no rollout history here",
    "spec.serviceName": "headless Service: <pod>.<serviceName> alias",
    "spec.podManagementPolicy": "pods start in order",
    "spec.updateStrategy.type": "no update here",
    "spec.persistentVolumeClaimRetentionPolicy.whenDeleted": "volumes are kept until teardown",
    "spec.persistentVolumeClaimRetentionPolicy.whenScaled": "volumes are kept until teardown",
    "spec.selector.matchLabels.*": "checked: matches the template labels",
    "spec.volumeClaimTemplates[].metadata.name": "docker volume <template>-<pod>",
    "spec.volumeClaimTemplates[].metadata.labels.*": "informational",
    "spec.volumeClaimTemplates[].spec.accessModes[]": "one node",
    "spec.volumeClaimTemplates[].spec.storageClassName": "docker local volume",
    "spec.volumeClaimTemplates[].spec.resources.requests.storage": "not enforced by docker local volumes",
    ...podTemplate("spec.template"),
  },
  CronJob: {
    ...meta,
    "spec.schedule": "the rehearsal triggers one job (kubectl create job --from=cronjob)",
    "spec.timeZone": "schedule only",
    "spec.concurrencyPolicy": "one job at a time",
    "spec.startingDeadlineSeconds": "schedule only",
    "spec.successfulJobsHistoryLimit": "no job history here",
    "spec.failedJobsHistoryLimit": "no job history here",
    "spec.jobTemplate.spec.backoffLimit": "the one run must succeed",
    "spec.jobTemplate.spec.activeDeadlineSeconds": "docker wait bounded by it",
    "spec.jobTemplate.spec.ttlSecondsAfterFinished": "container removed after the run",
    ...podTemplate("spec.jobTemplate.spec.template"),
  },
  Pod: { ...meta, ...podSpec("spec") },
};

/** Kinds that are rendered but have no Docker equivalent, each with the reason it is left out. */
export const notEmulated: Record<string, string> = {
  NetworkPolicy:
    "Docker networks do not enforce Kubernetes policies; the rehearsal checks instead that every flow it uses is allowed by them",
  ServiceAccount:
    "no Kubernetes API in the rehearsal; automountServiceAccountToken=false is checked on the pods",
  PodDisruptionBudget: "no voluntary evictions here",
  HorizontalPodAutoscaler: "no metrics server; replicas are fixed",
  Ingress: "no ingress controller; the frontend is published through its NodePort",
  ServiceMonitor: "no Prometheus Operator",
};

/** Normalised leaf paths of an object: arrays as [], scalars and empty objects as leaves. */
export function leafPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${prefix}[]`];
    return value.flatMap((v) => leafPaths(v, `${prefix}[]`));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

function matches(pattern: string, path: string): boolean {
  // `a.b.*` matches any single key (and everything under it: free-form maps of scalars)
  if (pattern.endsWith(".*")) {
    const base = pattern.slice(0, -2);
    return path.startsWith(`${base}.`);
  }
  return pattern === path;
}

export interface FieldReport {
  objects: number;
  fields: number;
  skippedKinds: Record<string, string[]>;
}

/** Throws naming every rendered field the rehearsal cannot honour. */
export function checkFields(objects: K8sObject[]): FieldReport {
  const errors: string[] = [];
  const skippedKinds: Record<string, string[]> = {};
  let fields = 0;
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata?.name}`;
    if (obj.kind in notEmulated) {
      (skippedKinds[obj.kind] ??= []).push(obj.metadata?.name);
      continue;
    }
    const allowed = allowList[obj.kind];
    if (!allowed) {
      errors.push(`${id}: kind ${obj.kind} is not understood by the rehearsal`);
      continue;
    }
    const patterns = Object.keys(allowed);
    for (const path of new Set(leafPaths(obj))) {
      fields += 1;
      if (!patterns.some((p) => matches(p, path)))
        errors.push(`${id}: field ${path} is not honoured by the rehearsal`);
    }
  }
  if (errors.length) {
    throw new Error(
      `the rendered chart uses fields the rehearsal cannot honour (teach tests/rehearsal/harness/manifests.ts and the pod translator, or change the chart):\n  ${errors.join("\n  ")}`,
    );
  }
  return { objects: objects.length, fields, skippedKinds };
}
