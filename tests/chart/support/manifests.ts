// The one chart renderer of the suite: `helm template` of the release todo-chatbot, with typed access to
// the objects it produced.
import { parseAllDocuments } from "yaml";
import { chartDir, type Run, run } from "./tools";

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number }; exec?: { command: string[] } } };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    fsGroup?: number;
    seccompProfile?: { type: string };
  };
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: { whenUnsatisfiable: string }[];
  volumes?: { name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } }[];
}

export interface PodTemplate {
  metadata: Metadata;
  spec: PodSpec;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  // The rest differs per kind; tests narrow it with the helpers below.
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface Rendered {
  name: string;
  args: string[];
  text: string;
  objects: Manifest[];
}

export const releaseName = "todo-chatbot";
export const namespace = "todo-chatbot";

/** `helm template` of the umbrella chart, or of the chart directory `chart` (a copy, a subchart). */
export function helmTemplate(helm: string, args: string[], chart = chartDir): Run {
  return run(helm, ["template", releaseName, chart, "--namespace", namespace, ...args]);
}

export function render(helm: string, name: string, args: string[], chart = chartDir): Rendered {
  const result = helmTemplate(helm, args, chart);
  if (result.status !== 0) {
    throw new Error(`helm template (${name}) failed:\n${result.stderr}`);
  }
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((o): o is Manifest => o !== null && typeof o === "object");
  return { name, args, text: result.stdout, objects };
}

/** The cases every rendering test runs over, by name. */
export const matrix: Record<string, string[]> = {
  defaults: [],
  "values-minikube": [
    "-f",
    `${chartDir}/values-minikube.yaml`,
    "--set",
    "publicUrl=http://192.168.49.2:30080",
  ],
  "values-neon": ["-f", `${chartDir}/values-minikube.yaml`, "-f", `${chartDir}/values-neon.yaml`],
  "values-production": [
    "-f",
    `${chartDir}/values-production.yaml`,
    "--set",
    "secrets.existingSecret=todo-chatbot-app",
  ],
  "hpa-on": [
    "--set",
    "frontend.autoscaling.enabled=true",
    "--set",
    "backend.autoscaling.enabled=true",
    "--set",
    "backend.autoscaling.maxReplicas=4",
  ],
  "ingress-on": [
    "--set",
    "ingress.enabled=true",
    "--set",
    "ingress.className=nginx",
    "--set",
    "ingress.tlsSecretName=todo-tls",
  ],
  "networkpolicy-off": ["--set", "networkPolicy.enabled=false"],
  "existing-secret": ["--set", "secrets.existingSecret=my-app-secret"],
  "external-db-url": [
    "--set",
    "postgresql.enabled=false",
    "--set",
    "externalDatabase.url=postgresql://neon_user:neon-password-123@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=require",
  ],
  "external-db-secret": [
    "--set",
    "postgresql.enabled=false",
    "--set",
    "externalDatabase.existingSecret=neon-db",
  ],
  "all-features": [
    "--set",
    "backup.enabled=true",
    "--set",
    "metrics.serviceMonitor.enabled=true",
    "--set",
    "kagent.enabled=true",
    "--set",
    "networkPolicy.metricsNamespace=monitoring",
    "--set",
    "frontend.replicaCount=2",
    "--set",
    "backend.replicaCount=3",
    "--set",
    "llm.baseUrl=http://ollama.ollama:11434/v1",
    "--set",
    "llm.model=llama3.2",
    "--set",
    "networkPolicy.backendEgressPorts={11434}",
  ],
  "ollama-on": [
    "-f",
    `${chartDir}/values-minikube.yaml`,
    "--set",
    "llm.ollama.enabled=true",
    "--set",
    "llm.timeoutMs=120000",
    "--set",
    "ingress.enabled=true",
  ],
  "inline-secrets": [
    "--set",
    "secrets.betterAuthSecret=inline-better-auth-secret-0123456789abcdef",
    "--set",
    "secrets.openaiApiKey=sk-inline-test-key-0123456789",
  ],
};

const matrixCache = new Map<string, Rendered[]>();

/** Every matrix case rendered once per helm binary (per test file), then shared. */
export function renderMatrix(helm: string): Rendered[] {
  let cases = matrixCache.get(helm);
  if (!cases) {
    cases = Object.entries(matrix).map(([name, args]) => render(helm, name, args));
    matrixCache.set(helm, cases);
  }
  return cases;
}

export function podTemplateOf(o: Manifest): PodTemplate | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (o.kind === "Deployment" || o.kind === "StatefulSet" || o.kind === "Job")
    return spec.template as PodTemplate;
  if (o.kind === "CronJob") {
    const job = spec.jobTemplate as { spec: { template: PodTemplate } };
    return job.spec.template;
  }
  if (o.kind === "Pod") return { metadata: o.metadata, spec: spec as unknown as PodSpec };
  return undefined;
}

export function allContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}

export function find(r: Rendered, kind: string, name: string): Manifest | undefined {
  return r.objects.find((o) => o.kind === kind && o.metadata.name === name);
}

export function get(r: Rendered, kind: string, name: string): Manifest {
  const o = find(r, kind, name);
  if (!o)
    throw new Error(
      `${r.name}: no ${kind} ${name} (have: ${r.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")})`,
    );
  return o;
}

export const id = (o: Manifest): string => `${o.kind}/${o.metadata.name}`;
