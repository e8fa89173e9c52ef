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
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
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
