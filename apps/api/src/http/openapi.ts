// Shared pieces of the OpenAPI route definitions.
import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { AppError } from "./errors.js";
import { ErrorSchema } from "./schemas.js";
import type { AppEnv } from "./types.js";

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

/** The error responses every authenticated route can give. */
export const errorResponses = {
  400: error("Validation error"),
  401: error("Missing or invalid token"),
  403: error("The path user is not the token's user"),
  404: error("Not found (or another user's)"),
  413: error("Body larger than 1 MiB"),
  415: error("Body is not application/json"),
  429: error("Rate limited"),
} as const;

export const bearerSecurity = [{ bearerAuth: [] }];

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** A router whose validation failures become the API's 400 error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        const first = details[0];
        const message = first ? `${first.path || "body"}: ${first.message}` : "invalid request";
        throw new AppError("validation_error", message, details);
      }
    },
  });
}
