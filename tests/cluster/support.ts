// What both cluster suites need: the kubeconfig, a command runner that fails with the command's last
// output lines, a poll-until-true, and the check that a Kubernetes API answers at all.
import { sleep } from "../support/client";
import { runAsync } from "../support/process";

export const KUBECONFIG = process.env.KUBECONFIG ?? "/var/lib/todo-chatbot-cluster/kubeconfig";
export const env = { ...process.env, KUBECONFIG, K8S_TARGET: "current", DOCKER_BUILDKIT: "1" };

// Kubernetes objects are read field by field, as kubectl's JSON gives them.
export type K8sObject = Record<string, any>;

/** Runs CMD with the cluster's environment; a non-zero exit throws with the last 40 lines it printed. */
export async function sh(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const result = await runAsync(cmd, args, { env: { ...env, ...extraEnv } });
  if (result.status !== 0)
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${result.status}:\n${(result.stdout + result.stderr).split("\n").slice(-40).join("\n")}`,
    );
  return result.stdout;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(1000);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Throws (failing the suite, never skipping it) when no Kubernetes API answers for KUBECONFIG. */
export async function requireCluster() {
  const answers = await runAsync("kubectl", ["get", "--raw", "/readyz"], { env }).then(
    (r) => r.status === 0,
    () => false,
  );
  if (!answers)
    throw new Error(
      `no Kubernetes API answers for KUBECONFIG=${KUBECONFIG}: start the CI cluster with make cluster-up (as root), or point KUBECONFIG at a cluster`,
    );
}

/**
 * `make k8s-up` (scripts/k8s-up.sh) with `extraEnv`; its phase lines (==> / <==) go to `log`, and its
 * whole output is the answer. helm test must have passed.
 */
export async function k8sUp(extraEnv: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const out = await sh("bash", ["scripts/k8s-up.sh"], extraEnv);
  log(
    out
      .split("\n")
      .filter((l) => /^(==>|<==)/.test(l))
      .map((l) => `    ${l}`)
      .join("\n"),
  );
  if (!/Phase:\s+Succeeded/.test(out)) throw new Error(`helm test did not pass:\n${out}`);
  return out;
}
