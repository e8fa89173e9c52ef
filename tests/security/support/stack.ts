// What the hostile-input cases run against: the real API (in-process server, real HTTP, PGlite or
// the real PostgreSQL server), two users with tasks and a conversation each, a snapshot of every
// user's data to compare before and after each case, and the web app's /api proxy code in front.
import type { IncomingMessage, ServerResponse } from "node:http";
import { asc } from "drizzle-orm";
import { conversations, messages, tasks, user } from "../../../apps/api/src/db/schema.js";
import type { RunningServer } from "../../../apps/api/src/server.js";
import {
  api,
  type DbKind,
  signUp,
  startTestServer,
  type TestUser,
} from "../../../apps/api/test/support/harness.js";
import { frontDoor } from "../../../apps/web/server/api-proxy.mjs";
import { startServer, type TestServer } from "../../../apps/web/test/http-server.js";

export interface Stack {
  server: RunningServer;
  alice: TestUser;
  bob: TestUser;
  /** Every row of every user's data (users, tasks, conversations, messages), in a stable order. */
  snapshot(): Promise<unknown>;
  close(): Promise<void>;
}

export async function startStack(kind: DbKind, env: Record<string, string> = {}): Promise<Stack> {
  const server = await startTestServer(kind, { CHAT_RATE_LIMIT_PER_MINUTE: "100000", ...env });
  const alice = await signUp(server, "Alice");
  const bob = await signUp(server, "Bob");
  for (const [who, title] of [
    [alice, "Buy milk"],
    [alice, "Walk the dog"],
    [bob, "Bob's report"],
    [bob, "Bob's taxes"],
  ] as const) {
    const res = await api(server, who.token, "POST", `/api/${who.id}/tasks`, { title });
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status}`);
  }
  for (const who of [alice, bob]) {
    await api(server, who.token, "POST", `/api/${who.id}/chat`, { message: "what's left?" });
  }
  const { db } = server.database;
  return {
    server,
    alice,
    bob,
    snapshot: async () => ({
      users: await db.select().from(user).orderBy(asc(user.id)),
      tasks: await db.select().from(tasks).orderBy(asc(tasks.id)),
      conversations: await db.select().from(conversations).orderBy(asc(conversations.id)),
      messages: await db.select().from(messages).orderBy(asc(messages.id)),
    }),
    close: () => server.shutdown(),
  };
}

export type Proxy = TestServer;

/**
 * The web app's front door as it runs in the image (server/api-proxy.mjs): the client's own
 * X-Forwarded-* headers dropped, /api/* and /mcp sent to the API with the peer as the one client
 * address. Next itself is not started here: any other path answers 404.
 */
export function startProxy(apiUrl: string): Promise<Proxy> {
  const notNext = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(404);
    res.end();
  };
  return startServer(frontDoor(notNext, { API_URL: apiUrl }));
}

/** The error code of an API error body ({error: {code}}) or of a Better Auth one ({code}). */
export function codeOf(body: unknown): string | undefined {
  const b = body as { error?: { code?: string }; code?: string } | undefined;
  return b?.error?.code ?? b?.code;
}
