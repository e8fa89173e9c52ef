// Starts the API: config → database (+ migrations) → app → listen, and the graceful shutdown
// sequence (readiness off, wait SHUTDOWN_DELAY_MS, stop accepting, drain, close the DB).
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLazyAgentRunner } from "./agent/lazy-runner.js";
import { createApp } from "./app.js";
import { type Auth, createAuth } from "./auth/auth.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { everyRequest } from "./http/every-request.js";
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
  return { app, database, auth, agent, logger, metrics, lifecycle };
}

export async function startServer(config: Config): Promise<RunningServer> {
  const { app, database, auth, agent, logger, metrics, lifecycle } = await openApp(config);
  const server = serve({ fetch: everyRequest(app, { logger, metrics, lifecycle }), port: config.PORT });
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
