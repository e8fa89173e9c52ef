// Early error answers (the body not read yet) must not break the client's next request on the same
// keep-alive socket, direct and through the web proxy. Node's fetch (undici) reuses sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Proxy, type Stack, startProxy, startStack } from "./support/stack.js";

let stack: Stack;
let proxy: Proxy;
beforeAll(async () => {
  stack = await startStack("pglite");
  proxy = await startProxy(stack.server.url);
});
afterAll(async () => {
  await proxy?.close();
  await stack?.close();
});

const big = (bytes: number) => JSON.stringify({ title: "x".repeat(bytes) });

type Early = { name: string; status: number; request: (s: Stack) => { path: string; init: RequestInit } };
const early: Early[] = [
  {
    name: "413 (body over 1 MiB)",
    status: 413,
    request: (s) => ({
      path: `/api/${s.alice.id}/tasks`,
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${s.alice.token}`, "content-type": "application/json" },
        body: big(2 * 1024 * 1024),
      },
    }),
  },
  {
    name: "401 (no token, 200 KB body)",
    status: 401,
    request: (s) => ({
      path: `/api/${s.alice.id}/tasks`,
      init: { method: "POST", headers: { "content-type": "application/json" }, body: big(200_000) },
    }),
  },
  {
    name: "403 (another user's path, 200 KB body)",
    status: 403,
    request: (s) => ({
      path: `/api/${s.bob.id}/tasks`,
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${s.alice.token}`, "content-type": "application/json" },
        body: big(200_000),
      },
    }),
  },
  {
    name: "415 (text/plain, 200 KB body)",
    status: 415,
    request: (s) => ({
      path: `/api/${s.alice.id}/tasks`,
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${s.alice.token}`, "content-type": "text/plain" },
        body: big(200_000),
      },
    }),
  },
];

describe.each([
  ["direct", () => stack.server.url],
  ["through the web proxy", () => proxy.url],
])("keep-alive after an early error answer, %s", (_label, base) => {
  it.each(early)("the request after a $name succeeds, five times in a row", async ({ status, request }) => {
    const before = await stack.snapshot();
    for (let i = 0; i < 5; i++) {
      const { path, init } = request(stack);
      const res = await fetch(`${base()}${path}`, init);
      expect(res.status).toBe(status);
      await res.arrayBuffer();
      const next = await fetch(`${base()}/api/${stack.alice.id}/tasks`, {
        headers: { authorization: `Bearer ${stack.alice.token}` },
      });
      expect(next.status).toBe(200);
      await next.arrayBuffer();
    }
    expect(await stack.snapshot()).toEqual(before);
  });
});
