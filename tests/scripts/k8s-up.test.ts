import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  commands,
  makeSandbox,
  readCalls,
  readState,
  runScript,
  type Sandbox,
  stateFiles,
  type Tool,
} from "../support/standins";

const OPENAI_KEY = "sk-test-0123456789abcdefOPENAI";

function withMemory(sandbox: Sandbox, availableMiB: number): Sandbox {
  writeFileSync(
    join(sandbox.dir, "meminfo"),
    `MemTotal: 25000000 kB\nMemAvailable: ${availableMiB * 1024} kB\n`,
  );
  return sandbox;
}

/** Index of the first recorded command that contains every fragment; -1 when none does. */
function find(cmds: string[], ...fragments: string[]): number {
  return cmds.findIndex((c) => fragments.every((f) => c.includes(f)));
}

describe("k8s-up.sh on a fresh machine", () => {
  it("starts Minikube, builds both images in it, creates namespace and Secret, installs with --wait, tests", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh");
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds[0]).toBe("helm version --template {{.Version}}");
    const start = find(cmds, "minikube -p minikube start --driver=docker --cpus=2 --memory=4096");
    const builds = ["todo-chatbot-backend", "todo-chatbot-frontend"].map((image) =>
      find(cmds, "minikube -p minikube image build ", `-t ${image}:latest`, "--build-env=DOCKER_BUILDKIT=1"),
    );
    const namespace = find(cmds, "kubectl --context minikube create namespace todo-chatbot");
    const label = find(
      cmds,
      "kubectl --context minikube label --overwrite namespace todo-chatbot",
      "pod-security.kubernetes.io/enforce=restricted",
    );
    const secret = find(
      cmds,
      "kubectl --context minikube -n todo-chatbot create secret generic todo-chatbot-secrets --from-env-file=",
    );
    const install = find(
      cmds,
      "helm --kube-context minikube upgrade --install todo-chatbot charts/todo-chatbot -n todo-chatbot",
      " -f charts/todo-chatbot/values-minikube.yaml",
      " --set secrets.existingSecret=todo-chatbot-secrets",
      " --set publicUrl=http://192.168.49.2:30080",
      " --wait --timeout 10m",
    );
    const helmTest = find(cmds, "helm --kube-context minikube test todo-chatbot -n todo-chatbot --logs");
    expect(cmds).toContain("minikube -p minikube addons enable metrics-server");
    expect(start, cmds.join("\n")).toBeGreaterThan(0);
    for (const build of builds) expect(build, cmds.join("\n")).toBeGreaterThan(start);
    expect(namespace, cmds.join("\n")).toBeGreaterThan(start);
    expect(label, cmds.join("\n")).toBeGreaterThan(namespace);
    expect(secret, cmds.join("\n")).toBeGreaterThan(label);
    expect(install, cmds.join("\n")).toBeGreaterThan(Math.max(secret, ...builds));
    expect(helmTest, cmds.join("\n")).toBeGreaterThan(install);
    // Every cluster call pins the profile's context, so the script can never switch clusters halfway.
    const unpinned = cmds.filter(
      (c) =>
        (c.startsWith("kubectl ") && !c.startsWith("kubectl --context minikube ")) ||
        (c.startsWith("helm ") && c !== cmds[0] && !c.startsWith("helm --kube-context minikube ")) ||
        (c.startsWith("minikube ") && !c.startsWith("minikube -p minikube ")),
    );
    expect(unpinned).toEqual([]);
    expect(run.stdout).toContain("Todo Chatbot is up: http://192.168.49.2:30080");
    expect(run.stdout).toContain("minikube -p minikube service todo-chatbot-frontend -n todo-chatbot --url");
  });

  it("generates a 64-hex-character BETTER_AUTH_SECRET and leaves no secret file behind", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh");
    expect(run.status, run.output).toBe(0);
    expect(readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets")).toMatch(
      /^BETTER_AUTH_SECRET=[0-9a-f]{64}\n$/,
    );
    expect(readdirSync(sandbox.dir).filter((f) => f.startsWith("todo-chatbot-secret"))).toEqual([]);
  });

  it("prints every step with its elapsed seconds", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh");
    const opened = run.stdout.match(/^==> (?!Todo Chatbot is up).+$/gm) ?? [];
    const closed = run.stdout.match(/^<== .+ \(\d+s\)$/gm) ?? [];
    expect(opened.length).toBeGreaterThanOrEqual(8);
    expect(closed.length).toBe(opened.length);
    expect(run.stdout).toMatch(/^==> Todo Chatbot is up: .+ \(total \d+s\)$/m);
  });

  it("puts OPENAI_API_KEY into the Secret through a file, never on a command line", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { OPENAI_API_KEY: OPENAI_KEY });
    expect(run.status, run.output).toBe(0);
    expect(readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets")).toMatch(
      new RegExp(`^BETTER_AUTH_SECRET=[0-9a-f]{64}\nOPENAI_API_KEY=${OPENAI_KEY}\n$`),
    );
    for (const call of run.calls) expect(call.args.join(" ")).not.toContain(OPENAI_KEY);
    expect(run.output).not.toContain(OPENAI_KEY);
  });
});

