import type { HttpBindings } from "@hono/node-server";
import type { OpenAPIHono } from "@hono/zod-openapi";

/** Node's request and response (the app is served by @hono/node-server), and the request's id. */
export interface AppBindings extends HttpBindings {
  /** Set by everyRequest: the caller's X-Request-Id when it is a sane one, a new one otherwise
   * (this process's random prefix and a counter). */
  requestId: string;
}

/** What the app's handlers find on the context. */
export interface AppEnv {
  Bindings: AppBindings;
  Variables: {
    /** The authenticated user's id, from a verified credential (never from the request body). */
    userId: string;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
