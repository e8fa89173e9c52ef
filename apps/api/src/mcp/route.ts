// POST /mcp: MCP streamable HTTP, stateless. Each request gets a new HTTP transport whose messages
// go to the process's one todo MCP server on behalf of the user behind the request's bearer
// credential (JWT or personal API key); it answers plain JSON (no SSE stream), so any replica can
// serve any request and nothing is kept between requests.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono } from "hono";
import { bearerToken, type CredentialVerifier } from "../auth/bearer.js";
import { requestHeader } from "../http/headers.js";
import type { AppEnv } from "../http/types.js";
import type { TodoMcp } from "./server.js";

export function mcpRoutes(deps: { mcp: TodoMcp; verify: CredentialVerifier }) {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    // Authorization: Bearer <JWT | API key>; clients that can only set a custom header may send
    // the API key as x-api-key instead.
    const apiKey = requestHeader(c, "x-api-key");
    const authorization = requestHeader(c, "authorization");
    const userId = await deps.verify(apiKey && !authorization ? apiKey : bearerToken(authorization));
    c.set("userId", userId);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    transport.onmessage = (message) => {
      // As in the SDK's own server: an answer whose request has gone (the client hung up) is dropped.
      void deps.mcp
        .deliver(message, userId)
        .then((response) => response && transport.send(response))
        .catch(() => {});
    };
    // The body read straight from Node's message (no web Request body, no web streams). A body that
    // is not JSON is left to the transport, which answers it with its JSON-RPC parse error.
    const parsedBody: unknown = await c.req.json().catch(() => undefined);
    await transport.start();
    try {
      return await transport.handleRequest(c.req.raw, parsedBody === undefined ? undefined : { parsedBody });
    } finally {
      // The JSON response is complete once handleRequest resolves: nothing streams afterwards.
      await transport.close();
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