describe("k8s-up.sh a second time", () => {
  it("upgrades in place: keeps the cluster and the Secret, restarts the rebuilt pods", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    expect(runScript(sandbox, "k8s-up.sh").status).toBe(0);
    const firstSecret = readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets");
    const before = readCalls(sandbox).length;

    const second = runScript(sandbox, "k8s-up.sh");
    expect(second.status, second.output).toBe(0);
    const cmds = commands(second.calls.slice(before));
    expect(cmds).not.toContainEqual(expect.stringContaining("minikube -p minikube start"));
    expect(cmds).not.toContainEqual(expect.stringContaining("create secret"));
    expect(cmds).not.toContainEqual(expect.stringContaining("patch secret"));
    expect(cmds).not.toContainEqual(expect.stringContaining("create namespace"));
    expect(cmds).toContainEqual(
      expect.stringContaining("helm --kube-context minikube upgrade --install todo-chatbot"),
    );
    // The release's backend and frontend Deployments, by their labels, whatever the chart names them.
    const rebuilt =
      "-l app.kubernetes.io/instance=todo-chatbot,app.kubernetes.io/component in (backend,frontend)";
    expect(cmds).toContain(
      `kubectl --context minikube -n todo-chatbot rollout restart deployment ${rebuilt}`,
    );
    expect(cmds).toContain(
      `kubectl --context minikube -n todo-chatbot rollout status deployment ${rebuilt} --timeout=5m`,
    );
    expect(readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets")).toBe(firstSecret);
    expect(readState(sandbox, "release-todo-chatbot")).toBe("2\n");
    expect(second.stdout).toContain("already running");
  });

  it("patches only OPENAI_API_KEY when one is given, through a file", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    expect(runScript(sandbox, "k8s-up.sh").status).toBe(0);
    const firstSecret = readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets");
    const second = runScript(sandbox, "k8s-up.sh", [], { OPENAI_API_KEY: OPENAI_KEY });
    expect(second.status, second.output).toBe(0);
    expect(
      find(
        commands(second.calls),
        "kubectl --context minikube -n todo-chatbot patch secret todo-chatbot-secrets --type merge --patch-file ",
      ),
    ).toBeGreaterThan(-1);
    expect(stateFiles(sandbox, "patch-todo-chatbot-todo-chatbot-secrets-")).toHaveLength(1);
    expect(JSON.parse(readState(sandbox, "patch-todo-chatbot-todo-chatbot-secrets-1.json"))).toEqual({
      stringData: { OPENAI_API_KEY: OPENAI_KEY },
    });
    expect(readState(sandbox, "secret-todo-chatbot-todo-chatbot-secrets")).toBe(firstSecret);
    for (const call of second.calls) expect(call.args.join(" ")).not.toContain(OPENAI_KEY);
  });

  it("pins image tags instead of restarting when IMAGE_TAG is set", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    expect(runScript(sandbox, "k8s-up.sh").status).toBe(0);
    const second = runScript(sandbox, "k8s-up.sh", [], { IMAGE_TAG: "abc123" });
    expect(second.status, second.output).toBe(0);
    const cmds = commands(second.calls);
    expect(cmds).toContain(
      "minikube -p minikube image build -t todo-chatbot-backend:abc123 -f apps/api/Dockerfile --build-env=DOCKER_BUILDKIT=1 .",
    );
    expect(cmds.find((c) => c.includes("upgrade --install") && c.includes("abc123"))).toContain(
      "--set backend.image.tag=abc123 --set frontend.image.tag=abc123 --wait --timeout 10m",
    );
    expect(cmds.filter((c) => c.includes("rollout restart"))).toEqual([]);
  });
});

