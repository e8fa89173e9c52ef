// Hono middleware of the API: body limits, JSON-only bodies, and the bearer check that binds the
// path's {user_id} to the verified token subject. What every request goes through is everyRequest.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { TokenVerifier } from "../auth/bearer.js";
import { bearerToken } from "../auth/bearer.js";
import { AppError } from "./errors.js";
import { requestHeader } from "./headers.js";
import type { AppEnv } from "./types.js";

export const MAX_BODY_BYTES = 1024 * 1024;

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
