// The rendered workloads as pod plans: Deployment and StatefulSet pods, a Job from the CronJob's
// jobTemplate (what `kubectl create job --from=cronjob/...` starts) and the helm test Pod.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Cluster } from "./cluster";
import type { K8sObject } from "./manifests";
import { type PodPlan, planPod, type Store } from "./translate";

export function find(
  objects: K8sObject[],
  kind: string,
  predicate: (o: K8sObject) => boolean = () => true,
): K8sObject[] {
  return objects.filter((o) => o.kind === kind && predicate(o));
}

export function one(
  objects: K8sObject[],
  kind: string,
  predicate: (o: K8sObject) => boolean = () => true,
): K8sObject {
  const found = find(objects, kind, predicate);
  if (found.length !== 1) throw new Error(`expected one ${kind}, the chart rendered ${found.length}`);
  return found[0] as K8sObject;
}

const suffix = () => randomBytes(3).toString("hex").slice(0, 5);

function checkSelector(o: K8sObject, labels: Record<string, string>) {
  for (const [k, v] of Object.entries(o.spec.selector?.matchLabels ?? {})) {
    if (labels[k] !== v)
      throw new Error(`${o.kind}/${o.metadata.name}: selector ${k}=${v} does not match the pod template`);
  }
}

export class Workloads {
  constructor(
    readonly objects: K8sObject[],
    readonly store: Store,
    readonly cluster: Cluster,
  ) {}

  private plan(
    spec: K8sObject,
    podName: string,
    labels: Record<string, string>,
    defaultRestartPolicy: string,
  ): PodPlan {
    return planPod(spec, {
      podName,
      labels,
      store: this.store,
      volumeFor: (claim) => this.cluster.volumeName(claim),
      filesDir: (volume) => join(this.cluster.workDir, "volumes", podName, volume),
      defaultRestartPolicy,
    });
  }

  deploymentPod(deployment: K8sObject): PodPlan {
    if ((deployment.spec.strategy?.type ?? "RollingUpdate") !== "RollingUpdate")
      throw new Error(
        `Deployment/${deployment.metadata.name}: strategy ${deployment.spec.strategy.type} is not honoured`,
      );
    const labels = deployment.spec.template.metadata?.labels ?? {};
    checkSelector(deployment, labels);
    const spec = deployment.spec.template.spec;
    if (spec.restartPolicy && spec.restartPolicy !== "Always")
      throw new Error(`Deployment/${deployment.metadata.name}: restartPolicy`);
    return this.plan(spec, `${deployment.metadata.name}-${suffix()}`, labels, "Always");
  }

  statefulSetPod(sts: K8sObject, ordinal: number): { plan: PodPlan; hostAlias: string[] } {
    const labels = sts.spec.template.metadata?.labels ?? {};
    checkSelector(sts, labels);
    const podName = `${sts.metadata.name}-${ordinal}`;
    const spec = structuredClone(sts.spec.template.spec);
    // The StatefulSet controller adds one PVC per claim template: <template>-<pod>.
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      spec.volumes = [
        ...(spec.volumes ?? []),
        { name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${podName}` } },
      ];
    }
    const headless = this.cluster.services.find((s) => s.name === sts.spec.serviceName);
    if (!headless?.headless)
      throw new Error(
        `StatefulSet/${sts.metadata.name}: serviceName ${sts.spec.serviceName} is not a headless Service`,
      );
    return { plan: this.plan(spec, podName, labels, "Always"), hostAlias: [] };
  }

  jobPod(cronJob: K8sObject): PodPlan {
    const template = cronJob.spec.jobTemplate.spec.template;
    const spec = template.spec;
    if (spec.restartPolicy !== "Never" && spec.restartPolicy !== "OnFailure")
      throw new Error(`CronJob/${cronJob.metadata.name}: restartPolicy ${spec.restartPolicy}`);
    return this.plan(
      spec,
      `${cronJob.metadata.name}-manual-${suffix()}`,
      template.metadata?.labels ?? {},
      "Never",
    );
  }

  testPod(pod: K8sObject): PodPlan {
    if (pod.metadata.annotations?.["helm.sh/hook"] !== "test")
      throw new Error(`Pod/${pod.metadata.name} is not a helm test hook`);
    return this.plan(pod.spec, pod.metadata.name, pod.metadata.labels ?? {}, "Never");
  }

  /** Any pod spec (e.g. the restore pod db-restore.sh builds), through the same translator. */
  adHocPod(spec: K8sObject, name: string, labels: Record<string, string>): PodPlan {
    return this.plan(spec, name, labels, "Never");
  }
}
