// Prometheus metrics for /metrics: HTTP traffic, the DB pool, and the chat agent. Request counts are
// the latency histogram's http_request_duration_seconds_count (no second counter updated per request).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
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
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by method, route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
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
