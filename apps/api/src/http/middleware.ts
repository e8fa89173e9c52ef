// Request pipeline pieces: request id + access log + metrics, body limits, JSON-only bodies,
// and the bearer check that binds the path's {user_id} to the verified token subject.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { TokenVerifier } from "../auth/bearer.js";
import { bearerToken } from "../auth/bearer.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { AppError } from "./errors.js";
import { requestHeader } from "./headers.js";
import type { AppEnv } from "./types.js";

export const MAX_BODY_BYTES = 1024 * 1024;

export function observe(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = requestHeader(c, "x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    // On Node's response, like the security headers: the handler's Response stays as it built it.
    c.env.outgoing.setHeader("x-request-id", requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The matched route pattern, not the raw path, keeps label cardinality bounded.
    const route = c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, seconds);
    if (route !== "/healthz" && route !== "/readyz" && route !== "/metrics") {
      logger.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(seconds * 1000),
        },
        "request",
      );
    }
  };
}

const limitBodySize = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError("payload_too_large", "Request body is larger than 1 MiB");
  },
});

/** 413 for bodies over 1 MiB. GET and HEAD bodies are never read, so they are not checked:
 * asking for one makes @hono/node-server build a full web Request, a fifth of a GET's cost. */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBodySize(c, next);

/** Bodies of the JSON API must be application/json (415 otherwise). */
export const requireJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hasBody =
    (requestHeader(c, "content-length") ?? "0") !== "0" ||
    requestHeader(c, "transfer-encoding") !== undefined;
  const type = requestHeader(c, "content-type") ?? "";
  if (hasBody && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Request body must be application/json");
  }
  await next();
};

/** 401 without a valid token; 403 when the path's {user_id} is not the token's subject. */
export function requireUser(verify: TokenVerifier): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const userId = await verify(bearerToken(requestHeader(c, "authorization")));
    const pathUser = c.req.param("user_id");
    if (pathUser !== undefined && pathUser !== userId) {
      throw new AppError("forbidden", "You can only access your own resources");
    }
    c.set("userId", userId);
    await next();
  };
}
