import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/process";
import { commands, makeSandbox, readState, runScript, type Sandbox, stateFiles } from "../support/standins";

const goodDockerfile = `ARG NODE_IMAGE=node:24-alpine
FROM \${NODE_IMAGE} AS build
WORKDIR /app
RUN npm ci
FROM \${NODE_IMAGE}
WORKDIR /app
COPY --from=build /app/dist ./dist
USER 1000:1000
HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8000/healthz')"]
CMD ["node", "dist/main.js"]
`;
const badDockerfile = `FROM node:24-alpine
RUN apk add --no-cache curl
ENV OPENAI_API_KEY=sk-baked-in
CMD ["node", "main.js"]
`;

function dockerfiles(sandbox: Sandbox, backend: string, frontend: string) {
  writeFileSync(join(sandbox.dir, "api.Dockerfile"), backend);
  writeFileSync(join(sandbox.dir, "web.Dockerfile"), frontend);
  return {
    BACKEND_DOCKERFILE: join(sandbox.dir, "api.Dockerfile"),
    FRONTEND_DOCKERFILE: join(sandbox.dir, "web.Dockerfile"),
  };
}

describe("ai-review-images.sh (Gordon)", () => {
  it("asks Gordon with docker ai when it is available", () => {
    const sandbox = makeSandbox(["docker"]);
    const run = runScript(sandbox, "ai-review-images.sh", [], { STANDIN_DOCKER_AI: "1" });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds[0]).toBe("docker ai version");
    expect(run.calls[1]?.tool).toBe("docker");
    expect(run.calls[1]?.args.slice(0, 3)).toEqual(["ai", "-C", repoRoot]);
    expect(run.calls[1]?.args[3]).toContain("Review apps/api/Dockerfile and apps/web/Dockerfile");
    expect(run.calls).toHaveLength(2);
    expect(run.stdout).toContain("Gordon:");
  });

  it("passes the user's own question to Gordon", () => {
    const run = runScript(makeSandbox(["docker"]), "ai-review-images.sh", ["why is the web image 1 GB?"], {
      STANDIN_DOCKER_AI: "1",
    });
    expect(run.calls[1]?.args).toEqual(["ai", "-C", repoRoot, "why is the web image 1 GB?"]);
  });

  it("falls back to plain checks when docker ai is absent and passes good Dockerfiles", () => {
    const sandbox = makeSandbox(["docker"]);
    const env = dockerfiles(sandbox, goodDockerfile, goodDockerfile);
    const run = runScript(sandbox, "ai-review-images.sh", [], env);
    expect(run.status, run.output).toBe(0);
    expect(run.stderr).toContain("Gordon is not available");
    expect(run.stdout).not.toContain("FAIL");
    expect(run.stdout.match(/^ {4}PASS {2}/gm)).toHaveLength(12);
    expect(commands(run.calls)).toEqual([
      "docker ai version",
      "docker image inspect todo-chatbot-backend:latest",
      "docker image inspect todo-chatbot-frontend:latest",
    ]);
    expect(run.stdout).toContain("docker build -t todo-chatbot-backend:latest -f");
  });

  it("inspects images that are in the local Docker daemon", () => {
    const sandbox = makeSandbox(["docker"]);
    const env = dockerfiles(sandbox, goodDockerfile, goodDockerfile);
    const run = runScript(sandbox, "ai-review-images.sh", [], { ...env, STANDIN_LOCAL_IMAGES: "1" });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls)).toContain(
      "docker image inspect todo-chatbot-backend:latest --format user={{.Config.User}} size={{.Size}} healthcheck={{json .Config.Healthcheck}} entrypoint={{json .Config.Entrypoint}} cmd={{json .Config.Cmd}}",
    );
    expect(commands(run.calls)).toContain(
      "docker image history todo-chatbot-frontend:latest --format {{.Size}}\\t{{.CreatedBy}}",
    );
  });

  it("fails the fallback on a Dockerfile that breaks the image contract", () => {
    const sandbox = makeSandbox(["docker"]);
    const env = dockerfiles(sandbox, badDockerfile, goodDockerfile);
    const run = runScript(sandbox, "ai-review-images.sh", [], env);
    expect(run.status).toBe(1);
    for (const check of [
      "FAIL  multi-stage build",
      "FAIL  runtime base is ARG NODE_IMAGE",
      "FAIL  runs as a non-root user",
      "FAIL  has a HEALTHCHECK",
      "FAIL  no Alpine-only commands",
      "FAIL  no secrets baked in",
    ]) {
      expect(run.stdout).toContain(check);
    }
    expect(run.stdout).toContain("Image review: 6 check(s) failed");
  });

  it("still runs the static checks without any docker CLI", () => {
    const sandbox = makeSandbox([]);
    const env = dockerfiles(sandbox, goodDockerfile, goodDockerfile);
    const run = runScript(sandbox, "ai-review-images.sh", [], env);
    expect(run.status, run.output).toBe(0);
    expect(run.calls).toEqual([]);
  });
});

