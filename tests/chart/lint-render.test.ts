// helm lint --strict with every values file, `helm dependency build` offline, each subchart linted and
// rendered alone, the render matrix, the fixed Service names, and the negative cases: wrong values fail
// with a message that says what to fix.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { get, helmTemplate, id, matrix, render } from "./support/manifests";
import { chartDir, requireTools, run } from "./support/tools";

const tools = requireTools(["helm"]);
const helm = tools.paths.helm ?? "helm";

describe.skipIf(tools.missing.length > 0)(`helm lint and template ${tools.skipReason}`, () => {
  const valuesFiles: Record<string, string[]> = {
    "values.yaml": [],
    "values-minikube.yaml": ["-f", "values-minikube.yaml"],
    "values-neon.yaml": ["-f", "values-neon.yaml"],
    // Production refuses to render without the Secret it must reference (see the negative tests).
    "values-production.yaml": [
      "-f",
      "values-production.yaml",
      "--set",
      "secrets.existingSecret=todo-chatbot-app",
    ],
  };
  test.each(Object.entries(valuesFiles))("helm lint --strict passes with %s", (_file, args) => {
    const result = run(helm, ["lint", "--strict", ".", ...args], { cwd: chartDir });
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.status).toBe(0);
  });

  // No network: a proxy that refuses every connection makes any download attempt fail.
  const offline = { ...process.env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };
  const tgzIn = (dir: string) =>
    readdirSync(join(dir, "charts"))
      .filter((f) => f.endsWith(".tgz"))
      .sort();

  /** Runs fn on a fresh copy of the chart directory (dependency builds write into it). */
  const withCopy = (fn: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), "chart-deps-"));
    try {
      cpSync(chartDir, dir, { recursive: true });
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test("helm dependency build works offline from the file:// subcharts and library chart", () => {
    withCopy((dir) => {
      const result = run(helm, ["dependency", "build", "."], { cwd: dir, env: offline });
      expect(result.status, result.stderr).toBe(0);
      expect(tgzIn(dir)).toEqual([
        "backend-0.1.0.tgz",
        "common-0.1.0.tgz",
        "frontend-0.1.0.tgz",
        "postgresql-0.1.0.tgz",
      ]);
      expect(existsSync(join(dir, "Chart.lock"))).toBe(true);
      const rendered = helmTemplate(helm, [], dir);
      expect(rendered.status, rendered.stderr).toBe(0);
    });
  });

  // What each subchart holds on its own; the backend's Deployment, ConfigMap and Secret are built by the
  // umbrella from release-wide values (see the chart README, "Where things are").
  const alone: Record<string, string[]> = {
    frontend: [
      "ConfigMap/todo-chatbot-frontend",
      "Deployment/todo-chatbot-frontend",
      "Service/todo-chatbot-frontend",
      "ServiceAccount/todo-chatbot-frontend",
    ],
    backend: ["Service/todo-chatbot-backend", "ServiceAccount/todo-chatbot-backend"],
    postgresql: [
      "Secret/todo-chatbot-postgresql",
      "Service/todo-chatbot-postgresql",
      "Service/todo-chatbot-postgresql-headless",
      "ServiceAccount/todo-chatbot-postgresql",
      "StatefulSet/todo-chatbot-postgresql",
    ],
  };
  test("a subchart needs its library first: helm template says to run helm dependency build", () => {
    withCopy((dir) => {
      const sub = join(dir, "charts/backend");
      rmSync(join(sub, "charts"), { recursive: true, force: true });
      const result = helmTemplate(helm, [], sub);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("helm dependency build");
      expect(result.stderr).toContain("missing in charts/ directory: common");
    });
  });
  test("each subchart builds its dependency offline, then lints --strict and renders alone", () => {
    withCopy((dir) => {
      for (const [name, objects] of Object.entries(alone)) {
        const sub = join(dir, "charts", name);
        const built = run(helm, ["dependency", "build", "."], { cwd: sub, env: offline });
        expect(built.status, built.stderr).toBe(0);
        expect(tgzIn(sub)).toEqual(["common-0.1.0.tgz"]);
        const lint = run(helm, ["lint", "--strict", "."], { cwd: sub });
        expect(lint.status, lint.stdout + lint.stderr).toBe(0);
        const rendered = render(helm, name, [], sub);
        expect(rendered.objects.map(id).sort(), name).toEqual(objects);
      }
    });
  });

  test.each(Object.entries(matrix))("helm template renders the %s case", (name, args) => {
    const r = render(helm, name, args);
    expect(r.objects.length).toBeGreaterThan(5);
  });

  test("Services have the fixed names, types and ports", () => {
    const r = render(helm, "defaults", []);
    const frontend = get(r, "Service", "todo-chatbot-frontend").spec as {
      type: string;
      ports: { port: number; nodePort?: number }[];
    };
    expect(frontend.type).toBe("NodePort");
    expect(frontend.ports[0]).toMatchObject({ port: 3000, nodePort: 30080 });
    const backend = get(r, "Service", "todo-chatbot-backend").spec as {
      type: string;
      ports: { port: number }[];
    };
    expect(backend.type).toBe("ClusterIP");
    expect(backend.ports[0]?.port).toBe(8000);
    const pg = get(r, "Service", "todo-chatbot-postgresql").spec as {
      type: string;
      ports: { port: number }[];
    };
    expect(pg.type).toBe("ClusterIP");
    expect(pg.ports[0]?.port).toBe(5432);
    const nodePort = render(helm, "nodeport", ["--set", "frontend.service.nodePort=30123"]);
    expect(JSON.stringify(get(nodePort, "Service", "todo-chatbot-frontend").spec)).toContain(
      '"nodePort":30123',
    );
  });

  test("NOTES.txt prints the exact commands to open and check the app", () => {
    const result = run(
      helm,
      [
        "install",
        "todo-chatbot",
        ".",
        "--namespace",
        "todo-chatbot",
        "--dry-run=client",
        "-f",
        "values-minikube.yaml",
        "--set",
        "publicUrl=http://192.168.49.2:30080",
      ],
      { cwd: chartDir },
    );
    expect(result.status, result.stderr).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf("NOTES:"));
    expect(notes).toContain("minikube service todo-chatbot-frontend -n todo-chatbot --url");
    expect(notes).toContain("http://$(minikube ip):30080");
    expect(notes).toContain("kubectl -n todo-chatbot port-forward svc/todo-chatbot-frontend 3000:3000");
    expect(notes).toContain("helm test todo-chatbot -n todo-chatbot --logs");
    expect(notes).toContain("http://192.168.49.2:30080 is the origin the backend trusts");
    expect(notes).toContain("kubectl -n todo-chatbot create job --from=cronjob/todo-chatbot-backup");
  });

  test("each subchart's condition removes its objects", () => {
    const all = render(helm, "defaults", []);
    for (const component of ["frontend", "backend", "postgresql"]) {
      const off = render(helm, `${component} off`, [
        "--set",
        `${component}.enabled=false`,
        ...(component === "postgresql" ? ["--set", "externalDatabase.existingSecret=neon-db"] : []),
      ]);
      const name = `todo-chatbot-${component}`;
      expect(all.objects.some((o) => o.metadata.name === name && o.kind === "Service")).toBe(true);
      expect(off.objects.filter((o) => o.metadata.name === name && o.kind !== "NetworkPolicy")).toEqual([]);
    }
  });
});

