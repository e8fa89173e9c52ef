// compose.yaml with a real engine: `config` validates it with the Compose at hand (the v2 plugin when a
// client has it, else Debian's docker-compose 1.29 — Debian 12 ships no Compose v2), then `up` runs the
// stack from the images scripts/images.sh built (the stand-in postgres as POSTGRES_IMAGE: no registry
// here), waits for the frontend, runs the smoke (sign-up, task, chat) through its port, and `down -v`.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BACKEND,
  buildImages,
  dockerBin,
  ensureEngine,
  ensureStandins,
  FRONTEND,
  imageExists,
  isCI,
  POSTGRES_BASE,
  repoRoot,
  run,
  waitForHttp,
} from "./support/docker";

const engineReason = ensureEngine();

/** The Compose command: `docker compose` (v2) when available, else `docker-compose` (v1). */
function findCompose(): string[] | undefined {
  for (const candidate of [[dockerBin, "compose"], ["docker", "compose"], ["docker-compose"]]) {
    try {
      if (run(candidate[0] as string, [...candidate.slice(1), "version"]).status === 0) return candidate;
    } catch {
      // not installed
    }
  }
  return undefined;
}

const compose = engineReason ? undefined : findCompose();
const reason = engineReason || (compose ? "" : "no Compose (neither `docker compose` nor docker-compose)");
if (reason && isCI && !engineReason)
  throw new Error(`CI=true and ${reason}: bash scripts/docker-engine.sh installs one`);
const suffix = reason ? ` (skipped: ${reason})` : ` (${compose?.join(" ")})`;

describe.skipIf(Boolean(reason))(`compose.yaml${suffix}`, () => {
  const project = `t5c${randomBytes(3).toString("hex")}`;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = {
    BETTER_AUTH_SECRET: randomBytes(36).toString("base64"),
    POSTGRES_PASSWORD: randomBytes(18).toString("hex"),
    POSTGRES_IMAGE: POSTGRES_BASE,
    NODE_IMAGE: "standin/node:24",
    FRONTEND_PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    AGENT_MODE: "offline",
  };
  const composeRun = (args: string[], timeoutMs = 5 * 60_000) =>
    run(
      (compose as string[])[0] as string,
      [...(compose as string[]).slice(1), "-p", project, "-f", "compose.yaml", ...args],
      {
        env,
        timeoutMs,
      },
    );

  beforeAll(async () => {
    await ensureStandins();
    if (!imageExists(`${BACKEND}:latest`) || !imageExists(`${FRONTEND}:latest`)) {
      const build = await buildImages();
      if (build.status !== 0) throw new Error(`scripts/images.sh failed:\n${build.stderr.slice(-4000)}`);
    }
  });

  afterAll(() => {
    composeRun(["down", "-v", "--remove-orphans", "-t", "10"]);
  });

  test("`config` accepts compose.yaml, and refuses to run without the secrets from .env", () => {
    const ok = composeRun(["config", "-q"]);
    expect(ok.status, ok.stderr).toBe(0);
    const missing = run(
      (compose as string[])[0] as string,
      [...(compose as string[]).slice(1), "-p", project, "-f", "compose.yaml", "config", "-q"],
      { env: { BETTER_AUTH_SECRET: "", POSTGRES_PASSWORD: "" } },
    );
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/POSTGRES_PASSWORD|BETTER_AUTH_SECRET/);
  });

  test("`up` (prebuilt images, stand-in postgres): healthy stack, sign-up + task + chat through the frontend", async () => {
    const since = Date.now();
    const up = composeRun(["up", "-d", "--no-build"]);
    expect(up.status, up.stdout + up.stderr).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    const seconds = await waitForHttp(`${url}/healthz`, since, 120);
    console.log(`compose up → frontend /healthz after ${seconds.toFixed(1)} s`);
    const smoke = run(process.execPath, [join(repoRoot, "tests/docker/smoke.mjs"), url]);
    expect(
      smoke.status,
      `${smoke.stdout}${smoke.stderr}\n${composeRun(["logs", "--tail", "30"]).stdout}`,
    ).toBe(0);
    const ps = composeRun(["ps"]).stdout;
    expect(ps).toMatch(/backend.*\(healthy\)/);
    expect(ps).toMatch(/postgres.*\(healthy\)/);
  });

  test("`stop`: every service exits 0 on SIGTERM", () => {
    const stop = composeRun(["stop", "-t", "10"]);
    expect(stop.status, stop.stderr).toBe(0);
    const ids = composeRun(["ps", "-q"]).stdout.split("\n").filter(Boolean);
    expect(ids.length).toBe(3);
    for (const id of ids) {
      const code = run(dockerBin, ["inspect", "-f", "{{.Name}} {{.State.ExitCode}}", id]).stdout.trim();
      expect(code).toMatch(/ 0$/);
    }
  });
});
