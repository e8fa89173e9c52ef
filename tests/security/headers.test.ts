// Response headers: nosniff on every JSON answer; no-store on the bearer token and on user data.
// And the bounded display name: the JWT, which copies it, stays small enough to send.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, PUBLIC_URL, tokenFor } from "../../apps/api/test/support/harness.js";
import { type Stack, startStack } from "./support/stack.js";

let s: Stack;
beforeAll(async () => {
  s = await startStack("pglite");
});
afterAll(() => s?.close());

describe("security headers", () => {
  it("GET /api/auth/token answers no-store and nosniff", async () => {
    const res = await fetch(`${s.server.url}/api/auth/token`, {
      headers: { cookie: s.alice.cookie, origin: PUBLIC_URL },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/no-store/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it.each([
    ["the task list", (st: Stack) => `/api/${st.alice.id}/tasks`],
    ["one task", (st: Stack) => `/api/${st.alice.id}/tasks/1`],
    ["the conversations", (st: Stack) => `/api/${st.alice.id}/conversations`],
  ])("%s answers no-store and nosniff", async (_what, path) => {
    const res = await api(s.server, s.alice.token, "GET", path(s));
    expect([200, 404]).toContain(res.status);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it.each([
    ["an error", "/api/nobody/tasks"],
    ["a health check", "/healthz"],
    ["the OpenAPI document", "/openapi.json"],
  ])("%s carries nosniff too", async (_what, path) => {
    const res = await fetch(`${s.server.url}${path}`);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("sign-up name bound", () => {
  it("accepts a 100-character name, and its JWT stays small", async () => {
    const email = `name-${Date.now()}@example.com`;
    const headers = { "content-type": "application/json", origin: PUBLIC_URL };
    const name = "N".repeat(100);
    const up = await fetch(`${s.server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name, email, password: "hundred chars" }),
    });
    expect(up.status).toBe(200);
    const signIn = await fetch(`${s.server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email, password: "hundred chars" }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const token = await tokenFor(s.server, cookie);
    expect(decodeJwt(token).name).toBe(name);
    expect(token.length).toBeLessThan(2000);
  });

  it("refuses 101 characters, for a new and for an existing email alike", async () => {
    const body = (email: string) =>
      JSON.stringify({ name: "N".repeat(101), email, password: "too long name" });
    const headers = { "content-type": "application/json", origin: PUBLIC_URL };
    const fresh = await fetch(`${s.server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers,
      body: body("new-101@example.com"),
    });
    const existing = await fetch(`${s.server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers,
      body: body(s.alice.email),
    });
    expect([fresh.status, existing.status]).toEqual([400, 400]);
    expect(await fresh.json()).toEqual(await existing.json());
  });
});
