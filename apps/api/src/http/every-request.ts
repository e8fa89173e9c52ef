// What every request goes through, around the application: a request id, the security headers,
// `Connection: close` while draining, and after the answer the latency histogram, the access log
// line and, for an early error, the discard of the unread body.
//
// It wraps the app's fetch instead of being a Hono middleware: with any middleware registered for
// a path, Hono dispatches through a chain of async functions, and @hono/node-server then answers
// through its Promise path (a close listener, two more awaits) even when the handler answered at
// once. Out here a handler that answers synchronously (the probes) keeps the synchronous path.
import { randomBytes } from "node:crypto";
import type { Http2Bindings, HttpBindings } from "@hono/node-server";
import type { Router } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";
import type { RouterRoute } from "hono/types";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import type { AppBindings, AppRouter } from "./types.js";

/** Up to this much of an unread request body is read and discarded before an early answer. */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;
const DISCARD_MAX_MS = 5000;
const NOT_LOGGED = new Set(["/healthz", "/readyz", "/metrics"]);
const SANE_REQUEST_ID = /^[\w.-]{1,64}$/;

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
async function afterUnreadBody(req: Request, res: Response, incoming: HttpBindings["incoming"]) {
  if (await discardBody(req, incoming)) return res;
  const headers = new Headers(res.headers);
  headers.set("connection", "close");
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

type Result<T> = ReturnType<Router<T>["match"]>;

/**
 * The app's router, with its last match kept. app.fetch matches the route synchronously, before
 * anything it awaits, so right after app.fetch returns, `take()` gives that request's path and
 * route: the histogram's label (the pattern, not the raw path, keeps its values bounded) without
 * matching the path a second time. A TrieRouter, which is what Hono's default SmartRouter settles
 * on for this app anyway: its RegExpRouter cannot hold /api/auth/* beside /api/:user_id/….
 * A path registered as it is (no parameter, no wildcard: /healthz, /readyz, /metrics…) is matched
 * once per method and its result kept, as RegExpRouter does for static paths: a match depends only
 * on the method and the path, and Hono only reads a match result. Only registered paths are kept,
 * so what any request path can add is bounded by the route table.
 */
export class RecordingRouter<T extends [unknown, RouterRoute]> implements Router<T> {
  readonly name = "RecordingRouter + TrieRouter";
  readonly #inner = new TrieRouter<T>();
  /** A registered static path → method → its match, filled on first use. */
  readonly #staticMatches = new Map<string, Map<string, Result<T>>>();
  #path = "";
  #last: Result<T> | undefined;

  add(method: string, path: string, handler: T): void {
    this.#inner.add(method, path, handler);
    if (!/[:*{?]/.test(path)) this.#staticMatches.set(path, new Map());
    for (const byMethod of this.#staticMatches.values()) byMethod.clear();
  }

  match(method: string, path: string): Result<T> {
    this.#path = path;
    const byMethod = this.#staticMatches.get(path);
    if (byMethod === undefined) return (this.#last = this.#inner.match(method, path));
    let result = byMethod.get(method);
    if (result === undefined) byMethod.set(method, (result = this.#inner.match(method, path)));
    return (this.#last = result);
  }

  /**
   * The last match's path, and the pattern of its last handler (the one that answers; "unmatched"
   * when only catch-all middleware matched); once: a second take without a match throws.
   */
  take(): { path: string; route: string } {
    const matched = this.#last?.[0];
    if (matched === undefined) throw new Error("no route was matched since the last take()");
    this.#last = undefined;
    const route = matched[matched.length - 1]?.[0][1].path;
    return { path: this.#path, route: route === undefined || route === "/*" ? "unmatched" : route };
  }
}

export function everyRequest(
  app: AppRouter,
  deps: { logger: Logger; metrics: Metrics; lifecycle: { draining: boolean } },
): (req: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response> {
  const { logger, metrics, lifecycle } = deps;
  const router = app.router;
  if (!(router instanceof RecordingRouter))
    throw new Error("everyRequest needs the app built with a RecordingRouter");
  // Request ids: this process's random prefix and a counter (unique across pods and restarts,
  // and without a random UUID drawn per request).
  const idPrefix = randomBytes(6).toString("hex");
  let served = 0;
  return (req, node) => {
    // serve() is given no HTTP/2 server to create: every request is an HTTP/1.1 one.
    const { incoming, outgoing } = node as HttpBindings;
    const started = performance.now();
    const given = incoming.headers["x-request-id"];
    const requestId =
      typeof given === "string" && SANE_REQUEST_ID.test(given)
        ? given
        : `${idPrefix}-${(++served).toString(36)}`;
    const env: AppBindings = { incoming, outgoing, requestId };
    const res = app.fetch(req, env);
    const { path, route } = router.take();
    // On Node's response, before @hono/node-server writes the answer (no handler writes to Node's
    // response itself): headers the handler's Response carries take precedence (a route may
    // choose its own Cache-Control), and that Response is never rebuilt.
    outgoing.setHeader("x-request-id", requestId);
    // `nosniff` on every answer (a JSON error must never be sniffed into HTML); `no-store` on
    // everything under /api and /mcp: tokens, tasks and chats belong to one user and no cache in
    // between (browser, proxy, CDN) may keep or share them.
    outgoing.setHeader("x-content-type-options", "nosniff");
    if (path.startsWith("/api/") || path === "/mcp") outgoing.setHeader("cache-control", "no-store");
    // While draining, `Connection: close` moves keep-alive clients (the web proxy) to other pods
    // before the server stops accepting; otherwise a request can race the idle-socket close.
    if (lifecycle.draining) outgoing.setHeader("connection", "close");

    const answered = (answer: Response): Response | Promise<Response> => {
      const seconds = (performance.now() - started) / 1000;
      const method = req.method;
      metrics.httpDuration.observe(method, route, answer.status, seconds);
      if (!NOT_LOGGED.has(route)) {
        logger.info(
          { requestId, method, path, status: answer.status, ms: Math.round(seconds * 1000) },
          "request",
        );
      }
      if (answer.status < 400 || method === "GET" || method === "HEAD") return answer;
      return afterUnreadBody(req, answer, incoming);
    };
    return res instanceof Promise ? res.then(answered) : answered(res);
  };
}
