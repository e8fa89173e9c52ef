// Health, readiness, metrics and the OpenAPI document.

import type { RouterRoute } from "hono/types";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { RecordingRouter } from "../src/http/every-request.js";
import type { RunningServer } from "../src/server.js";
import { startServer } from "../src/server.js";
import { api, signUp, startTestServer, testEnv } from "./support/harness.js";

describe("operations endpoints", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer("postgres");
  });
  afterAll(() => server?.shutdown());

  it("/healthz and /readyz answer 200 when the schema is current", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("/metrics exposes request counts and latency by route and status, and the DB pool", async () => {
    const user = await signUp(server);
    await api(server, user.token, "GET", `/api/${user.id}/tasks`);
    await api(server, user.token, "GET", `/api/${user.id}/tasks/12345`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/:user_id\/tasks",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/:user_id\/tasks\/:id",status="404"\} 1/,
    );
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/:user_id\/tasks"/);
    expect(text).toMatch(/db_pool_connections_total \d+/);
    expect(text).toMatch(/db_pool_requests_waiting 0/);
    // Raw user ids never become label values.
    expect(text).not.toContain(user.id);
  });

  it("every answer carries a request id: the caller's when it is a sane one, a fresh one otherwise", async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await fetch(`${server.url}/healthz`)).headers.get("x-request-id")),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(3);
    const echoed = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "trace-42.a_b" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-42.a_b");
    const insane = await fetch(`${server.url}/nowhere`, { headers: { "x-request-id": "x".repeat(65) } });
    expect(insane.status).toBe(404);
    expect(insane.headers.get("x-request-id")).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  });

  it("the latency histogram: cumulative buckets, +Inf and _count equal, a route label for refusals and 'unmatched' for no route", async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const healthzCount = (text: string) =>
      Number(
        /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    for (let i = 0; i < 5; i++) await fetch(`${server.url}/healthz`);
    expect((await fetch(`${server.url}/api/someone/tasks`)).status).toBe(401);
    expect((await fetch(`${server.url}/no/such/route`)).status).toBe(404);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(healthzCount(text) - healthzCount(before)).toBe(5);

    const series = 'method="GET",route="/healthz",status="200"';
    const buckets = [...text.matchAll(/^http_request_duration_seconds_bucket\{(.*),le="([^"]+)"\} (\d+)$/gm)]
      .filter((m) => m[1] === series)
      .map((m) => ({ le: m[2], value: Number(m[3]) }));
    expect(buckets.map((b) => b.le)).toEqual([
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "5",
      "10",
      "+Inf",
    ]);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value ?? 0);
    expect(buckets.at(-1)?.value).toBe(healthzCount(text));
    const sum = Number(
      new RegExp(`^http_request_duration_seconds_sum\\{${series}\\} (\\S+)$`, "m").exec(text)?.[1],
    );
    expect(sum).toBeGreaterThan(0);
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
    // A refusal counts under the route that was asked for; a path no route serves, under "unmatched".
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/:user_id\/tasks",status="401"\} \d+/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} \d+/,
    );
    expect(text).not.toContain("/no/such/route");
  });

  it("/openapi.json is OpenAPI 3.1 and documents every task route with its schemas", async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/api/{user_id}/tasks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/{user_id}/tasks/{id}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "put",
    ]);
    expect(Object.keys(doc.paths["/api/{user_id}/tasks/{id}/complete"] ?? {})).toEqual(["patch"]);
    expect(doc.paths["/api/{user_id}/tasks"]?.post?.responses).toHaveProperty("201");
    expect(doc.components.schemas).toHaveProperty("Task");
    expect(doc.components.schemas).toHaveProperty("CreateTask");
  });
});

describe("readiness with pending migrations", () => {
  it("answers 503 until the schema is current", async () => {
    const server = await startTestServer("postgres", { MIGRATE_ON_START: "false" });
    try {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "migrations_pending", applied: 0 });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.shutdown();
    }
  });

  it("answers 503 when the database is unreachable, and requests get 503 rather than 500", async () => {
    const env = await testEnv("postgres");
    const server = await startServer(loadConfig(env));
    const user = await signUp(server);
    const dbName = new URL(env.DATABASE_URL ?? "").pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject("postgresUrl") });
    await admin.connect();
    // Terminate this database's connections and refuse new ones: the server loses its DB.
    await admin.query(`alter database "${dbName}" allow_connections false`);
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [dbName]);
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "database_unreachable" });
      const res = await api(server, user.token, "GET", `/api/${user.id}/tasks`);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: { code: "service_unavailable" } });
      // The database comes back: the same process recovers without a restart.
      await admin.query(`alter database "${dbName}" allow_connections true`);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await api(server, user.token, "GET", `/api/${user.id}/tasks`)).status).toBe(200);
    } finally {
      await admin.end();
      await server.shutdown();
    }
  });
});

describe("RecordingRouter", () => {
  type Handler = [string, RouterRoute];
  const route = (path: string, method = "GET"): Handler => [
    path,
    { path, method, basePath: "/", handler: () => {} },
  ];
  const handlers = (result: ReturnType<RecordingRouter<Handler>["match"]>) => result[0].map(([h]) => h[0]);

  it("keeps the match of a registered static path per method, and matches the others afresh", () => {
    const router = new RecordingRouter<Handler>();
    router.add("ALL", "/api/*", route("/api/*", "ALL"));
    router.add("GET", "/healthz", route("/healthz"));
    router.add("GET", "/api/:user_id/tasks", route("/api/:user_id/tasks"));
    const first = router.match("GET", "/healthz");
    expect(handlers(first)).toEqual(["/healthz"]);
    expect(router.take()).toEqual({ path: "/healthz", route: "/healthz" });
    expect(router.match("GET", "/healthz")).toBe(first);
    router.take();
    expect(handlers(router.match("POST", "/healthz"))).toEqual([]);
    expect(router.take().route).toBe("unmatched");
    const alice = router.match("GET", "/api/alice/tasks");
    expect(handlers(alice)).toEqual(["/api/*", "/api/:user_id/tasks"]);
    expect(router.take()).toEqual({ path: "/api/alice/tasks", route: "/api/:user_id/tasks" });
    expect(router.match("GET", "/api/alice/tasks")).not.toBe(alice);
    router.take();
    expect(() => router.take()).toThrow("no route was matched");
  });
});
