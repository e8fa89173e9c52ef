// The image rules (docs/CONTRACTS.md, docs/docker.md) that can be read from the files, without Docker:
// the Dockerfiles (stages, base ARG, nothing Alpine-only, cache mounts, npm_ca secret, uid 1000, labels,
// HEALTHCHECK with node, exec-form CMD of docs/CONTRACTS.md), .dockerignore, compose.yaml, .env.example.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/process";

const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op = "", ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

const images = {
  "apps/api/Dockerfile": { cmd: '["node", "dist/main.js"]', port: "8000" },
  "apps/web/Dockerfile": { cmd: '["node", "apps/web/server.js"]', port: "3000" },
} as const;

describe.each(Object.entries(images))("%s", (file, expected) => {
  const text = read(file);
  const ops = instructions(text);
  const froms = ops.filter((i) => i.op === "FROM");
  const runtimeStart = ops.lastIndexOf(froms[froms.length - 1] as { op: string; args: string });
  const runtime = ops.slice(runtimeStart);

  test("no `# syntax=` line (it would pull a frontend image)", () => {
    expect(text).not.toMatch(/^#\s*syntax\s*=/im);
  });

  test("ARG NODE_IMAGE=node:24-alpine before the first FROM; every stage from it or from a stage", () => {
    expect(ops[0]).toEqual({ op: "ARG", args: "NODE_IMAGE=node:24-alpine" });
    const stages = new Set<string>();
    for (const from of froms) {
      const [image = "", as, name] = from.args.split(/\s+/);
      expect(image === "${NODE_IMAGE}" || stages.has(image), `FROM ${from.args}`).toBe(true);
      if (as?.toUpperCase() === "AS" && name) stages.add(name);
    }
    expect(froms.length, "multi-stage: dependencies, build, runtime").toBeGreaterThanOrEqual(3);
  });

  test("nothing Alpine-only (apk, addgroup, adduser) and no user creation: the base has node 1000:1000", () => {
    expect(text).not.toMatch(/\b(apk|addgroup|adduser|useradd|groupadd)\b/);
  });

  test("npm runs with a cache mount and the optional npm_ca secret, never with a CA in a layer", () => {
    const npm = ops.filter((i) => i.op === "RUN" && /\bnpm (ci|install)\b/.test(i.args));
    expect(npm.length).toBeGreaterThan(0);
    for (const run of npm) {
      expect(run.args).toContain("--mount=type=cache,target=/root/.npm");
      expect(run.args).toContain("--mount=type=secret,id=npm_ca,required=false");
      expect(run.args).toMatch(/NODE_EXTRA_CA_CERTS=\/run\/secrets\/npm_ca/);
      expect(run.args).toMatch(/npm ci\b/);
    }
    expect(ops.some((i) => i.op === "ENV" && /NODE_EXTRA_CA_CERTS|npm_config_cafile/i.test(i.args))).toBe(
      false,
    );
    expect(ops.some((i) => /^(ENV|ARG)$/.test(i.op) && /SECRET|PASSWORD|TOKEN|API_KEY/i.test(i.args))).toBe(
      false,
    );
  });

  test("runtime stage: NODE_ENV=production, USER 1000:1000, WORKDIR /app, labels, HEALTHCHECK with node, exec-form CMD", () => {
    const env = runtime.filter((i) => i.op === "ENV").map((i) => i.args);
    expect(env.join(" ")).toMatch(/NODE_ENV=production/);
    expect(runtime.filter((i) => i.op === "USER").map((i) => i.args)).toEqual(["1000:1000"]);
    expect(runtime.filter((i) => i.op === "WORKDIR").map((i) => i.args)).toEqual(["/app"]);
    const labels = runtime
      .filter((i) => i.op === "LABEL")
      .map((i) => i.args)
      .join(" ");
    for (const key of ["source", "version", "revision"]) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    expect(labels).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(labels).toContain('org.opencontainers.image.revision="${REVISION}"');
    const health = runtime.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    expect(health).toMatch(/CMD \["node", "-e", "fetch\(/);
    expect(health).not.toMatch(/curl|wget/);
    expect(runtime.filter((i) => i.op === "CMD").map((i) => i.args)).toEqual([expected.cmd]);
    expect(runtime.some((i) => i.op === "ENTRYPOINT")).toBe(false);
    expect(runtime.filter((i) => i.op === "EXPOSE").map((i) => i.args)).toEqual([expected.port]);
    // files copied into the runtime are root-owned (read-only for uid 1000) except the web's cache
    for (const copy of runtime.filter((i) => i.op === "COPY" && i.args.includes("--chown"))) {
      expect(copy.args).toMatch(/--chown=1000:1000 \S+ \.\/apps\/web\/\.next\/cache$/);
    }
  });
});

describe(".dockerignore", () => {
  const text = read(".dockerignore");
  test("is an allowlist that keeps local state and secrets out", () => {
    const lines = text.split("\n").filter((line) => line.trim() && !line.startsWith("#"));
    expect(lines[0]).toBe("*");
    for (const rule of [
      "**/.env",
      "**/.env.*",
      "apps/web/.next",
      "apps/web/test",
      "apps/web/e2e",
      "**/*.test.ts",
    ]) {
      expect(lines).toContain(rule);
    }
    expect(lines.some((line) => /^!.*(\.env|node_modules|\.git|\.tools|dist|test)/.test(line))).toBe(false);
  });
});

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml")) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const services = compose.services;
  const env = (name: string) => (services[name]?.environment ?? {}) as Record<string, string>;
  const dependsOn = (name: string) =>
    (services[name]?.depends_on ?? {}) as Record<string, { condition: string }>;

  test("postgres: postgres:17-alpine (POSTGRES_IMAGE overrides), a volume, a pg_isready healthcheck", () => {
    const pg = services.postgres as { image: string; volumes: string[]; healthcheck: { test: string[] } };
    expect(pg.image).toBe("${POSTGRES_IMAGE:-postgres:17-alpine}");
    expect(pg.volumes.some((v) => v.startsWith("pgdata:/var/lib/postgresql/data"))).toBe(true);
    expect(Object.keys(compose.volumes)).toContain("pgdata");
    expect(pg.healthcheck.test.join(" ")).toContain("pg_isready");
  });

  test("backend: built from apps/api/Dockerfile with NODE_IMAGE, migrations before serving, secrets from .env", () => {
    const backend = services.backend as { build: { dockerfile: string; args: Record<string, string> } };
    expect(backend.build.dockerfile).toBe("apps/api/Dockerfile");
    expect(backend.build.args.NODE_IMAGE).toBe("${NODE_IMAGE:-node:24-alpine}");
    const migrates =
      env("backend").MIGRATE_ON_START === "true" ||
      Object.values(dependsOn("backend")).some((d) => d.condition === "service_completed_successfully");
    expect(migrates).toBe(true);
    expect(env("backend").BETTER_AUTH_SECRET).toMatch(/^\$\{BETTER_AUTH_SECRET:\?/);
    expect(env("backend").DATABASE_URL).toContain("${POSTGRES_PASSWORD}");
    expect(dependsOn("backend").postgres?.condition).toBe("service_healthy");
  });

  test("frontend: built from apps/web/Dockerfile, API_URL=http://backend:8000, waits for a healthy backend, port 3000", () => {
    const frontend = services.frontend as {
      build: { dockerfile: string; args: Record<string, string> };
      ports: string[];
    };
    expect(frontend.build.dockerfile).toBe("apps/web/Dockerfile");
    expect(frontend.build.args.NODE_IMAGE).toBe("${NODE_IMAGE:-node:24-alpine}");
    expect(env("frontend").API_URL).toBe("http://backend:8000");
    expect(dependsOn("frontend").backend?.condition).toBe("service_healthy");
    expect(frontend.ports).toEqual(["${FRONTEND_PORT:-3000}:3000"]);
  });

  test("the app containers run read-only with tmpfs for /tmp (and the web's .next/cache)", () => {
    for (const name of ["backend", "frontend"]) {
      expect(services[name]?.read_only).toBe(true);
      expect(services[name]?.tmpfs).toContain("/tmp");
    }
    expect(services.frontend?.tmpfs).toContain("/app/apps/web/.next/cache:uid=1000,gid=1000");
  });

  test("no literal secret in compose.yaml: every secret is interpolated from the environment / .env", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries((service.environment ?? {}) as Record<string, string>)) {
        if (/SECRET|PASSWORD|API_KEY/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{/);
      }
    }
  });
});

describe(".env.example", () => {
  const text = read(".env.example");
  test("names the settings with no real values; BETTER_AUTH_SECRET empty with how to generate it", () => {
    const values = Object.fromEntries(
      text
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(values.BETTER_AUTH_SECRET).toBe("");
    expect(values.POSTGRES_PASSWORD).toBe("");
    expect(values.OPENAI_API_KEY).toBe("");
    expect(text).toMatch(/openssl rand/);
  });
});