describe("ai-diagnose.sh (kubectl-ai)", () => {
  it("asks kubectl-ai quietly, with the provider flags and a one-context kubeconfig", () => {
    const sandbox = makeSandbox(["kubectl", "kubectl-ai"]);
    const run = runScript(sandbox, "ai-diagnose.sh", ["why is the backend restarting?"], {
      KUBECTL_AI_PROVIDER: "openai",
      KUBECTL_AI_MODEL: "gpt-4.1",
    });
    expect(run.status, run.output).toBe(0);
    expect(commands(run.calls, "kubectl")).toEqual([
      "kubectl --context minikube config view --minify --flatten",
    ]);
    const ai = run.calls.find((c) => c.tool === "kubectl-ai");
    expect(ai?.args).toEqual([
      "--quiet",
      "--kubeconfig",
      expect.stringMatching(/todo-chatbot-secret\.\w+\/kubeconfig$/),
      "--llm-provider",
      "openai",
      "--model",
      "gpt-4.1",
      "why is the backend restarting?",
    ]);
    expect(run.stdout).toContain("CrashLoopBackOff");
  });

  it("uses kubectl-ai's defaults (Gemini) and a read-only default question", () => {
    const run = runScript(makeSandbox(["kubectl", "kubectl-ai"]), "ai-diagnose.sh", [], {
      KUBECTL_AI_TOOL_USE_SHIM: "1",
    });
    const ai = run.calls.find((c) => c.tool === "kubectl-ai");
    expect(ai?.args.slice(0, 1)).toEqual(["--quiet"]);
    expect(ai?.args).toContain("--enable-tool-use-shim");
    expect(ai?.args).not.toContain("--llm-provider");
    expect(ai?.args.at(-1)).toContain("namespace 'todo-chatbot'");
    expect(ai?.args.at(-1)).toContain("do not change anything");
  });

  it("falls back to plain read-only kubectl and helm commands without kubectl-ai", () => {
    const run = runScript(makeSandbox(["kubectl", "helm"]), "ai-diagnose.sh");
    expect(run.status, run.output).toBe(0);
    expect(run.stderr).toContain("kubectl-ai not found");
    expect(run.stderr).toContain("https://github.com/GoogleCloudPlatform/kubectl-ai#installation");
    const cmds = commands(run.calls).map((c) => c.replace(/-o jsonpath=.*/, "-o jsonpath=<...>"));
    expect(cmds).toEqual([
      "kubectl --context minikube -n todo-chatbot get pods -o wide",
      "kubectl --context minikube -n todo-chatbot get pods -o jsonpath=<...>",
      "kubectl --context minikube -n todo-chatbot describe pod todo-chatbot-backend-7d9",
      "kubectl --context minikube -n todo-chatbot logs todo-chatbot-backend-7d9 --all-containers --tail=50",
      "kubectl --context minikube -n todo-chatbot logs todo-chatbot-backend-7d9 --all-containers --tail=50 --previous",
      "kubectl --context minikube -n todo-chatbot get events --field-selector type=Warning --sort-by=.lastTimestamp",
      "kubectl --context minikube -n todo-chatbot get pvc",
      "kubectl --context minikube -n todo-chatbot top pods",
      "helm --kube-context minikube history todo-chatbot -n todo-chatbot --max 5",
    ]);
    for (const cmd of cmds) expect(cmd).not.toMatch(/ (delete|patch|apply|create|scale|edit|rollout) /);
  });
});

describe("ai-ask.sh (kagent)", () => {
  it("invokes the todo-ops agent with the kagent CLI", () => {
    const run = runScript(makeSandbox(["kubectl", "kagent"]), "ai-ask.sh", ["what is pending?"]);
    expect(run.status, run.output).toBe(0);
    expect(run.calls).toEqual([
      {
        tool: "kagent",
        args: ["invoke", "--agent", "todo-ops", "--task", "what is pending?", "-n", "kagent"],
      },
    ]);
    expect(run.stdout).toContain("todo-ops:");
  });

  it("falls back to kubectl and prints the MCP call without the kagent CLI", () => {
    const sandbox = makeSandbox(["kubectl"]);
    writeFileSync(join(sandbox.state, "release-todo-chatbot"), "1\n");
    const run = runScript(sandbox, "ai-ask.sh", [], { TASK: "what is pending?" });
    expect(run.status, run.output).toBe(0);
    expect(run.stderr).toContain("kagent CLI not found");
    expect(commands(run.calls)).toEqual([
      "kubectl --context minikube -n todo-chatbot get deployments,pods,services -o wide",
      "kubectl --context minikube -n todo-chatbot get events --field-selector type=Warning --sort-by=.lastTimestamp",
      "kubectl --context minikube -n todo-chatbot get service" +
        " -l app.kubernetes.io/instance=todo-chatbot,app.kubernetes.io/name=backend -o jsonpath={.items[*].metadata.name}",
    ]);
    expect(run.stdout).toContain("port-forward service/todo-chatbot-backend 8000:8000");
    expect(run.stdout).toContain('"method":"tools/call","params":{"name":"list_tasks"');
    expect(run.stdout).toContain("Authorization: Bearer $TODO_MCP_API_KEY");
  });
});