describe("k8s-up.sh preflight", () => {
  const hints: Record<string, string> = {
    docker: "https://docs.docker.com/get-started/get-docker/",
    minikube: "https://minikube.sigs.k8s.io/docs/start/",
    kubectl: "https://kubernetes.io/docs/tasks/tools/",
    helm: "https://helm.sh/docs/intro/install/",
  };
  for (const missing of ["docker", "minikube", "kubectl", "helm"] as const) {
    it(`stops with the install hint when ${missing} is missing`, () => {
      const tools = (["minikube", "kubectl", "helm", "docker"] as Tool[]).filter((t) => t !== missing);
      const sandbox = withMemory(makeSandbox(tools), 16_000);
      const run = runScript(sandbox, "k8s-up.sh");
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`MISSING: ${missing}`);
      expect(run.stderr).toContain(hints[missing]);
      expect(run.calls).toEqual([]);
    });
  }

  it("names every missing tool at once", () => {
    const sandbox = withMemory(makeSandbox(["docker"]), 16_000);
    const run = runScript(sandbox, "k8s-up.sh");
    expect(run.status).not.toBe(0);
    for (const tool of ["minikube", "kubectl", "helm"]) expect(run.stderr).toContain(`MISSING: ${tool}`);
  });

  it("refuses Helm older than 3.14", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { STANDIN_HELM_VERSION: "v3.13.3" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Helm 3.13.3 is too old: need 3.14 or newer");
    expect(commands(run.calls)).toEqual(["helm version --template {{.Version}}"]);
  });

  it("accepts Helm 4", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { STANDIN_HELM_VERSION: "v4.1.0" });
    expect(run.status, run.output).toBe(0);
  });

  it("stops when the Docker daemon does not answer", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { STANDIN_DOCKER_DOWN: "1" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("daemon is not answering");
    expect(commands(run.calls)).not.toContainEqual(expect.stringContaining("minikube"));
  });

  it("stops before starting Minikube when free memory is short", () => {
    const sandbox = withMemory(makeSandbox(), 2048);
    const run = runScript(sandbox, "k8s-up.sh");
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("only 2048 MiB of memory available, Minikube needs 4096 MiB");
    expect(commands(run.calls)).not.toContainEqual(expect.stringContaining("start"));
  });
});

describe("k8s-up.sh settings", () => {
  it("honours MINIKUBE_PROFILE, MINIKUBE_DRIVER, MINIKUBE_CPUS and MINIKUBE_MEMORY", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], {
      MINIKUBE_PROFILE: "todo",
      MINIKUBE_DRIVER: "kvm2",
      MINIKUBE_CPUS: "4",
      MINIKUBE_MEMORY: "8g",
    });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds).toContain("minikube -p todo start --driver=kvm2 --cpus=4 --memory=8192");
    expect(cmds).not.toContain("docker info"); // the daemon only matters for the docker driver
    expect(cmds).toContain("kubectl --context todo create namespace todo-chatbot");
    expect(cmds).toContain("helm --kube-context todo test todo-chatbot -n todo-chatbot --logs");
  });

  it("enables the ingress addon and the chart ingress with INGRESS=1", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { INGRESS: "1" });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds).toContain("minikube -p minikube addons enable ingress");
    expect(cmds).not.toContain("minikube -p minikube ip");
    expect(cmds.find((c) => c.includes("upgrade --install"))).toContain(
      "--set publicUrl=http://todo-chatbot.local --set ingress.enabled=true --set ingress.host=todo-chatbot.local",
    );
  });

  it("lets kagent reach the backend when kagent is installed (namespace kagent exists)", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    writeFileSync(join(sandbox.state, "namespace-kagent"), "");
    const run = runScript(sandbox, "k8s-up.sh");
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls).find((c) => c.includes("upgrade --install"))).toContain(
      "--set kagent.enabled=true --set kagent.namespace=kagent --wait --timeout 10m",
    );
  });

  it("passes NODE_IMAGE to both image builds", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { NODE_IMAGE: "node:24-bookworm-slim" });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls, "minikube").filter((c) => c.includes("image build"))).toEqual([
      "minikube -p minikube image build -t todo-chatbot-backend:latest -f apps/api/Dockerfile --build-env=DOCKER_BUILDKIT=1 --build-opt=build-arg=NODE_IMAGE=node:24-bookworm-slim .",
      "minikube -p minikube image build -t todo-chatbot-frontend:latest -f apps/web/Dockerfile --build-env=DOCKER_BUILDKIT=1 --build-opt=build-arg=NODE_IMAGE=node:24-bookworm-slim .",
    ]);
  });

  it("stops without running helm test when the install fails", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { STANDIN_FAIL: "helm --kube-context minikube upgrade" });
    expect(run.status).not.toBe(0);
    expect(commands(run.calls)).not.toContainEqual(expect.stringContaining(" test todo-chatbot"));
  });

  it("rejects an OPENAI_API_KEY with characters no key has", () => {
    const sandbox = withMemory(makeSandbox(), 16_000);
    const run = runScript(sandbox, "k8s-up.sh", [], { OPENAI_API_KEY: 'sk-"quoted"' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("OPENAI_API_KEY contains characters an API key does not have");
  });
});

