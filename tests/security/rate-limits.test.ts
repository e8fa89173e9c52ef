// Sign-in, sign-up and chat limits: per client address (X-Forwarded-For believed only from
// TRUSTED_PROXIES), sign-in per account too, through the web proxy, and held across two API
// processes on one PostgreSQL database.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { rateLimits } from "../../apps/api/src/db/schema.js";
import {
  api,
  createPostgresDatabase,
  PUBLIC_URL,
  signUp,
  startTestServer,
  tempDir,
} from "../../apps/api/test/support/harness.js";
import { killProcesses, startProcess } from "../../apps/api/test/support/process.js";
import { codeOf, startProxy } from "./support/stack.js";

const signIn = (base: string, email: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: PUBLIC_URL, ...headers },
    body: JSON.stringify({ email, password: "wrong password" }),
  }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
    retryAfter: r.headers.get("retry-after"),
  }));

const LIMIT = "3";

/**
 * The limits count per wall-clock minute (a fixed window): a case whose hits straddled a minute's
 * end would see its count start again. Each case starts counting with at least 20 s of its minute left.
 */
async function clearOfWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/**
 * An API (PGlite) on which loopback is not a trusted proxy, so the test client is a direct client
 * whatever X-Forwarded-For it sends; ready to count, clear of a window's end.
 */
async function directClientApi(env: Record<string, string> = { AUTH_RATE_LIMIT_PER_MINUTE: LIMIT }) {
  const server = await startTestServer("pglite", { TRUSTED_PROXIES: "10.99.0.0/16", ...env });
  servers.push(server);
  await clearOfWindowEdge();
  return server;
}
const servers: Array<{ shutdown(): Promise<void> }> = [];
afterEach(async () => {
  killProcesses();
  for (const s of servers.splice(0)) await s.shutdown();
});

describe("sign-in limits", () => {
  it("a client that is not a trusted proxy cannot pick its own address with X-Forwarded-For", async () => {
    // Loopback is not a proxy here, so the test client is a direct client.
    const server = await directClientApi();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signIn(server.url, `nobody-${i}@example.com`, {
        "x-forwarded-for": `198.51.100.${i}`,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("guessing one account's password from many addresses is limited per account", async () => {
    const server = await startTestServer("pglite", { AUTH_RATE_LIMIT_PER_MINUTE: LIMIT });
    servers.push(server);
    await clearOfWindowEdge();
    const victim = await signUp(server, "Victim");
    const results = [];
    for (let i = 0; i < 5; i++) {
      // Loopback is trusted (the default), so each attempt really comes from another address.
      results.push(
        await signIn(server.url, victim.email.toUpperCase(), { "x-forwarded-for": `203.0.113.${i}` }),
      );
    }
    // signUp's own sign-in was the first of the account's three attempts this minute.
    expect(results.map((r) => r.status)).toEqual([401, 401, 429, 429, 429]);
    expect(codeOf(results[2]?.body)).toBe("rate_limited");
    expect(Number(results[2]?.retryAfter)).toBeGreaterThan(0);
    // Another account from a fresh address is not affected.
    expect(
      (await signIn(server.url, "other@example.com", { "x-forwarded-for": "203.0.113.99" })).status,
    ).toBe(401);
  });

  it("through the web proxy each client has its own budget, whatever X-Forwarded-For it sends", async () => {
    const server = await startTestServer("pglite", { AUTH_RATE_LIMIT_PER_MINUTE: LIMIT });
    servers.push(server);
    const proxy = await startProxy(server.url);
    try {
      await clearOfWindowEdge();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await signIn(proxy.url, `p-${i}@example.com`, { "x-forwarded-for": `192.0.2.${i}` });
        statuses.push(res.status);
      }
      // The forged headers were dropped: all five count against the one real address.
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // The API did not collapse every client into one bucket: another address still gets in.
      const direct = await signIn(server.url, "direct@example.com", { "x-forwarded-for": "192.0.2.200" });
      const rows = await server.database.db.select().from(rateLimits);
      expect(direct.status, JSON.stringify({ body: direct.body, rows })).toBe(401);
    } finally {
      await proxy.close();
    }
  });

  it("sign-up is limited per client address", async () => {
    const server = await directClientApi();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: PUBLIC_URL,
          "x-forwarded-for": `198.51.100.${i}`,
        },
        body: JSON.stringify({
          name: "n",
          email: `su-${i}-${Date.now()}@example.com`,
          password: "sign up pass",
        }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe("chat limits", () => {
  it("new accounts from one address do not buy more chat: five users' worth per address", async () => {
    // Loopback is not a proxy here: every user below comes from the same address.
    const server = await directClientApi({ AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "1" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await signUp(server);
      statuses.push(
        (await api(server, user.token, "POST", `/api/${user.id}/chat`, { message: "hi" })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("limits across replicas (two API processes, one PostgreSQL database)", () => {
  afterAll(killProcesses);

  it("sign-in attempts alternating between two processes share one budget", async () => {
    const env = {
      DATABASE_URL: await createPostgresDatabase(),
      DATA_DIR: tempDir(),
      AUTH_RATE_LIMIT_PER_MINUTE: LIMIT,
    };
    const a = await startProcess(env);
    const b = await startProcess({ ...env, MIGRATE_ON_START: "false" });
    await clearOfWindowEdge();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await signIn(i % 2 ? b.url : a.url, "shared@example.com")).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("chat turns alternating between two processes share one per-user budget", async () => {
    const env = {
      DATABASE_URL: await createPostgresDatabase(),
      DATA_DIR: tempDir(),
      AGENT_MODE: "offline",
      CHAT_RATE_LIMIT_PER_MINUTE: LIMIT,
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
    };
    const a = await startProcess(env);
    const b = await startProcess({ ...env, MIGRATE_ON_START: "false" });
    await clearOfWindowEdge();
    const user = await signUp(a);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await api(i % 2 ? b : a, user.token, "POST", `/api/${user.id}/chat`, { message: `hi ${i}` })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
