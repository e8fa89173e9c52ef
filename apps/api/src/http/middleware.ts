// Request pipeline pieces: request id + security headers + access log + metrics, body limits, JSON-only bodies,
// and the bearer check that binds the path's {user_id} to the verified token subject.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { TokenVerifier } from "../auth/bearer.js";
import { bearerToken } from "../auth/bearer.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { AppError } from "./errors.js";
import { requestHeader } from "./headers.js";
import { setSecurityHeaders } from "./security.js";
import type { AppEnv } from "./types.js";

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * What every request goes through, as one middleware (each level of Hono's chain is an async call
 * of its own): a request id (the caller's X-Request-Id when it is a sane one), the security
 * headers, then after the handler the latency histogram and the access log line.
 */
export function everyRequest(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = requestHeader(c, "x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    // On Node's response, like the security headers: the handler's Response stays as it built it.
    c.env.outgoing.setHeader("x-request-id", requestId);
    setSecurityHeaders(c);
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The matched route pattern, not the raw path, keeps label cardinality bounded.
    const route = c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
    metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
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

const payloadTooLarge = () => new AppError("payload_too_large", "Request body is larger than 1 MiB");
const limitChunkedBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw payloadTooLarge();
  },
});

/** The methods whose bodies the API reads: limitBody is registered for these alone. */
export const BODY_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * 413 for bodies over 1 MiB. A body with a Content-Length is judged by that header (Node's parser
 * never delivers more than it announces); only a chunked body is counted as it is read. Hono's
 * bodyLimit asks for the web Request's body, which makes @hono/node-server build the whole web
 * Request and read the JSON through web streams instead of straight from Node's message (the
 * largest share of a small POST's allocations), so it only sees the chunked bodies.
 */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const length = requestHeader(c, "content-length");
  if (length === undefined || requestHeader(c, "transfer-encoding") !== undefined)
    return limitChunkedBody(c, next);
  if (Number(length) > MAX_BODY_BYTES) throw payloadTooLarge();
  return next();
};

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
