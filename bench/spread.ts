// `node bench/spread.ts [dist …]`: how far the /healthz ratio of `make bench` moves from one API
// process to the next. Starts PostgreSQL, the bare Hono route (bench/bound-server.ts) and one API
// process per argument (a built apps/api dist directory; default apps/api/dist, four times), loads
// each in turn (1 s slices at BENCH_CONNECTIONS, BENCH_ROUNDS rounds, the order reversed every
// round) and prints each process's throughput, its server CPU per request (utime + stime from
// /proc/<pid>/stat) and its ratio to the bare route. BENCH_SIGN_UPS=n first signs n users up (and
// in, and fetches their JWTs) on every API process, as `make bench` does on its API before it
// measures anything. Two builds given alternately
// (`node bench/spread.ts /tmp/old /tmp/new /tmp/old /tmp/new`) compare a change beyond the luck of
// one process. A diagnostic: it writes nothing and fails on nothing but a failed request.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startPostgres } from "../tests/support/postgres.ts";
import { freePort } from "../tests/support/process.ts";
import { apiEnv, startApi } from "./lib/api.ts";
import { load } from "./lib/load.ts";
import { type Child, cpuMicros, startNode } from "./lib/processes.ts";
import { signUp } from "./lib/users.ts";

const ROOT = resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SIGN_UPS = Number(process.env.BENCH_SIGN_UPS ?? 0);
const dists = process.argv.slice(2).map((d) => resolve(d));
if (dists.length === 0) dists.push(...Array(4).fill(join(ROOT, "apps/api/dist")));

const logs = join(ROOT, "artifacts", "bench");
mkdirSync(logs, { recursive: true });
const postgres = await startPostgres("spread", "spread");
const env = apiEnv(ROOT, postgres.url, randomBytes(32).toString("hex"));
const subjects: {
  name: string;
  child: Child;
  url: string;
  requests: number;
  seconds: number;
  cpu: number;
}[] = [];
try {
  const boundPort = await freePort();
  const bound = await startNode({
    name: "bound",
    args: [join(ROOT, "bench/bound-server.ts")],
    env: { PORT: String(boundPort), DATABASE_URL: postgres.url },
    readyUrl: `http://127.0.0.1:${boundPort}/healthz`,
    logFile: join(logs, "spread-bound.log"),
  });
  subjects.push({
    name: "bare Hono",
    child: bound,
    url: `http://127.0.0.1:${boundPort}`,
    requests: 0,
    seconds: 0,
    cpu: 0,
  });
  // One after another: the first applies the migrations, the others find the schema current.
  for (const [i, dist] of dists.entries()) {
    const port = await freePort();
    const name = `api ${i + 1} (${dist.replace(`${ROOT}/`, "")})`;
    const child = await startApi({ name, dist, env, port, logFile: join(logs, `spread-api-${i + 1}.log`) });
    const url = `http://127.0.0.1:${port}`;
    for (let n = 0; n < SIGN_UPS; n++) await signUp(url, `spread-${i + 1}-${n + 1}`);
    subjects.push({ name, child, url, requests: 0, seconds: 0, cpu: 0 });
  }
  for (const s of subjects) await load({ url: `${s.url}/healthz` }, CONNECTIONS, 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 ? [...subjects].reverse() : subjects) {
      const pid = s.child.proc.pid;
      const before = cpuMicros(pid);
      const result = await load({ url: `${s.url}/healthz` }, CONNECTIONS, 1);
      s.cpu += cpuMicros(pid) - before;
      s.requests += result.requests;
      s.seconds += result.seconds;
    }
  }
  const [bare] = subjects;
  if (!bare) throw new Error("unreachable");
  const rate = (s: (typeof subjects)[number]) => s.requests / s.seconds;
  console.log(
    `GET /healthz, ${ROUNDS} rounds of 1 s slices at ${CONNECTIONS} connections, ${SIGN_UPS} sign-ups per API process first`,
  );
  for (const s of subjects) {
    console.log(
      `${s.name.padEnd(40)} ${rate(s).toFixed(0).padStart(7)} req/s  ${(s.cpu / s.requests).toFixed(1).padStart(6)} µs CPU/request  ratio ${(rate(s) / rate(bare)).toFixed(2)}`,
    );
  }
} finally {
  for (const s of subjects) await s.child.stop();
  await postgres.stop();
}
