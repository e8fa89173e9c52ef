// One error type for the whole API, turned into the SPEC's JSON shape in one place (toResponse).
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "validation_error"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal_error"
  | "bad_gateway"
  | "service_unavailable"
  | "llm_timeout"
  | "llm_unavailable"
  | "llm_auth_failed";

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  llm_timeout: 503,
  llm_unavailable: 503,
  llm_auth_failed: 502,
};

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = statusOf[code];
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The SPEC's error object; also the data of a chat stream's `error` event. */
export function errorBody(err: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return body;
}

export function errorResponse(c: Context, err: AppError) {
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  return c.json(errorBody(err), err.status);
}
