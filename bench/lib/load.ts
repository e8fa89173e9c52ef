// Load generation: autocannon for throughput under concurrency, and a sequential keep-alive loop
// (one request at a time, microsecond timer) for the latency of a single caller.
import http from "node:http";
import autocannon from "autocannon";

export interface Request {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  seconds: number;
}

/** Throughput and latency with `connections` concurrent keep-alive connections for `seconds`. */
export async function load(req: Request, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: req.url,
    method: req.method ?? "GET",
    headers: req.headers ?? {},
    ...(req.body === undefined ? {} : { body: req.body }),
    connections,
    duration: seconds,
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(
      `${req.method ?? "GET"} ${req.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    seconds: result.duration,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Slices of one measurement as one: throughput over the whole time, the median slice's percentiles. */
export function merge(slices: LoadResult[]): LoadResult {
  const requests = slices.reduce((n, r) => n + r.requests, 0);
  const seconds = slices.reduce((n, r) => n + r.seconds, 0);
  return {
    rps: requests / seconds,
    p50: median(slices.map((r) => r.p50)),
    p99: median(slices.map((r) => r.p99)),
    requests,
    seconds,
  };
}

/**
 * A subject and its bound measured in alternating one-second slices (A B B A A B …) after a
 * warm-up of each: on a shared machine the load from elsewhere changes within seconds, and
 * interleaving gives both sides the same share of it.
 */
export async function pair(
  subject: () => Promise<Request>,
  bound: () => Promise<Request>,
  connections: number,
  seconds: number,
): Promise<{ subject: LoadResult; bound: LoadResult; ratio: number }> {
  const [a, b] = [await subject(), await bound()];
  await load(a, connections, 1);
  await load(b, connections, 1);
  const as: LoadResult[] = [];
  const bs: LoadResult[] = [];
  for (let i = 0; i < seconds; i++) {
    const first = i % 2 === 0;
    (first ? as : bs).push(await load(first ? a : b, connections, 1));
    (first ? bs : as).push(await load(first ? b : a, connections, 1));
  }
  const [ma, mb] = [merge(as), merge(bs)];
  return { subject: ma, bound: mb, ratio: ma.rps / mb.rps };
}

export interface LatencyResult {
  p50: number;
  p99: number;
  n: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** `n` requests one after another on one keep-alive connection; latency in ms. */
export async function sequential(req: Request, n: number): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const status = await once(req, agent);
      times.push(performance.now() - started);
      if (status < 200 || status > 299) throw new Error(`${req.url} answered ${status}`);
    }
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), n };
}

function once(req: Request, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(req.url, { method: req.method ?? "GET", headers: req.headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    r.on("error", reject);
    r.end(req.body);
  });
}
