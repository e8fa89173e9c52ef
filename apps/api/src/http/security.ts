// Per-request security pieces: response headers every answer carries, and the client's address
// (for rate limits and sessions), believed from X-Forwarded-For only when a trusted proxy sent it.
import type { IncomingMessage } from "node:http";
import type { MiddlewareHandler } from "hono";
import { clientAddress, trustedProxyList } from "./client-address.js";
import type { AppEnv } from "./types.js";

/**
 * `nosniff` on every answer (a JSON error must never be sniffed into HTML); `no-store` on
 * everything under /api and /mcp: tokens, tasks and chats belong to one user and no cache in
 * between (browser, proxy, CDN) may keep or share them.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set("x-content-type-options", "nosniff");
  if ((c.req.path.startsWith("/api/") || c.req.path === "/mcp") && !c.res.headers.has("cache-control")) {
    c.res.headers.set("cache-control", "no-store");
  }
};

export function resolveClientAddress(trustedProxies: string[]): MiddlewareHandler<AppEnv> {
  const trusted = trustedProxyList(trustedProxies);
  return async (c, next) => {
    const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
    c.set("clientAddress", clientAddress(peer, c.req.header("x-forwarded-for"), trusted));
    await next();
  };
}
