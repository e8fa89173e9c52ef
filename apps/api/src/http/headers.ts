// Request headers, read from Node's parsed message. Hono's c.req.header() makes @hono/node-server
// build a whole web Headers object from the raw headers first, which costs as much as the rest of
// a small request's handling; Node joins repeated headers with ", " just as Headers.get does.
import type { Context } from "hono";
import type { AppEnv } from "./types.js";

export function requestHeader(c: Context<AppEnv>, name: Lowercase<string>): string | undefined {
  const value = c.env.incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
