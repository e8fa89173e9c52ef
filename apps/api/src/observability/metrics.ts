// Prometheus metrics for /metrics: HTTP traffic, the DB pool, and the chat agent. Request counts are
// the latency histogram's http_request_duration_seconds_count (no second counter updated per request).
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from "prom-client";

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface DurationSeries {
  labels: { method: string; route: string; status: string };
  /** Observations per bucket (not cumulative); above the last bound they count in `count` only. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * http_request_duration_seconds by method, route and status. Every request observes it, so it is
 * kept here rather than as a prom-client Histogram, whose observe builds a labels object, a
 * closure and a hash string of the labels and checks each label every time (about a tenth of a
 * /healthz request's CPU): here a series is found by one string key. prom-client's registry
 * renders it from get(), as it renders its own histograms.
 */
export class RequestDurations {
  readonly name = "http_request_duration_seconds";
  readonly help = "HTTP request latency by method, route and status";
  readonly type = "histogram";
  readonly aggregator = "sum";
  // route → method → status → series: the route and method strings come from the router and
  // Node's parser (the same string each time, hash cached), so no key is built per request.
  readonly #series = new Map<string, Map<string, Map<number, DurationSeries>>>();

  observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.#series.get(route);
    if (byMethod === undefined) this.#series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      const labels = { method, route, status: String(status) };
      byStatus.set(status, (series = { labels, buckets: HTTP_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    }
    let bucket = 0;
    while (bucket < HTTP_BUCKETS.length && seconds > (HTTP_BUCKETS[bucket] as number)) bucket++;
    if (bucket < HTTP_BUCKETS.length) series.buckets[bucket] = (series.buckets[bucket] as number) + 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** The series in the shape prom-client's registry renders: cumulative buckets, +Inf, sum, count. */
  async get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    const all = [...this.#series.values()].flatMap((byMethod) =>
      [...byMethod.values()].flatMap((byStatus) => [...byStatus.values()]),
    );
    for (const { labels, buckets, sum, count } of all) {
      let cumulative = 0;
      HTTP_BUCKETS.forEach((le, i) => {
        cumulative += buckets[i] ?? 0;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: "+Inf" }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.#series.clear();
  }
}

export interface Metrics {
  registry: Registry;
  httpDuration: RequestDurations;
  chatTurns: Counter<"mode" | "outcome">;
  toolCalls: Counter<"tool" | "outcome">;
  llmDuration: Histogram<"mode">;
  llmErrors: Counter<"mode" | "code">;
}

export function createMetrics(poolStats: () => { total: number; idle: number; waiting: number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pool = (name: string, help: string, pick: (s: ReturnType<typeof poolStats>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(poolStats()));
      },
    });
  pool("db_pool_connections_total", "Open database connections", (s) => s.total);
  pool("db_pool_connections_idle", "Idle database connections", (s) => s.idle);
  pool("db_pool_requests_waiting", "Queries waiting for a database connection", (s) => s.waiting);
  const httpDuration = new RequestDurations();
  // The registry reads only name, help, type, aggregator and get() of what it renders; its types
  // name prom-client's own metric classes alone.
  registry.registerMetric(httpDuration as unknown as Metric);
  return {
    registry,
    httpDuration,
    chatTurns: new Counter({
      name: "chat_turns_total",
      help: "Chat turns by agent mode and outcome",
      labelNames: ["mode", "outcome"],
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: "mcp_tool_calls_total",
      help: "MCP tool calls by tool name and outcome",
      labelNames: ["tool", "outcome"],
      registers: [registry],
    }),
    llmDuration: new Histogram({
      name: "llm_request_duration_seconds",
      help: "Agent run latency (model calls and tools) by mode",
      labelNames: ["mode"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: "llm_errors_total",
      help: "Model provider errors by mode and error code",
      labelNames: ["mode", "code"],
      registers: [registry],
    }),
  };
}
