import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, createApiClient, REFRESH_MARGIN_MS, TASK_PAGE_SIZE } from "@/lib/api-client";
import { decodeJwtClaims } from "@/lib/jwt";
import { readBody, startServer, type TestServer } from "./http-server";

// A stand-in backend: /api/auth/token mints unsigned JWTs (the client never verifies them) with a
// 15-minute lifetime; the task routes accept only the newest token and count what they receive.
const USER = "user_42";
const LIFETIME_S = 15 * 60;
let clock = 1_800_000_000_000;
let tokensIssued = 0;
let currentToken = "";
let rejectNextAuthorized = 0;
let seen: { method: string; url: string; authorization?: string; body: string }[] = [];
let server: TestServer;

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function mintToken(): string {
  tokensIssued += 1;
  const iat = Math.floor(clock / 1000);
  return `${b64url({ alg: "EdDSA" })}.${b64url({ sub: USER, iat, exp: iat + LIFETIME_S, n: tokensIssued })}.sig`;
}

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const url = req.url ?? "";
    if (url === "/api/auth/token") {
      if (req.headers.cookie !== "session=ok") {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "UNAUTHORIZED", message: "Not signed in" }));
        return;
      }
      currentToken = mintToken();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token: currentToken }));
      return;
    }
    const body = await readBody(req);
    seen.push({ method: req.method ?? "", url, authorization: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${currentToken}` || rejectNextAuthorized > 0) {
      rejectNextAuthorized = Math.max(0, rejectNextAuthorized - 1);
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "unauthorized", message: "Invalid token" } }));
      return;
    }
    if (url.startsWith(`/api/${USER}/tasks/404`)) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "not_found", message: "Task 404 not found" } }));
      return;
    }
    if (url.includes("limit=")) {
      // A first page with more to come, then a last page.
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (!url.includes("cursor=")) headers["x-next-cursor"] = "c+1/";
      res.writeHead(200, headers);
      res.end(JSON.stringify([{ id: url.includes("cursor=") ? 1 : 2 }]));
      return;
    }
    if (req.method === "DELETE") {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, method: req.method, url }));
  });
});

afterAll(() => server.close());

beforeEach(() => {
  tokensIssued = 0;
  currentToken = "";
  rejectNextAuthorized = 0;
  seen = [];
});

/** The browser's fetch sends the session cookie with credentials: "include"; Node's needs it added. */
function client(cookie = "session=ok") {
  return createApiClient({
    baseUrl: server.url,
    now: () => clock,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      if (String(input).endsWith("/api/auth/token")) headers.set("cookie", cookie);
      return fetch(input, { ...init, headers });
    },
  });
}

describe("api client tokens", () => {
  it("fetches a token once and reuses it while it is fresh", async () => {
    const api = client();
    await api.tasks.list();
    clock += 5 * 60_000;
    await api.tasks.list("pending");
    expect(tokensIssued).toBe(1);
    expect(seen.map((s) => s.authorization)).toEqual([`Bearer ${currentToken}`, `Bearer ${currentToken}`]);
  });

  it("refreshes the token about a minute before it expires", async () => {
    const api = client();
    await api.tasks.list();
    clock += LIFETIME_S * 1000 - REFRESH_MARGIN_MS - 1000;
    await api.tasks.list();
    expect(tokensIssued).toBe(1);
    clock += 2000; // now inside the last minute
    await api.tasks.list();
    expect(tokensIssued).toBe(2);
    expect(seen.at(-1)?.authorization).toBe(`Bearer ${currentToken}`);
  });

  it("shares one token request among concurrent calls", async () => {
    const api = client();
    await Promise.all([api.tasks.list(), api.chat.conversations(), api.tasks.get(1)]);
    expect(tokensIssued).toBe(1);
  });

  it("retries once with a new token when the API answers 401", async () => {
    const api = client();
    await api.tasks.list();
    rejectNextAuthorized = 1;
    await expect(api.tasks.get(7)).resolves.toMatchObject({ ok: true });
    expect(tokensIssued).toBe(2);
    expect(seen.filter((s) => s.url.endsWith("/tasks/7"))).toHaveLength(2);
  });

  it("gives up after one retry and reports 401", async () => {
    const api = client();
    rejectNextAuthorized = 5;
    const error = await api.tasks.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it("reports a missing session as an unauthenticated ApiError", async () => {
    const error = await client("")
      .tasks.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isUnauthenticated).toBe(true);
    expect(seen).toHaveLength(0);
  });
});

describe("api client endpoints", () => {
  it("builds every SPEC path with the user id from the token's sub", async () => {
    const api = client();
    await api.tasks.list("completed");
    await api.tasks.get(3);
    await api.tasks.create({ title: "Buy milk" });
    await api.tasks.update(3, { completed: true });
    await api.tasks.toggleComplete(3);
    await expect(api.tasks.remove(3)).resolves.toBeUndefined();
    await api.chat.send("hello");
    await api.chat.send("again", 9);
    await api.chat.conversations();
    await api.chat.messages(9);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      `GET /api/${USER}/tasks?status=completed `,
      `GET /api/${USER}/tasks/3 `,
      `POST /api/${USER}/tasks {"title":"Buy milk"}`,
      `PUT /api/${USER}/tasks/3 {"completed":true}`,
      `PATCH /api/${USER}/tasks/3/complete `,
      `DELETE /api/${USER}/tasks/3 `,
      `POST /api/${USER}/chat {"message":"hello"}`,
      `POST /api/${USER}/chat {"conversation_id":9,"message":"again"}`,
      `GET /api/${USER}/conversations `,
      `GET /api/${USER}/conversations/9/messages `,
    ]);
  });

  it("pages the task list: limit and the previous X-Next-Cursor in the query, the header as nextCursor", async () => {
    const api = client();
    const first = await api.tasks.page("pending");
    expect(first).toEqual({ tasks: [{ id: 2 }], nextCursor: "c+1/" });
    const second = await api.tasks.page("pending", first.nextCursor);
    expect(second).toEqual({ tasks: [{ id: 1 }], nextCursor: null });
    expect(seen.map((s) => s.url)).toEqual([
      `/api/${USER}/tasks?status=pending&limit=${TASK_PAGE_SIZE}`,
      `/api/${USER}/tasks?status=pending&limit=${TASK_PAGE_SIZE}&cursor=c%2B1%2F`,
    ]);
  });

  it("turns the SPEC error body into an ApiError with its code and message", async () => {
    const error = await client()
      .tasks.get(404)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "Task 404 not found" });
  });
});

describe("decodeJwtClaims", () => {
  it("reads sub and exp from a base64url payload, including non-ASCII claims", () => {
    const token = `x.${b64url({ sub: "ü-1", exp: 123, name: "Zoë" })}.y`;
    expect(decodeJwtClaims(token)).toEqual({ sub: "ü-1", exp: 123 });
  });

  it("rejects a token without sub or exp", () => {
    expect(() => decodeJwtClaims(`x.${b64url({ sub: "a" })}.y`)).toThrow(/exp/);
    expect(() => decodeJwtClaims("garbage")).toThrow();
  });
});
