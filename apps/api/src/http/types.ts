import type { OpenAPIHono } from "@hono/zod-openapi";

/** Values the request pipeline puts on the context. */
export interface AppEnv {
  Variables: {
    /** The authenticated user's id, from a verified credential (never from the request body). */
    userId: string;
    requestId: string;
    /** The client's address: the socket peer, or X-Forwarded-For from a trusted proxy. */
    clientAddress: string;
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
