// POST /mcp: MCP streamable HTTP, stateless. Each request gets a new server and transport bound to
// the user behind its bearer credential (JWT or personal API key), and answers plain JSON (no SSE
// stream), so any replica can serve any request and nothing is kept between requests.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono } from "hono";
import { bearerToken, type CredentialVerifier } from "../auth/bearer.js";
import type { Db } from "../db/client.js";
import type { AppEnv } from "../http/types.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { createTodoMcpServer } from "./server.js";

export function mcpRoutes(deps: { db: Db; verify: CredentialVerifier; metrics: Metrics; logger?: Logger }) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    // Authorization: Bearer <JWT | API key>; clients that can only set a custom header may send
    // the API key as x-api-key instead.
    const apiKey = c.req.header("x-api-key");
    const authorization = c.req.header("authorization");
    const userId = await deps.verify(apiKey && !authorization ? apiKey : bearerToken(authorization));
    c.set("userId", userId);
    const server = createTodoMcpServer({ db: deps.db, userId, metrics: deps.metrics, logger: deps.logger });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      // The JSON response is complete once handleRequest resolves: nothing streams afterwards.
      await server.close();
    }
  });
  // Stateless: no server-initiated SSE stream to open (GET) and no session to end (DELETE).
  app.on(["GET", "DELETE", "PUT", "PATCH"], "/", (c) =>
    c.json(
      { error: { code: "method_not_allowed", message: "This MCP server is stateless: use POST /mcp" } },
      405,
      { allow: "POST" },
    ),
  );
  return app;
}
