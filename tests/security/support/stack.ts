// What the hostile-input cases run against: the real API (in-process server, real HTTP, PGlite or
// the real PostgreSQL server), two users with tasks and a conversation each, a snapshot of every
// user's data to compare before and after each case, and the web app's /api proxy code in front.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
import { stripClientForwarding } from "../../../apps/web/docker/forwarding-headers.mjs";
import { forwardToApi } from "../../../apps/web/lib/proxy.js";

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

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

/**
 * The web app's /api proxy as it runs in the image: the forwarding guard drops the client's own
 * X-Forwarded-* headers, Next records the peer (`x-forwarded-for ??= socket address`, as its
 * base server does), and the route handler calls forwardToApi. Next itself is not started here.
 */
export async function startProxy(apiUrl: string): Promise<Proxy> {
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    stripClientForwarding(req);
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    req.headers["x-forwarded-proto"] ??= "http";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://localhost:3000${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (ReadableStream.from(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: "half",
    } as RequestInit);
    const answer = await forwardToApi(request, apiUrl);
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error code of an API error body ({error: {code}}) or of a Better Auth one ({code}). */
export function codeOf(body: unknown): string | undefined {
  const b = body as { error?: { code?: string }; code?: string } | undefined;
  return b?.error?.code ?? b?.code;
}
