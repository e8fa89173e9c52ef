// Optional paging of the task list (GET /api/{user_id}/tasks?limit=N&cursor=C and the MCP
// list_tasks tool's limit/cursor): the default answer stays the plain array, pages follow the
// list's order exactly (also for tasks created within the same millisecond), and a cursor never
// shows another user's tasks.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.js";
import type { Task } from "../src/tasks/service.js";
import { api, dbKinds, signUp, startTestServer, type TestUser } from "./support/harness.js";

type ToolResult = { content: Array<{ type: string; text?: string }>; isError?: boolean };

describe.each(dbKinds)("task list paging on %s", (kind) => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  const list = (user: TestUser, query = "") =>
    api(server, user.token, "GET", `/api/${user.id}/tasks${query}`);

  /** Every page of `query` (e.g. "limit=3"), following X-Next-Cursor to the end. */
  async function allPages(user: TestUser, query: string): Promise<Task[][]> {
    const pages: Task[][] = [];
    let cursor: string | null = null;
    do {
      const res = await list(user, `?${query}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      pages.push(res.body as Task[]);
      cursor = res.headers.get("x-next-cursor");
    } while (cursor && pages.length < 20);
    return pages;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
    // Seven tasks for Alice: four within one millisecond (microseconds apart, two of them equal,
    // where the id breaks the tie), every third one completed; two for Bob.
    await server.database.db.execute(sql`
      insert into tasks (user_id, title, completed, created_at) values
        (${alice.id}, 'a1', false, '2026-01-01 10:00:00.000001+00'),
        (${alice.id}, 'a2', false, '2026-01-01 10:00:00.000002+00'),
        (${alice.id}, 'a3', true,  '2026-01-01 10:00:00.000002+00'),
        (${alice.id}, 'a4', false, '2026-01-01 10:00:00.000900+00'),
        (${alice.id}, 'a5', false, '2026-01-02 10:00:00+00'),
        (${alice.id}, 'a6', true,  '2026-01-03 10:00:00+00'),
        (${alice.id}, 'a7', false, '2026-01-04 10:00:00+00'),
        (${bob.id}, 'b1', false, '2026-01-01 09:00:00+00'),
        (${bob.id}, 'b2', false, '2026-01-05 10:00:00+00')`);
  });
  afterAll(() => server?.shutdown());

  it("answers every task as a plain array without X-Next-Cursor when neither limit nor cursor is given", async () => {
    const res = await list(alice);
    expect(res.status).toBe(200);
    expect((res.body as Task[]).map((t) => t.title)).toEqual(["a7", "a6", "a5", "a4", "a3", "a2", "a1"]);
    expect(res.headers.get("x-next-cursor")).toBeNull();
  });

  it("pages through the list in its order, without gaps or repeats, and ends without X-Next-Cursor", async () => {
    const everything = (await list(alice)).body as Task[];
    const pages = await allPages(alice, "limit=3");
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(everything);
  });

  it("pages the status filters too", async () => {
    const pending = await allPages(alice, "status=pending&limit=2");
    expect(pending.flat().map((t) => t.title)).toEqual(["a7", "a5", "a4", "a2", "a1"]);
    const completed = await allPages(alice, "status=completed&limit=1");
    expect(completed.map((p) => p.map((t) => t.title))).toEqual([["a6"], ["a3"]]);
  });

  it("answers exactly one page when the page size equals what is left", async () => {
    const res = await list(alice, "?limit=7");
    expect(res.body).toHaveLength(7);
    expect(res.headers.get("x-next-cursor")).toBeNull();
  });

  it("never shows another user's tasks, whoever's cursor is sent", async () => {
    const first = await list(alice, "?limit=1");
    const cursor = first.headers.get("x-next-cursor");
    expect(cursor).toBeTruthy();
    const bobs = await list(bob, `?limit=50&cursor=${cursor}`);
    expect(bobs.status).toBe(200);
    expect((bobs.body as Task[]).map((t) => t.user_id)).toEqual([bob.id]);
  });

  it("rejects a limit outside 1..200, a non-number and a cursor it did not issue with 400", async () => {
    for (const query of [
      "?limit=0",
      "?limit=201",
      "?limit=ten",
      "?limit=2.5",
      "?cursor=abc",
      "?cursor=a%20b",
    ]) {
      const res = await list(alice, query);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ error: { code: "validation_error" } });
    }
  });

  it("documents limit, cursor and X-Next-Cursor in the OpenAPI document", async () => {
    const doc = (await api(server, undefined, "GET", "/openapi.json")).body as {
      paths: Record<string, { get: { parameters: Array<{ name: string; in: string }>; responses: unknown } }>;
    };
    const op = doc.paths["/api/{user_id}/tasks"]?.get;
    expect(op?.parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
      expect.arrayContaining(["status", "limit", "cursor"]),
    );
    expect(JSON.stringify(op?.responses)).toContain("X-Next-Cursor");
  });

  it("pages the MCP list_tasks tool with limit and next_cursor; without them it answers the plain array", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${alice.token}` } },
    });
    const client = new Client({ name: "paging-test", version: "1.0.0" });
    await client.connect(transport);
    const call = async (args: Record<string, unknown>) => {
      const result = (await client.callTool({ name: "list_tasks", arguments: args })) as ToolResult;
      return { isError: result.isError ?? false, text: result.content.map((c) => c.text ?? "").join("") };
    };
    const plain = await call({});
    expect(JSON.parse(plain.text).map((t: { title: string }) => t.title)).toEqual([
      "a7",
      "a6",
      "a5",
      "a4",
      "a3",
      "a2",
      "a1",
    ]);
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = JSON.parse((await call({ limit: 3, ...(cursor && { cursor }) })).text) as {
        tasks: Array<{ title: string }>;
        next_cursor: string | null;
      };
      titles.push(...page.tasks.map((t) => t.title));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(titles).toEqual(["a7", "a6", "a5", "a4", "a3", "a2", "a1"]);
    const bad = await call({ limit: 2, cursor: "bm90LWEtY3Vyc29y" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/cursor/);
    await client.close();
  });
});