describe("k8s-up.sh on any cluster (K8S_TARGET=current)", () => {
  const current = (context: string, extra: Record<string, string> = {}) => {
    const sandbox = makeSandbox(["kubectl", "helm", "docker", "kind"]);
    // images.sh would prefer Debian's /usr/bin/docker; the stand-in must answer instead.
    return runScript(sandbox, "k8s-up.sh", [], {
      K8S_TARGET: "current",
      STANDIN_CONTEXT: context,
      DOCKER: "docker",
      ...extra,
    });
  };

  it("skips every Minikube step, builds with Docker and loads with kind on a kind-* context", () => {
    const run = current("kind-dev");
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds.filter((c) => c.startsWith("minikube"))).toEqual([]);
    expect(cmds).toContain("kubectl --context kind-dev get --raw /readyz");
    expect(cmds.filter((c) => c.startsWith("docker build"))).toHaveLength(2);
    expect(cmds).toContain(
      "kind load docker-image --name dev todo-chatbot-backend:latest todo-chatbot-frontend:latest",
    );
    expect(cmds.find((c) => c.includes("upgrade --install"))).toContain(
      "--kube-context kind-dev upgrade --install todo-chatbot charts/todo-chatbot -n todo-chatbot",
    );
    expect(cmds.find((c) => c.includes("upgrade --install"))).toContain(
      "--set publicUrl=http://172.18.0.2:30080",
    );
    expect(run.stdout).toContain("Todo Chatbot is up: http://172.18.0.2:30080");
  });

  it("builds and loads nothing when the images are already pullable (IMAGE_LOAD=none)", () => {
    const run = current("my-remote", { PUBLIC_URL: "https://todo.example.com" });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds.filter((c) => c.startsWith("docker") || c.startsWith("kind"))).toEqual([]);
    expect(run.stdout).toContain("IMAGE_LOAD=none");
    expect(cmds.find((c) => c.includes("upgrade --install"))).toContain(
      "--set publicUrl=https://todo.example.com",
    );
  });

  it("refuses an unknown IMAGE_LOAD and an unknown K8S_TARGET before touching the cluster", () => {
    const bad = current("kind-dev", { IMAGE_LOAD: "podman" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("IMAGE_LOAD='podman' is not one of");
    expect(
      commands(bad.calls).filter(
        (c) => !c.startsWith("kubectl --context") && !c.startsWith("kubectl config"),
      ),
    ).toEqual([]);
    const target = current("kind-dev", { K8S_TARGET: "minikub" });
    expect(target.status).not.toBe(0);
    expect(target.stderr).toContain("K8S_TARGET='minikub' is not one of: minikube, current");
  });

  it("stops with a clear message when the context's cluster does not answer", () => {
    const run = current("kind-dev", { STANDIN_FAIL: "kubectl --context kind-dev get --raw" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("the cluster of context 'kind-dev' does not answer");
    expect(commands(run.calls).filter((c) => c.startsWith("helm ") && !c.startsWith("helm version"))).toEqual(
      [],
    );
  });
});
