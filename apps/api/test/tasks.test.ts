// The task REST API (/api/{user_id}/tasks), on PGlite and on a real PostgreSQL server.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tasks } from "../src/db/schema.js";
import type { RunningServer } from "../src/server.js";
import type { Task } from "../src/tasks/service.js";
import { api, dbKinds, signUp, startTestServer, type TestUser } from "./support/harness.js";

describe.each(dbKinds)("task API on %s", (kind) => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  const call = (user: TestUser | undefined, method: string, path: string, body?: unknown) =>
    api(server, user?.token, method, path, body);

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
  });
  afterAll(() => server?.shutdown());

  it("creates a task (201) with trimmed title and default description", async () => {
    const res = await call(alice, "POST", `/api/${alice.id}/tasks`, { title: "  Buy milk  " });
    expect(res.status).toBe(201);
    const task = res.body as Task;
    expect(task).toMatchObject({ user_id: alice.id, title: "Buy milk", description: "", completed: false });
    expect(Number.isInteger(task.id)).toBe(true);
    expect(Date.parse(task.created_at)).not.toBeNaN();
    const rows = await server.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(rows).toHaveLength(1);
  });

  it("lists newest first and filters by status", async () => {
    const user = await signUp(server);
    const titles = ["first", "second", "third"];
    const created: Task[] = [];
    for (const title of titles) {
      created.push(
        (await call(user, "POST", `/api/${user.id}/tasks`, { title, description: `d-${title}` })).body,
      );
    }
    await call(user, "PATCH", `/api/${user.id}/tasks/${created[1]?.id}/complete`);
    const all = await call(user, "GET", `/api/${user.id}/tasks`);
    expect(all.status).toBe(200);
    expect((all.body as Task[]).map((t) => t.title)).toEqual(["third", "second", "first"]);
    const pending = await call(user, "GET", `/api/${user.id}/tasks?status=pending`);
    expect((pending.body as Task[]).map((t) => t.title)).toEqual(["third", "first"]);
    const completed = await call(user, "GET", `/api/${user.id}/tasks?status=completed`);
    expect((completed.body as Task[]).map((t) => t.title)).toEqual(["second"]);
    const explicitAll = await call(user, "GET", `/api/${user.id}/tasks?status=all`);
    expect(explicitAll.body).toHaveLength(3);
    const bad = await call(user, "GET", `/api/${user.id}/tasks?status=done`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "validation_error" } });
  });

  it("gets, updates (maintaining updated_at), toggles and deletes a task", async () => {
    const created = (
      await call(alice, "POST", `/api/${alice.id}/tasks`, { title: "Call mom", description: "Sunday" })
    ).body as Task;
    const path = `/api/${alice.id}/tasks/${created.id}`;
    const got = await call(alice, "GET", path);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);

    await new Promise((r) => setTimeout(r, 15));
    const updated = await call(alice, "PUT", path, { title: "Call mum", completed: true });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: "Call mum", description: "Sunday", completed: true });
    expect(Date.parse((updated.body as Task).updated_at)).toBeGreaterThan(Date.parse(created.updated_at));

    const toggled = await call(alice, "PATCH", `${path}/complete`);
    expect(toggled.status).toBe(200);
    expect((toggled.body as Task).completed).toBe(false);
    const toggledBack = await call(alice, "PATCH", `${path}/complete`);
    expect((toggledBack.body as Task).completed).toBe(true);

    const deleted = await call(alice, "DELETE", path);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await call(alice, "GET", path)).status).toBe(404);
    expect((await call(alice, "DELETE", path)).status).toBe(404);
  });

  it.each([
    ["an empty title", { title: "   " }],
    ["a title over 200 characters", { title: "x".repeat(201) }],
    ["a description over 1000 characters", { title: "ok", description: "x".repeat(1001) }],
    ["a missing title", { description: "no title" }],
    ["a non-string title", { title: 42 }],
    ["an unknown field", { title: "ok", priority: "high" }],
  ])("rejects %s with 400 and the error shape", async (_name, body) => {
    const res = await call(alice, "POST", `/api/${alice.id}/tasks`, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "validation_error", message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/stack|select |insert /i);
  });

  it("accepts boundary lengths (200-character title, 1000-character description)", async () => {
    const res = await call(alice, "POST", `/api/${alice.id}/tasks`, {
      title: "t".repeat(200),
      description: "d".repeat(1000),
    });
    expect(res.status).toBe(201);
  });

  it("rejects an update with no fields, a bad id and malformed JSON with 400", async () => {
    const created = (await call(alice, "POST", `/api/${alice.id}/tasks`, { title: "keep me" })).body as Task;
    const empty = await call(alice, "PUT", `/api/${alice.id}/tasks/${created.id}`, {});
    expect(empty.status).toBe(400);
    for (const id of ["abc", "0", "-1", "1.5", "99999999999"]) {
      expect((await call(alice, "GET", `/api/${alice.id}/tasks/${id}`)).status, id).toBe(400);
    }
    const res = await fetch(`${server.url}/api/${alice.id}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "validation_error" } });
    // Nothing was lost by the bad requests.
    expect((await call(alice, "GET", `/api/${alice.id}/tasks/${created.id}`)).body).toEqual(created);
  });

  it("answers 401 without a token or with garbage, 403 for another user's path", async () => {
    expect((await call(undefined, "GET", `/api/${alice.id}/tasks`)).status).toBe(401);
    const garbage = await api(server, "not-a-jwt", "GET", `/api/${alice.id}/tasks`);
    expect(garbage.status).toBe(401);
    expect(garbage.body).toMatchObject({ error: { code: "unauthorized" } });
    const basic = await fetch(`${server.url}/api/${alice.id}/tasks`, {
      headers: { authorization: "Basic abc" },
    });
    expect(basic.status).toBe(401);
    const forbidden = await call(alice, "GET", `/api/${bob.id}/tasks`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: "forbidden" } });
    expect((await call(alice, "POST", `/api/${bob.id}/tasks`, { title: "sneaky" })).status).toBe(403);
  });

  it("keeps two users apart: another user's task is 404 for read, change and delete", async () => {
    const bobs = (await call(bob, "POST", `/api/${bob.id}/tasks`, { title: "Bob's secret" })).body as Task;
    const viaAlice = `/api/${alice.id}/tasks/${bobs.id}`;
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { title: "hijacked" }],
      ["PATCH", undefined],
      ["DELETE", undefined],
    ] as const) {
      const path = method === "PATCH" ? `${viaAlice}/complete` : viaAlice;
      const res = await call(alice, method, path, body);
      expect(res.status, method).toBe(404);
      expect(res.body).toMatchObject({ error: { code: "not_found" } });
    }
    expect((await call(alice, "GET", `/api/${alice.id}/tasks`)).body as Task[]).not.toContainEqual(
      expect.objectContaining({ id: bobs.id }),
    );
    const still = await call(bob, "GET", `/api/${bob.id}/tasks/${bobs.id}`);
    expect(still.body).toEqual(bobs);
  });

  it("answers 415 for a non-JSON body and 413 for a body over 1 MiB", async () => {
    const res415 = await fetch(`${server.url}/api/${alice.id}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "text/plain" },
      body: "title=hello",
    });
    expect(res415.status).toBe(415);
    expect(await res415.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    const big = JSON.stringify({ title: "big", description: "x".repeat(1024 * 1024 + 10) });
    const res413 = await fetch(`${server.url}/api/${alice.id}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
      body: big,
    });
    expect(res413.status).toBe(413);
    expect(await res413.json()).toMatchObject({ error: { code: "payload_too_large" } });
    // Without a Content-Length (chunked), the body is counted as it arrives.
    const chunked = (text: string) =>
      fetch(`${server.url}/api/${alice.id}/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
        body: new Blob([text]).stream(),
        duplex: "half",
      } as RequestInit);
    const chunked413 = await chunked(big);
    expect(chunked413.status).toBe(413);
    expect(await chunked413.json()).toMatchObject({ error: { code: "payload_too_large" } });
    const chunked201 = await chunked(JSON.stringify({ title: "sent in chunks" }));
    expect(chunked201.status).toBe(201);
    expect(await chunked201.json()).toMatchObject({ title: "sent in chunks" });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await call(alice, "GET", "/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: "not_found" } });
  });
});
