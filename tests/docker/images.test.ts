// Issue 5, verified with a real engine: both images build from the stand-in Node 24 base (scripts/images.sh
// with NODE_IMAGE=standin/node:24 and the machine's CA bundle as the npm_ca secret); each keeps the image
// contract of docs/CONTRACTS.md, runs as uid 1000 with a read-only root, answers /healthz within 10 s,
// exits 0 within 5 s of SIGTERM, carries no dev dependency, test, .env or secret, and stays within its
// size budget. A full stack (stand-in postgres, migrate, backend, frontend) on a user-defined network
// serves sign-up, tasks and chat through the frontend port.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BACKEND,
  buildImages,
  createNetwork,
  docker,
  dockerOk,
  ensureEngine,
  ensureStandins,
  FRONTEND,
  imageConfig,
  imageSize,
  logsOf,
  NODE_BASE,
  nodeIn,
  POSTGRES_BASE,
  publishedUrl,
  removeAll,
  repoRoot,
  run,
  startContainer,
  stopWithSigterm,
  TEST_AUTH_SECRET,
  version,
  waitForHttp,
  waitForPostgres,
} from "./support/docker";

const skipReason = ensureEngine();
const suffix = skipReason ? ` (skipped: ${skipReason})` : "";

const BUDGET_MB = { [BACKEND]: 60, [FRONTEND]: 120 } as const;
const images = [BACKEND, FRONTEND] as const;
const contract = {
  [BACKEND]: { cmd: ["node", "dist/main.js"], port: "8000/tcp" },
  [FRONTEND]: { cmd: ["node", "apps/web/server.js"], port: "3000/tcp" },
} as const;

/** What the run measured; printed at the end and written to artifacts/docker-images.json. */
const metrics: Record<string, number | string> = {};
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

