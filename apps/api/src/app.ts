// Builds the HTTP application from its modules. No I/O at import time; testable with app.request.
import { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { HTTPException } from "hono/http-exception";
import type { AgentRunner } from "./agent/runner.js";
import type { Auth } from "./auth/auth.js";
import { createCredentialVerifier, createTokenVerifier } from "./auth/bearer.js";
import { createAuthLimits } from "./auth/limits.js";
import { chatRoutes } from "./chat/routes.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import { appliedMigrationCount, expectedMigrationCount } from "./db/migrate.js";
import { AppError, errorResponse } from "./http/errors.js";
import { RecordingRouter } from "./http/every-request.js";
import { BODY_METHODS, limitBody, requireJson, requireUser } from "./http/middleware.js";
import { createRateLimiter } from "./http/rate-limit.js";
import { clientAddressResolver } from "./http/security.js";
import type { AppEnv } from "./http/types.js";
import { mcpRoutes } from "./mcp/route.js";
import type { TodoMcp } from "./mcp/server.js";
import type { Logger } from "./observability/logger.js";
import type { Metrics } from "./observability/metrics.js";
import { taskRoutes } from "./tasks/routes.js";

// Connection-level failures (server down, restarting, refusing connections): 503, so clients retry.
// Drizzle wraps driver errors, so the whole cause chain is inspected.
const DB_DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "55000",
  "57P01",
  "57P02",
  "57P03",
]);
function isDatabaseDown(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code ?? "";
    if (DB_DOWN_CODES.has(code) || code.startsWith("08")) return true;
    if (/Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

/** What GET /openapi.json says about itself; the paths come from the routes. */
export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Todo Chatbot API",
    version: "0.1.0",
    description:
      "Tasks, chat and conversations. Authenticate with a Better Auth JWT from /api/auth/token. " +
      "The MCP server (POST /mcp, streamable HTTP) also accepts a personal API key from /api/auth/api-key/create.",
  },
};

export interface AppDeps {
  config: Config;
  database: Database;
  auth: Auth;
  logger: Logger;
  metrics: Metrics;
  /** Set by the shutdown sequence: /readyz answers 503 from then on. */
  lifecycle: { draining: boolean };
  /** The chat agent (AGENT_MODE, LLM_*). */
  agent: AgentRunner;
  /** The process's MCP server, served at /mcp. */
  mcp: TodoMcp;
}

export function createApp(deps: AppDeps) {
  const { config, database, auth, logger, metrics, lifecycle, agent, mcp } = deps;
  const verify = createTokenVerifier(auth, config.PUBLIC_URL);
  const migrationsExpected = expectedMigrationCount();
  const app = new OpenAPIHono<AppEnv>({ router: new RecordingRouter() });

  const limiter = createRateLimiter(database.db);
  const checkAuthLimits = createAuthLimits(limiter, config.AUTH_RATE_LIMIT_PER_MINUTE);
  const clientAddressOf = clientAddressResolver(config.TRUSTED_PROXIES);

  // GET and HEAD bodies are never read: they do not pass through the limit at all.
  app.on(BODY_METHODS, "*", limitBody);

  app.on(["GET", "POST"], "/api/auth/*", async (c) => {
    const address = clientAddressOf(c);
    await checkAuthLimits(c.req.raw, c.req.path, address);
    // Better Auth records the address of a session from X-Forwarded-For: give it the resolved one.
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-forwarded-for", address);
    return auth.handler(new Request(c.req.raw, { headers }));
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (lifecycle.draining) return c.json({ status: "draining" }, 503);
    try {
      await database.db.execute(sql`select 1`);
      const applied = await appliedMigrationCount(database.db);
      if (applied < migrationsExpected) {
        return c.json({ status: "migrations_pending", applied, expected: migrationsExpected }, 503);
      }
      return c.json({ status: "ready" });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "readiness check failed");
      return c.json({ status: "database_unreachable" }, 503);
    }
  });
  app.get("/metrics", async (c) =>
    c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }),
  );

  app.use("/api/:user_id/*", requireJson, requireUser(verify));
  app.route("/api", taskRoutes(database.db));
  app.route(
    "/api",
    chatRoutes({
      db: database.db,
      runner: agent,
      metrics,
      logger,
      limiter,
      ratePerMinute: config.CHAT_RATE_LIMIT_PER_MINUTE,
      clientAddressOf,
    }),
  );
  app.route("/mcp", mcpRoutes({ mcp, verify: createCredentialVerifier(auth, verify) }));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", OPENAPI_DOCUMENT);

  app.notFound((c) => errorResponse(c, new AppError("not_found", "No such route")));
  app.onError((err, c) => {
    if (err instanceof AppError) return errorResponse(c, err);
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 400 ? "validation_error" : "internal_error";
      return errorResponse(c, new AppError(code, err.message || "Bad request"));
    }
    if (isDatabaseDown(err)) {
      logger.warn({ requestId: c.env.requestId, err: err.message }, "database unavailable");
      return errorResponse(c, new AppError("service_unavailable", "The database is unavailable, try again"));
    }
    logger.error(
      { requestId: c.env.requestId, err: { message: err.message, stack: err.stack } },
      "unhandled",
    );
    return errorResponse(c, new AppError("internal_error", "Something went wrong on our side"));
  });
  return app;
}
