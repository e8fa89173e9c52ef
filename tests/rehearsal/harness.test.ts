// Fast checks of the rehearsal's translation rules (no Docker needed): the field allow-list rejects what
// it cannot honour, $(VAR) expansion follows Kubernetes, pod specs map to the right docker options, and
// the NetworkPolicy flow check notices a blocked flow.
import { describe, expect, it } from "vitest";
import { checkFields, helmPath, type K8sObject, renderChart } from "./harness/manifests";
import { checkFlows } from "./harness/policy";
import { bytes, cpuCores, expand, planPod, resolveEnv, storeFrom } from "./harness/translate";

const pod = (spec: K8sObject): K8sObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec,
});
const baseSpec = () => ({
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
  containers: [
    {
      name: "app",
      image: "todo-chatbot-backend:latest",
      command: ["node", "-e", "$(SCRIPT)"],
      env: [
        { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "pw" } } },
        { name: "URL", value: "postgres://u:$(PASSWORD)@db:5432/x" },
        { name: "SCRIPT", value: "1" },
      ],
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
      resources: { limits: { cpu: "500m", memory: "384Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
      volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    },
  ],
  volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
});
const store = storeFrom([
  { kind: "Secret", metadata: { name: "s" }, data: { pw: Buffer.from("p@ss").toString("base64") } },
]);

describe("rehearsal translation rules", () => {
  it("expands $(VAR) like Kubernetes: defined names, $$ escapes, unknown names kept", () => {
    const vars: Record<string, string> = { A: "1", B: "two" };
    const lookup = (n: string) => vars[n];
    expect(expand("x$(A)y$(B)", lookup)).toBe("x1ytwo");
    expect(expand("$$(A) $(C) $(A", lookup)).toBe("$(A) $(C) $(A");
    expect(expand("cost $5", lookup)).toBe("cost $5");
  });

  it("resolves Secret references and expands later env values against earlier ones", () => {
    const env = resolveEnv(baseSpec().containers[0] as K8sObject, store, "test");
    expect(env.get("URL")).toBe("postgres://u:p@ss@db:5432/x");
    const missing = { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "nope" } } }] };
    expect(() => resolveEnv(missing, store, "test")).toThrow(/s\/nope is not rendered/);
    const optional = {
      env: [{ name: "X", valueFrom: { secretKeyRef: { name: "s", key: "nope", optional: true } } }],
    };
    expect(resolveEnv(optional, store, "test").has("X")).toBe(false);
  });

  it("maps a pod spec to docker options: user, read-only root, tmpfs, limits, entrypoint", () => {
    const plan = planPod(baseSpec(), {
      podName: "p",
      labels: {},
      store,
      volumeFor: (c) => c,
      filesDir: (v) => `/tmp/${v}`,
      defaultRestartPolicy: "Always",
    });
    const c = plan.containers[0];
    expect(c?.options).toEqual(
      expect.arrayContaining([
        "--user",
        "1000:1000",
        "--read-only",
        "--cpus",
        "0.5",
        "--memory",
        String(384 * 1024 ** 2),
      ]),
    );
    expect(c?.options).toContain(`/tmp:rw,exec,mode=0777,uid=1000,gid=1000,size=${64 * 1024 ** 2}`);
    expect(
      c?.options.slice(c.options.indexOf("--entrypoint"), c.options.indexOf("--entrypoint") + 2),
    ).toEqual(["--entrypoint", "node"]);
    expect(c?.args).toEqual(["-e", "1"]);
    expect(cpuCores("1")).toBe(1);
    expect(bytes("1Gi")).toBe(1024 ** 3);
  });

  it("fails by name on a field it cannot honour", () => {
    expect(() => checkFields([pod({ ...baseSpec(), hostNetwork: true })])).toThrow(
      /Pod\/p: field spec.hostNetwork is not honoured/,
    );
    const withPostStart = baseSpec();
    (withPostStart.containers[0] as K8sObject).lifecycle = { postStart: { exec: { command: ["true"] } } };
    expect(() => checkFields([pod(withPostStart)])).toThrow(
      /spec.containers\[\].lifecycle.postStart.exec.command\[\]/,
    );
    expect(() => checkFields([{ kind: "DaemonSet", metadata: { name: "d" } }])).toThrow(
      /kind DaemonSet is not understood/,
    );
    expect(() => checkFields([pod(baseSpec())])).not.toThrow();
  });

  it.skipIf(!helmPath())(
    "accepts every field of the rendered chart, and notices a NetworkPolicy that blocks a needed flow",
    async () => {
      const { objects } = await renderChart();
      expect(() => checkFields(objects)).not.toThrow();
      expect(checkFlows(objects)).toBeGreaterThanOrEqual(4);
      const blocked = structuredClone(objects);
      const policy = blocked.find(
        (o) => o.kind === "NetworkPolicy" && o.metadata.name.endsWith("-postgresql"),
      );
      expect(policy).toBeDefined();
      (policy as K8sObject).spec.ingress = [];
      expect(() => checkFlows(blocked)).toThrow(
        /→ todo-chatbot-postgresql:5432: ingress to StatefulSet\/todo-chatbot-postgresql denied/,
      );
    },
  );
});
