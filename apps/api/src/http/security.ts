// The client's address of a request (for rate limits and sessions), believed from X-Forwarded-For
// only when a trusted proxy sent it.
import type { Context } from "hono";
import { clientAddress, trustedProxyList } from "./client-address.js";
import { requestHeader } from "./headers.js";
import type { AppEnv } from "./types.js";

/** The client's address of a request, worked out only by the routes that need it. */
export type ClientAddressOf = (c: Context<AppEnv>) => string;

export function clientAddressResolver(trustedProxies: string[]): ClientAddressOf {
  const trusted = trustedProxyList(trustedProxies);
  return (c) =>
    clientAddress(c.env.incoming.socket.remoteAddress, requestHeader(c, "x-forwarded-for"), trusted);
}
