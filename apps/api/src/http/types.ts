import type { HttpBindings } from "@hono/node-server";
import type { OpenAPIHono } from "@hono/zod-openapi";

/** Values the request pipeline puts on the context; the app is served by @hono/node-server. */
export interface AppEnv {
  Bindings: HttpBindings;
  Variables: {
    /** The authenticated user's id, from a verified credential (never from the request body). */
    userId: string;
    requestId: string;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