describe.skipIf(tools.missing.length > 0)(`values that must be rejected ${tools.skipReason}`, () => {
  const rejects = (args: string[]): string => {
    const result = helmTemplate(helm, args);
    expect(result.status, "helm template should have failed").not.toBe(0);
    return result.stderr;
  };

  test("a typo in a key is rejected by the schema, naming the key", () => {
    const stderr = rejects(["--set", "backend.replicCount=2"]);
    expect(stderr).toMatch(/at '\/backend': additional properties 'replicCount' not allowed/);
    expect(rejects(["--set", "ingres.enabled=true"])).toContain("'ingres' not allowed");
  });

  test("a missing secret is rejected with the value to set (values-production.yaml without existingSecret)", () => {
    const stderr = rejects(["-f", `${chartDir}/values-production.yaml`]);
    expect(stderr).toContain("secrets.existingSecret is required");
    expect(stderr).toContain("BETTER_AUTH_SECRET");
  });

  test("a missing database is rejected (postgresql off, no externalDatabase)", () => {
    expect(rejects(["--set", "postgresql.enabled=false"])).toContain(
      "postgresql.enabled=false needs a database: set externalDatabase.existingSecret",
    );
  });

  test("trustedProxies takes addresses and CIDRs only, and renders them as TRUSTED_PROXIES", () => {
    expect(rejects(["--set", "trustedProxies={everyone}"])).toContain("/trustedProxies/0");
    expect(rejects(["--set", "trustedProxies={10.0.0.0/8 ; rm}"])).toContain("/trustedProxies/0");
    const custom = render(helm, "trusted-proxies", ["--set", "trustedProxies={10.42.0.0/16,fd00::/8}"]);
    expect(get(custom, "ConfigMap", "todo-chatbot-backend").data?.TRUSTED_PROXIES).toBe(
      "10.42.0.0/16,fd00::/8",
    );
    const none = render(helm, "no-trusted-proxies", ["--set", "trustedProxies=null"]);
    expect(get(none, "ConfigMap", "todo-chatbot-backend").data).not.toHaveProperty("TRUSTED_PROXIES");
  });

  test("an invalid enum is rejected with the allowed values", () => {
    expect(rejects(["--set", "agent.mode=smart"])).toMatch(
      /at '\/agent\/mode': value must be one of 'auto', 'online', 'offline'/,
    );
    expect(rejects(["--set", "frontend.service.type=Ingress"])).toContain("/frontend/service/type");
    expect(rejects(["--set", "backend.image.pullPolicy=Sometimes"])).toContain("/backend/image/pullPolicy");
  });

  test("a too short BETTER_AUTH_SECRET, a bad type and contradictory values are rejected", () => {
    expect(rejects(["--set", "secrets.betterAuthSecret=short"])).toContain("/secrets/betterAuthSecret");
    expect(rejects(["--set", "backend.replicaCount=two"])).toContain("/backend/replicaCount");
    expect(rejects(["--set", "backend.replicaCount=0"])).toContain("/backend/replicaCount");
    expect(
      rejects([
        "--set",
        "secrets.existingSecret=a",
        "--set",
        "secrets.betterAuthSecret=0123456789abcdef0123456789abcdef",
      ]),
    ).toContain("not both");
    expect(rejects(["--set", "externalDatabase.url=postgresql://x@y/z"])).toContain(
      "set postgresql.enabled=false",
    );
    expect(rejects(["--set", "backend.terminationGracePeriodSeconds=10"])).toContain(
      "backend.terminationGracePeriodSeconds (10) must exceed",
    );
  });
});