describe.skipIf(Boolean(skipReason))(`container images${suffix}`, () => {
  const started = Date.now();

  beforeAll(async () => {
    await ensureStandins();
    const build = await buildImages();
    if (build.status !== 0) {
      throw new Error(
        `scripts/images.sh failed (${build.status}):\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`,
      );
    }
    metrics.build_seconds = Math.round(build.seconds);
  });

  afterAll(() => {
    removeAll();
    metrics.suite_seconds = Math.round((Date.now() - started) / 1000);
    mkdirSync(join(repoRoot, "artifacts"), { recursive: true });
    writeFileSync(join(repoRoot, "artifacts/docker-images.json"), `${JSON.stringify(metrics, null, 2)}\n`);
    console.log(
      `docker images — measured:\n${Object.entries(metrics)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join("\n")}`,
    );
  });

  test("both images are tagged latest and with the package version, with OCI labels", () => {
    for (const image of images) {
      const latest = dockerOk(["image", "inspect", "-f", "{{.Id}}", `${image}:latest`]);
      expect(dockerOk(["image", "inspect", "-f", "{{.Id}}", `${image}:${version}`])).toBe(latest);
      const labels = imageConfig(`${image}:latest`).Labels;
      expect(labels["org.opencontainers.image.version"]).toBe(version);
      expect(labels["org.opencontainers.image.source"]).toMatch(/^https?:\/\//);
      // a commit of this repository (HEAD may have moved on since the build: others commit concurrently)
      const revision = labels["org.opencontainers.image.revision"] ?? "";
      expect(revision).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
      expect(run("git", ["cat-file", "-e", `${revision.replace(/-dirty$/, "")}^{commit}`]).status).toBe(0);
    }
  });

  test.each(images)(
    "%s keeps the image contract (WORKDIR, USER 1000:1000, CMD, port, HEALTHCHECK, env)",
    (image) => {
      const config = imageConfig(`${image}:latest`);
      expect(config.WorkingDir).toBe("/app");
      expect(config.User).toBe("1000:1000");
      expect(config.Cmd).toEqual(contract[image].cmd);
      expect(config.Entrypoint ?? []).toEqual([]);
      expect(Object.keys(config.ExposedPorts)).toEqual([contract[image].port]);
      expect(config.Env).toContain("NODE_ENV=production");
      const health = config.Healthcheck?.Test ?? [];
      expect(health.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
      expect(health[3]).toContain("/healthz");
      if (image === FRONTEND) expect(config.Env).toContain("HOSTNAME=0.0.0.0");
      // no secret in the image configuration
      expect(config.Env.join("\n")).not.toMatch(/SECRET|PASSWORD|API_KEY|TOKEN/i);
    },
  );

  test.each(images)("%s runs as uid 1000 (gid 1000)", (image) => {
    const ids = nodeIn(`${image}:latest`, "console.log(process.getuid()+':'+process.getgid())");
    expect(ids).toBe("1000:1000");
    metrics[`${image}_uid`] = ids;
  });

  test.each(images)("%s carries no devDependency in /app/node_modules", (image) => {
    const manifests = ["package.json", "apps/api/package.json", "apps/web/package.json"].map(
      (p) =>
        JSON.parse(readFileSync(join(repoRoot, p), "utf8")) as { devDependencies?: Record<string, string> },
    );
    const runtimeDeps = new Set(
      manifests.flatMap((m) =>
        Object.keys((m as { dependencies?: Record<string, string> }).dependencies ?? {}),
      ),
    );
    const dev = [
      ...new Set([
        ...manifests.flatMap((m) => Object.keys(m.devDependencies ?? {})),
        "vitest",
        "typescript",
        "drizzle-kit",
        "esbuild",
        "@biomejs/biome",
        "tsx",
      ]),
    ].filter((name) => !runtimeDeps.has(name));
    const present = JSON.parse(
      nodeIn(
        `${image}:latest`,
        `const fs=require('fs'),p=require('path');const out=[];const walk=d=>{if(!fs.existsSync(d))return;for(const e of fs.readdirSync(d)){if(e.startsWith('.'))continue;const f=p.join(d,e);if(e.startsWith('@')){for(const s of fs.readdirSync(f))out.push(e+'/'+s);}else out.push(e);}};walk('/app/node_modules');console.log(JSON.stringify(out))`,
      ),
    ) as string[];
    metrics[`${image}_node_modules_packages`] = present.length;
    expect(present.length).toBeGreaterThan(0);
    expect(present.filter((name) => dev.includes(name) || name.startsWith("@types/"))).toEqual([]);
  });

  test.each(images)(
    "%s: no .env, tests, sources, npm cache or secrets in any app layer, nor in the history",
    (image) => {
      const dir = mkdtempSync(join(tmpdir(), "t5-save-"));
      try {
        const tarball = join(dir, "image.tar");
        dockerOk(["save", "-o", tarball, `${image}:latest`]);
        const manifest = JSON.parse(
          spawnSync("tar", ["-xOf", tarball, "manifest.json"], { encoding: "utf8", maxBuffer: 1e7 }).stdout,
        ) as { Layers: string[] }[];
        const layers = manifest[0]?.Layers ?? [];
        const baseLayers = JSON.parse(
          dockerOk(["image", "inspect", "-f", "{{json .RootFS.Layers}}", NODE_BASE]),
        ) as string[];
        const appLayers = layers.slice(baseLayers.length);
        expect(appLayers.length).toBeGreaterThan(0);
        const files: string[] = [];
        for (const layer of appLayers) {
          const listing = spawnSync("bash", ["-c", 'tar -xOf "$0" "$1" | tar -t', tarball, layer], {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
          });
          expect(listing.status, listing.stderr).toBe(0);
          files.push(...listing.stdout.split("\n").filter(Boolean));
        }
        metrics[`${image}_app_layer_files`] = files.length;
        const forbidden = [
          /(^|\/)\.env(\..*)?$/, // env files
          /^run\/secrets\/./, // BuildKit secrets
          /^root\/\.npm\//, // npm cache
          /^(src|tmp)\//, // build stages' folders
          /\.(test|spec)\.[cm]?[jt]sx?$/, // tests
          /^app\/apps\/[^/]+\/(test|e2e|src)\//, // test folders and (bundled) sources
          /^app\/(apps\/[^/]+\/)?(vitest\.config|tsconfig|biome)\b/, // dev configuration
          /(^|\/)\.git\//,
          /\.(pem|key|crt)$/, // certificates and keys (the npm_ca secret)
          /^app\/apps\/web\/docker\//,
        ];
        const hits = files.filter((f) => forbidden.some((re) => re.test(f)));
        expect(hits).toEqual([]);
        const history = dockerOk(["history", "--no-trunc", "--format", "{{.CreatedBy}}", `${image}:latest`]);
        expect(history).not.toMatch(/BEGIN CERTIFICATE|PRIVATE KEY/);
        expect(history).not.toContain(TEST_AUTH_SECRET);
        expect(history).not.toMatch(/BETTER_AUTH_SECRET=\S|OPENAI_API_KEY=\S|_authToken/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test.each(images)("%s: app layers (image minus base) within budget", (image) => {
    const base = imageSize(NODE_BASE);
    const size = imageSize(`${image}:latest`);
    const app = size - base;
    metrics[`${image}_image_mb`] = mb(size);
    metrics[`${image}_app_layers_mb`] = mb(app);
    metrics.base_mb = mb(base);
    expect(app / 1e6, `${image} app layers ${mb(app)} MB > ${BUDGET_MB[image]} MB`).toBeLessThanOrEqual(
      BUDGET_MB[image],
    );
  });

  describe("running: read-only root, stand-in postgres, user-defined network", () => {
    const password = `pw${Date.now().toString(36)}`;
    let network = "";
    let databaseUrl = "";
    let backend = "";
    let frontend = "";
    let frontendUrl = "";

    beforeAll(async () => {
      network = createNetwork();
      const postgres = startContainer("postgres", [
        "--network",
        network,
        "--network-alias",
        "postgres",
        "-e",
        "POSTGRES_USER=todo",
        "-e",
        `POSTGRES_PASSWORD=${password}`,
        "-e",
        "POSTGRES_DB=todo",
        POSTGRES_BASE,
      ]);
      await waitForPostgres(postgres);
      databaseUrl = `postgres://todo:${password}@postgres:5432/todo`;
    });

    const readOnly = ["--read-only", "--tmpfs", "/tmp"];

    test("backend: `node dist/migrate.js` applies the migrations read-only, twice (idempotent), exit 0", () => {
      for (const round of [1, 2]) {
        const since = Date.now();
        const result = docker([
          "run",
          "--rm",
          ...readOnly,
          "--network",
          network,
          "-e",
          `DATABASE_URL=${databaseUrl}`,
          // the migrate entry point loads the whole configuration, so production needs the secret too
          "-e",
          `BETTER_AUTH_SECRET=${TEST_AUTH_SECRET}`,
          `${BACKEND}:latest`,
          "node",
          "dist/migrate.js",
        ]);
        expect(result.status, result.stdout + result.stderr).toBe(0);
        metrics[`backend_migrate_round${round}_seconds`] = (Date.now() - since) / 1000;
      }
    });

    test("backend: --read-only --tmpfs /tmp against postgres answers /healthz within 10 s, /readyz 200", async () => {
      const since = Date.now();
      backend = startContainer("backend", [
        ...readOnly,
        "--network",
        network,
        "--network-alias",
        "backend",
        "-p",
        "127.0.0.1::8000",
        "-e",
        `DATABASE_URL=${databaseUrl}`,
        "-e",
        `BETTER_AUTH_SECRET=${TEST_AUTH_SECRET}`,
        "-e",
        "MIGRATE_ON_START=false",
        "-e",
        "SHUTDOWN_DELAY_MS=0",
        "-e",
        "PUBLIC_URL=http://127.0.0.1:3000",
        "-e",
        "TRUSTED_ORIGINS=http://127.0.0.1:*,http://localhost:*",
        "-e",
        "AGENT_MODE=offline",
        `${BACKEND}:latest`,
      ]);
      const url = publishedUrl(backend, 8000);
      const seconds = await waitForHttp(`${url}/healthz`, since, 10, backend);
      metrics.backend_startup_seconds = Math.round(seconds * 100) / 100;
      expect(seconds).toBeLessThan(10);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status, await ready.text()).toBe(200);
      // the bundled modules behind the other endpoints load too
      const metricsText = await (await fetch(`${url}/metrics`)).text();
      expect(metricsText).toMatch(/^# HELP /m);
      const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
      expect(openapi.openapi).toMatch(/^3\./);
      const mcp = await fetch(`${url}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(mcp.status).toBe(401);
    });

    test("frontend: --read-only --tmpfs /tmp and .next/cache answers /healthz within 10 s and renders a page", async () => {
      const since = Date.now();
      frontend = startContainer("frontend", [
        ...readOnly,
        "--tmpfs",
        "/app/apps/web/.next/cache:uid=1000,gid=1000",
        "--network",
        network,
        "-p",
        "127.0.0.1::3000",
        "-e",
        "API_URL=http://backend:8000",
        `${FRONTEND}:latest`,
      ]);
      frontendUrl = publishedUrl(frontend, 3000);
      const seconds = await waitForHttp(`${frontendUrl}/healthz`, since, 10, frontend);
      metrics.frontend_startup_seconds = Math.round(seconds * 100) / 100;
      expect(seconds).toBeLessThan(10);
      const page = await fetch(`${frontendUrl}/sign-in`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    });

    test("full stack through the frontend port: sign-up, task create and list, a chat turn", () => {
      expect(frontendUrl).not.toBe("");
      const smoke = run(process.execPath, [join(repoRoot, "tests/docker/smoke.mjs"), frontendUrl]);
      expect(smoke.status, `${smoke.stdout}${smoke.stderr}\n${logsOf(backend)}\n${logsOf(frontend)}`).toBe(0);
      const result = JSON.parse(smoke.stdout.trim().split("\n").pop() ?? "{}") as {
        ok: boolean;
        task_id: number;
      };
      expect(result.ok).toBe(true);
      expect(result.task_id).toBeGreaterThan(0);
      // the container filesystem stayed untouched outside the tmpfs mounts
      expect(dockerOk(["diff", backend])).toBe("");
      expect(dockerOk(["diff", frontend])).toBe("");
    });

    test("frontend: SIGTERM → exit 0 within 5 s", () => {
      const { code, seconds } = stopWithSigterm(frontend);
      metrics.frontend_sigterm_exit_seconds = Math.round(seconds * 100) / 100;
      expect(code, logsOf(frontend)).toBe(0);
      expect(seconds).toBeLessThan(5);
    });

    test("backend (SHUTDOWN_DELAY_MS=0): SIGTERM → exit 0 within 5 s", () => {
      const { code, seconds } = stopWithSigterm(backend);
      metrics.backend_sigterm_exit_seconds = Math.round(seconds * 100) / 100;
      expect(code, logsOf(backend)).toBe(0);
      expect(seconds).toBeLessThan(5);
    });

    test("backend with the production default delay (5 s for Kubernetes endpoints): exit 0 before docker stop's 10 s", async () => {
      const since = Date.now();
      const name = startContainer("backend-delay", [
        ...readOnly,
        "--network",
        network,
        "-p",
        "127.0.0.1::8000",
        "-e",
        `DATABASE_URL=${databaseUrl}`,
        "-e",
        `BETTER_AUTH_SECRET=${TEST_AUTH_SECRET}`,
        `${BACKEND}:latest`,
      ]);
      await waitForHttp(`${publishedUrl(name, 8000)}/healthz`, since, 10, name);
      const { code, seconds } = stopWithSigterm(name);
      metrics.backend_sigterm_exit_seconds_default_delay = Math.round(seconds * 100) / 100;
      expect(code, logsOf(name)).toBe(0);
      expect(seconds).toBeLessThan(10);
    });

    test("backend without DATABASE_URL: PGlite loads from a read-only image with DATA_DIR on /tmp", async () => {
      const since = Date.now();
      const name = startContainer("backend-pglite", [
        ...readOnly,
        "-p",
        "127.0.0.1::8000",
        "-e",
        `BETTER_AUTH_SECRET=${TEST_AUTH_SECRET}`,
        "-e",
        "DATA_DIR=/tmp/data",
        "-e",
        "SHUTDOWN_DELAY_MS=0",
        `${BACKEND}:latest`,
      ]);
      const url = publishedUrl(name, 8000);
      // a fresh PGlite runs initdb in WebAssembly first: slower than a server, so a looser bound
      const seconds = await waitForHttp(`${url}/healthz`, since, 60, name);
      metrics.backend_pglite_startup_seconds = Math.round(seconds * 100) / 100;
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status, await ready.text()).toBe(200);
      const { code } = stopWithSigterm(name);
      expect(code, logsOf(name)).toBe(0);
    });

    test("backend refuses to start in production without BETTER_AUTH_SECRET (one clear line)", () => {
      const result = docker(["run", "--rm", ...readOnly, "-e", "DATA_DIR=/tmp/data", `${BACKEND}:latest`]);
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toContain("BETTER_AUTH_SECRET");
    });
  });
});
