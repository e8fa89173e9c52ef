// Starts the API: config → database (+ migrations) → app → listen, and the graceful shutdown
// sequence (readiness off, wait SHUTDOWN_DELAY_MS, stop accepting, drain, close the DB).
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Http2Bindings, type HttpBindings, serve } from "@hono/node-server";
import { createLazyAgentRunner } from "./agent/lazy-runner.js";
import { createApp } from "./app.js";
import { type Auth, createAuth } from "./auth/auth.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { TodoMcp } from "./mcp/server.js";
import { createLogger } from "./observability/logger.js";
import { createMetrics } from "./observability/metrics.js";

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  auth: Auth;
  /** Runs the shutdown sequence once; resolves when the server and the DB are closed. */
  shutdown(reason?: string): Promise<void>;
}

/** Up to this much of an unread request body is read and discarded before an early answer. */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;
const DISCARD_MAX_MS = 5000;

/** Reads the rest of a request body into nothing; true once it ended within the bounds. */
async function discardBody(req: Request, incoming: { readableEnded: boolean }): Promise<boolean> {
  if (incoming.readableEnded) return true;
  // A body some middleware started to read (and gave up on) cannot be read again from here.
  if (!req.body || req.body.locked) return false;
  if (Number(req.headers.get("content-length") ?? 0) > DISCARD_MAX_BYTES) return false;
  const reader = req.body.getReader();
  const timer = setTimeout(() => reader.cancel().catch(() => {}), DISCARD_MAX_MS);
  try {
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      bytes += value.byteLength;
      if (bytes > DISCARD_MAX_BYTES) return false;
    }
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/**
 * An error answered before the request body was read (401, 403, 413, 415…): the rest of the body
 * is read and discarded first (up to DISCARD_MAX_BYTES / DISCARD_MAX_MS), so the client, whose
 * socket stays open, finds it ready for its next request; past the bounds the answer says
 * `Connection: close`. Without this @hono/node-server drained for 500 ms and then dropped a
 * socket announced as kept alive: the client's next request on it failed with ECONNRESET, and the
 * web proxy, still sending the body, answered 502.
 */
function discardUnreadBody(
  fetch: (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>,
): (req: Request, env: HttpBindings | Http2Bindings) => Promise<Response> {
  return async (req, env) => {
    const res = await fetch(req, env);
    if (res.status < 400 || req.method === "GET" || req.method === "HEAD") return res;
    if (await discardBody(req, env.incoming)) return res;
    const headers = new Headers(res.headers);
    headers.set("connection", "close");
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** The application wired from the config (database opened, migrations applied when asked); nothing listens yet. */
export async function openApp(config: Config) {
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DB_POOL_MAX,
  });
  if (config.MIGRATE_ON_START) {
    const applied = await runMigrations(database);
    logger.info({ applied, db: database.kind }, "migrations checked");
  }
  const lifecycle = { draining: false };
  const metrics = createMetrics(database.poolStats);
  const auth = createAuth(config, database.db, logger);
  // One MCP server for the process: the chat agent's tools and POST /mcp.
  const mcp = new TodoMcp({ db: database.db, metrics, logger });
  const agent = createLazyAgentRunner({ config, db: database.db, mcp, metrics, logger });
  const app = createApp({ config, database, auth, logger, metrics, lifecycle, agent, mcp });
  return { app, database, auth, agent, logger, lifecycle };
}

export async function startServer(config: Config): Promise<RunningServer> {
  const { app, database, auth, agent, logger, lifecycle } = await openApp(config);
  const server = serve({ fetch: discardUnreadBody(app.fetch), port: config.PORT });
  // While draining, `Connection: close` moves keep-alive clients (the web proxy) to other pods before
  // the server stops accepting; otherwise a request can race the idle-socket close (ECONNRESET, 502).
  server.on("request", (_req: unknown, res: ServerResponse) => {
    if (lifecycle.draining && !res.headersSent) res.setHeader("connection", "close");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  // performance.now() counts from process start: the whole start-up, module loading included.
  logger.info(
    { port, db: database.kind, startupMs: Math.round(performance.now()) },
    `API listening on http://localhost:${port}`,
  );
  agent.load().catch((err) => logger.error({ err: (err as Error).message }, "loading the chat agent failed"));

  let closing: Promise<void> | undefined;
  const shutdown = (reason = "shutdown") => {
    closing ??= (async () => {
      logger.info({ reason, delayMs: config.SHUTDOWN_DELAY_MS }, "draining");
      lifecycle.draining = true;
      await new Promise((r) => setTimeout(r, config.SHUTDOWN_DELAY_MS));
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          logger.warn("drain timeout reached, closing remaining connections");
          if ("closeAllConnections" in server) server.closeAllConnections();
          resolve();
        }, config.SHUTDOWN_TIMEOUT_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive connections with no request in flight would hold close() open.
        if ("closeIdleConnections" in server) server.closeIdleConnections();
      });
      await database.close();
      logger.info("stopped");
    })();
    return closing;
  };
  return { url: `http://localhost:${port}`, port, database, auth, shutdown };
}
