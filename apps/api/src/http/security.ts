// Per-request security pieces: response headers every answer carries, and the client's address
// (for rate limits and sessions), believed from X-Forwarded-For only when a trusted proxy sent it.
import type { Context } from "hono";
import { clientAddress, trustedProxyList } from "./client-address.js";
import { requestHeader } from "./headers.js";
import type { AppEnv } from "./types.js";

/**
 * `nosniff` on every answer (a JSON error must never be sniffed into HTML); `no-store` on
 * everything under /api and /mcp: tokens, tasks and chats belong to one user and no cache in
 * between (browser, proxy, CDN) may keep or share them. Set on Node's response before the handler
 * runs (by everyRequest): headers the handler's Response carries take precedence (a route may
 * choose its own Cache-Control), and the Response itself is never reopened to add them.
 */
export function setSecurityHeaders(c: Context<AppEnv>): void {
  const out = c.env.outgoing;
  out.setHeader("x-content-type-options", "nosniff");
  if (c.req.path.startsWith("/api/") || c.req.path === "/mcp") out.setHeader("cache-control", "no-store");
}

/** The client's address of a request, worked out only by the routes that need it. */
export type ClientAddressOf = (c: Context<AppEnv>) => string;

export function clientAddressResolver(trustedProxies: string[]): ClientAddressOf {
  const trusted = trustedProxyList(trustedProxies);
  return (c) =>
    clientAddress(c.env.incoming.socket.remoteAddress, requestHeader(c, "x-forwarded-for"), trusted);
}