describe("ai-kagent-install.sh", () => {
  const OPENAI_KEY = "sk-kagent-0123456789";
  const MCP_KEY = "todo_AbCdEf0123456789";

  it("installs kagent from its OCI Helm charts and the todo-ops manifests; keys only in files", () => {
    const sandbox = makeSandbox(["kubectl", "helm"]);
    writeFileSync(join(sandbox.state, "release-todo-chatbot"), "1\n");
    const run = runScript(sandbox, "ai-kagent-install.sh", [], {
      OPENAI_API_KEY: OPENAI_KEY,
      TODO_MCP_API_KEY: MCP_KEY,
    });
    expect(run.status, run.output).toBe(0);
    const cmds = commands(run.calls).map((c) => c.replace(/--from-env-file=\S+/, "--from-env-file=<file>"));
    expect(cmds).toEqual([
      "helm version --template {{.Version}}",
      "kubectl --context minikube get namespace kagent",
      "kubectl --context minikube create namespace kagent",
      "kubectl --context minikube -n kagent get secret kagent-openai",
      "kubectl --context minikube -n kagent create secret generic kagent-openai --from-env-file=<file>",
      "helm --kube-context minikube upgrade --install kagent-crds oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds -n kagent --version 0.9.12",
      "helm --kube-context minikube upgrade --install kagent oci://ghcr.io/kagent-dev/kagent/helm/kagent -n kagent --version 0.9.12 --set providers.default=openAI --wait --timeout 10m",
      "kubectl --context minikube -n kagent get secret todo-ops-mcp-auth",
      "kubectl --context minikube -n kagent create secret generic todo-ops-mcp-auth --from-env-file=<file>",
      "helm --kube-context minikube -n todo-chatbot status todo-chatbot",
      "helm --kube-context minikube upgrade todo-chatbot charts/todo-chatbot -n todo-chatbot --reuse-values --set kagent.enabled=true --set kagent.namespace=kagent --wait --timeout 10m",
      "kubectl --context minikube apply -k deploy/kagent",
    ]);
    expect(readState(sandbox, "secret-kagent-kagent-openai")).toBe(`OPENAI_API_KEY=${OPENAI_KEY}\n`);
    expect(readState(sandbox, "secret-kagent-todo-ops-mcp-auth")).toBe(`authorization=Bearer ${MCP_KEY}\n`);
    for (const call of run.calls) {
      expect(call.args.join(" ")).not.toContain(OPENAI_KEY);
      expect(call.args.join(" ")).not.toContain(MCP_KEY);
    }
  });

  it("a second run patches the keys it is given and keeps the rest", () => {
    const sandbox = makeSandbox(["kubectl", "helm"]);
    expect(runScript(sandbox, "ai-kagent-install.sh", [], { OPENAI_API_KEY: OPENAI_KEY }).status).toBe(0);
    const second = runScript(sandbox, "ai-kagent-install.sh", [], { TODO_MCP_API_KEY: MCP_KEY });
    expect(second.status, second.output).toBe(0);
    expect(stateFiles(sandbox, "patch-")).toEqual([]);
    expect(readState(sandbox, "secret-kagent-kagent-openai")).toBe(`OPENAI_API_KEY=${OPENAI_KEY}\n`);
    const third = runScript(sandbox, "ai-kagent-install.sh", [], { TODO_MCP_API_KEY: "todo_rotated123" });
    expect(third.status, third.output).toBe(0);
    expect(JSON.parse(readState(sandbox, "patch-kagent-todo-ops-mcp-auth-1.json"))).toEqual({
      stringData: { authorization: "Bearer todo_rotated123" },
    });
  });

  it("warns how to create a personal API key when none is given", () => {
    const run = runScript(makeSandbox(["kubectl", "helm"]), "ai-kagent-install.sh");
    expect(run.status, run.output).toBe(0);
    expect(run.stderr).toContain("no TODO_MCP_API_KEY");
    expect(run.stderr).toContain("docs/ai-ops.md");
  });

  it("creates exactly the Secrets the manifests reference", () => {
    const script = readFileSync(join(repoRoot, "scripts/ai-kagent-install.sh"), "utf8");
    const remote = readFileSync(join(repoRoot, "deploy/kagent/remotemcpserver.yaml"), "utf8");
    const model = readFileSync(join(repoRoot, "deploy/kagent/modelconfig.yaml"), "utf8");
    expect(script).toContain('MCP_SECRET="todo-ops-mcp-auth"');
    expect(remote).toMatch(/name: todo-ops-mcp-auth\n\s+key: authorization/);
    expect(script).toContain('MODEL_SECRET="kagent-openai"');
    expect(model).toMatch(/apiKeySecret: kagent-openai\n\s+apiKeySecretKey: OPENAI_API_KEY/);
  });
});
