import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, run } from "../support/process";
import { makeSandbox, readCalls, type Sandbox } from "../support/standins";

// scripts/lib/common.sh is sourced by every script: sourcing it only sets defaults and defines
// functions; the context and the EXIT trap come from the calls a script makes.
function sourced(sandbox: Sandbox, body: string, env: Record<string, string> = {}) {
  const script = `set -euo pipefail\nsource ${JSON.stringify(join(repoRoot, "scripts/lib/common.sh"))}\n${body}`;
  return run("bash", ["-c", script], {
    inheritEnv: false,
    env: {
      PATH: `${sandbox.bin}:${sandbox.sys}`,
      HOME: sandbox.dir,
      TMPDIR: sandbox.dir,
      STANDIN_STATE: sandbox.state,
      STANDIN_LOG: sandbox.log,
      ...env,
    },
  });
}

describe("scripts/lib/common.sh", () => {
  it("runs nothing, exits never and sets no trap when sourced", () => {
    const sandbox = makeSandbox(["kubectl"]);
    const result = sourced(sandbox, 'trap -p; echo "sourced"', { K8S_TARGET: "current" });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("sourced\n");
    expect(result.status).toBe(0);
    expect(readCalls(sandbox)).toEqual([]);
  });

  it("pin_kube_context reads the current context once; K8S_TARGET=minikube uses the profile", () => {
    const sandbox = makeSandbox(["kubectl"]);
    const current = sourced(sandbox, 'pin_kube_context; echo "$KUBE_CONTEXT"', {
      K8S_TARGET: "current",
      STANDIN_CONTEXT: "kind-dev",
    });
    expect(current.stdout).toBe("kind-dev\n");
    expect(readCalls(sandbox)).toEqual([{ tool: "kubectl", args: ["config", "current-context"] }]);
    const minikube = sourced(sandbox, 'pin_kube_context; echo "$KUBE_CONTEXT"', { MINIKUBE_PROFILE: "todo" });
    expect(minikube.stdout).toBe("todo\n");
    expect(readCalls(sandbox)).toHaveLength(1);
    const bad = sourced(sandbox, "pin_kube_context", { K8S_TARGET: "minikub" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("K8S_TARGET='minikub' is not one of: minikube, current");
  });

  it("make_secret_dir makes a mode-700 folder that is gone when the script exits", () => {
    const sandbox = makeSandbox([]);
    const result = sourced(
      sandbox,
      'make_secret_dir; ls -ld "$SECRET_DIR" | cut -c1-10; echo "$SECRET_DIR"; exit 3',
    );
    expect(result.status).toBe(3);
    const [mode, dir] = result.stdout.trim().split("\n");
    expect(mode).toBe("drwx------");
    expect(dir?.startsWith(join(sandbox.dir, "todo-chatbot-secret."))).toBe(true);
    expect(run("ls", [sandbox.dir]).stdout).not.toContain("todo-chatbot-secret.");
  });

  it("live_pid accepts only a live process of the named program, never a stale or reused pid", () => {
    const sandbox = makeSandbox([]);
    // a real process: `sleep` (its /proc comm is "sleep"); its pid in a file
    const result = sourced(
      sandbox,
      [
        'sleep 30 & pid=$!; echo "$pid" >"$HOME/sleep.pid"',
        'echo "live:$(live_pid "$HOME/sleep.pid" sleep)"',
        'live_pid "$HOME/sleep.pid" dockerd || echo "reused:no"',
        'kill "$pid"; wait "$pid" 2>/dev/null || :',
        'live_pid "$HOME/sleep.pid" sleep || echo "dead:no"',
        'live_pid "$HOME/missing.pid" sleep || echo "missing:no"',
        'printf "" >"$HOME/empty.pid"; live_pid "$HOME/empty.pid" sleep || echo "empty:no"',
        'echo "$pid"',
      ].join("\n"),
    );
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    const pid = lines.pop();
    expect(lines).toEqual([`live:${pid}`, "reused:no", "dead:no", "missing:no", "empty:no"]);
  });

  it("live_pid compares the first 15 characters of a long name, as Linux keeps them", () => {
    const sandbox = makeSandbox([]);
    // a copy of sleep under a 23-character name: its comm is cut to "kube-controller"
    const result = sourced(
      sandbox,
      [
        'cp "$(command -v sleep)" "$HOME/kube-controller-manager"',
        '"$HOME/kube-controller-manager" 30 & pid=$!; echo "$pid" >"$HOME/kcm.pid"',
        'live_pid "$HOME/kcm.pid" kube-controller-manager >/dev/null && echo "long:yes"',
        'live_pid "$HOME/kcm.pid" kube-scheduler >/dev/null || echo "other:no"',
        'kill "$pid"',
      ].join("\n"),
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("long:yes\nother:no\n");
  });
});
