// The MCP server at /mcp, driven by the official MCP client over real HTTP: tool discovery, each
// tool with a JWT and with a personal API key, argument validation, and user isolation.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tasks } from "../src/db/schema.js";
import { runTool } from "../src/mcp/tools/shared.js";
import type { RunningServer } from "../src/server.js";
import { api, dbKinds, PUBLIC_URL, signUp, startTestServer, type TestUser } from "./support/harness.js";

type ToolResult = { content: Array<{ type: string; text?: string }>; isError?: boolean };

async function connect(server: RunningServer, credential: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${credential}` } },
  });
  const client = new Client({ name: "mcp-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** One JSON-RPC message POSTed to /mcp as a plain HTTP client would, without a session. */
const postMcp = (server: RunningServer, token: string, message: Record<string, unknown>) =>
  fetch(`${server.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", ...message }),
  });

const textOf = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? "").join("");
const jsonOf = <T>(r: unknown): T => {
  expect((r as ToolResult).isError ?? false).toBe(false);
  return JSON.parse(textOf(r)) as T;
};

async function createApiKey(server: RunningServer, user: TestUser, name = "desktop") {
  const res = await fetch(`${server.url}/api/auth/api-key/create`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: user.cookie, origin: PUBLIC_URL },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; key: string; name: string };
}

describe.each(dbKinds)("MCP server on %s", (kind) => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
  });
  afterAll(() => server?.shutdown());

  const rowsOf = (user: TestUser) => server.database.db.select().from(tasks).where(eq(tasks.userId, user.id));

  it("lists the five tools with input schemas and descriptions", async () => {
    const client = await connect(server, alice.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ["add_task", "complete_task", "delete_task", "list_tasks", "update_task"].sort(),
    );
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe("object");
    }
    const add = tools.find((t) => t.name === "add_task");
    expect(add?.inputSchema.required).toEqual(["title"]);
    expect(Object.keys(add?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["title", "description"]),
    );
    await client.close();
  });

  it("calls every tool with a JWT, with the documented results and real rows", async () => {
    const client = await connect(server, alice.token);
    const added = jsonOf<{ task_id: number; status: string; title: string }>(
      await client.callTool({
        name: "add_task",
        arguments: { title: "  Buy milk ", description: "2 litres" },
      }),
    );
    expect(added).toEqual({ task_id: expect.any(Number), status: "created", title: "Buy milk" });
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, added.task_id));
    expect(row).toMatchObject({
      userId: alice.id,
      title: "Buy milk",
      description: "2 litres",
      completed: false,
    });

    const listed = jsonOf<Array<Record<string, unknown>>>(
      await client.callTool({ name: "list_tasks", arguments: { status: "pending" } }),
    );
    expect(listed).toContainEqual({
      id: added.task_id,
      title: "Buy milk",
      description: "2 litres",
      completed: false,
      created_at: expect.any(String),
    });
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual([
      "completed",
      "created_at",
      "description",
      "id",
      "title",
    ]);

    expect(
      jsonOf(
        await client.callTool({
          name: "update_task",
          arguments: { task_id: added.task_id, title: "Buy oat milk" },
        }),
      ),
    ).toEqual({ task_id: added.task_id, status: "updated", title: "Buy oat milk" });
    expect(
      jsonOf(await client.callTool({ name: "complete_task", arguments: { task_id: added.task_id } })),
    ).toEqual({
      task_id: added.task_id,
      status: "completed",
      title: "Buy oat milk",
    });
    // complete sets, never toggles: a repeated call keeps the task completed. A digit string is an id too.
    jsonOf(await client.callTool({ name: "complete_task", arguments: { task_id: String(added.task_id) } }));
    const completed = jsonOf<Array<{ id: number }>>(
      await client.callTool({ name: "list_tasks", arguments: { status: "completed" } }),
    );
    expect(completed.map((t) => t.id)).toContain(added.task_id);

    expect(
      jsonOf(await client.callTool({ name: "delete_task", arguments: { task_id: added.task_id } })),
    ).toEqual({
      task_id: added.task_id,
      status: "deleted",
      title: "Buy oat milk",
    });
    expect(await server.database.db.select().from(tasks).where(eq(tasks.id, added.task_id))).toHaveLength(0);
    await client.close();
  });

  it("answers a missing task with a tool error result, not a protocol error", async () => {
    const client = await connect(server, alice.token);
    for (const name of ["complete_task", "delete_task"]) {
      const result = (await client.callTool({ name, arguments: { task_id: 999_999 } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe("Task 999999 not found");
    }
    const update = (await client.callTool({
      name: "update_task",
      arguments: { task_id: 999_999, title: "x" },
    })) as ToolResult;
    expect(update.isError).toBe(true);
    expect(textOf(update)).toMatch(/not found/);
    await client.close();
  });

  it("validates arguments: positive integer ids, title limits, something to update", async () => {
    const client = await connect(server, alice.token);
    const bad: Array<[string, Record<string, unknown>]> = [
      ["complete_task", { task_id: -1 }],
      ["complete_task", { task_id: 0 }],
      ["delete_task", { task_id: 1.5 }],
      ["delete_task", { task_id: "abc" }],
      ["delete_task", { task_id: true }],
      ["delete_task", { task_id: 2_147_483_648 }],
      ["delete_task", {}],
      ["add_task", { title: "   " }],
      ["add_task", { title: "x".repeat(201) }],
      ["add_task", { title: "ok", description: "d".repeat(1001) }],
      ["add_task", {}],
      ["list_tasks", { status: "everything" }],
      ["update_task", { task_id: 1 }],
    ];
    const before = (await rowsOf(alice)).length;
    for (const [name, args] of bad) {
      const result = (await client.callTool({ name, arguments: args })) as ToolResult;
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
    }
    expect((await rowsOf(alice)).length).toBe(before);
    // 200 characters is still fine.
    const ok = jsonOf<{ title: string }>(
      await client.callTool({ name: "add_task", arguments: { title: "y".repeat(200) } }),
    );
    expect(ok.title).toHaveLength(200);
    await client.close();
  });

  it("never crosses users: foreign ids are not found and a foreign user_id fails", async () => {
    const aliceClient = await connect(server, alice.token);
    const bobClient = await connect(server, bob.token);
    const secret = jsonOf<{ task_id: number }>(
      await aliceClient.callTool({ name: "add_task", arguments: { title: "Alice's secret" } }),
    );
    const aliceBefore = await rowsOf(alice);

    for (const [name, args] of [
      ["complete_task", { task_id: secret.task_id }],
      ["update_task", { task_id: secret.task_id, title: "pwned" }],
      ["delete_task", { task_id: secret.task_id }],
    ] as const) {
      const result = (await bobClient.callTool({ name, arguments: args })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/not found/);
    }
    // A user_id argument naming someone else fails, whatever the tool.
    for (const [name, args] of [
      ["list_tasks", { user_id: alice.id }],
      ["add_task", { title: "planted", user_id: alice.id }],
      ["delete_task", { task_id: secret.task_id, user_id: alice.id }],
      ["complete_task", { task_id: secret.task_id, user_id: alice.id }],
    ] as const) {
      const result = (await bobClient.callTool({ name, arguments: args })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/user_id does not match/);
    }
    const bobList = jsonOf<Array<{ title: string }>>(
      await bobClient.callTool({ name: "list_tasks", arguments: {} }),
    );
    expect(bobList.map((t) => t.title)).not.toContain("Alice's secret");
    expect(await rowsOf(alice)).toEqual(aliceBefore);
    expect((await rowsOf(bob)).map((t) => t.title)).not.toContain("planted");

    // The user's own id is accepted.
    const own = await bobClient.callTool({ name: "list_tasks", arguments: { user_id: bob.id } });
    expect((own as ToolResult).isError ?? false).toBe(false);
    await aliceClient.close();
    await bobClient.close();
  });

  it("accepts a personal API key that its owner can list and revoke", async () => {
    const created = await createApiKey(server, alice);
    expect(created.key.startsWith("todo_")).toBe(true);

    const client = await connect(server, created.key);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(5);
    // Also accepted as an x-api-key header, for clients that can only set a custom header.
    const viaHeader = new Client({ name: "mcp-test", version: "1.0.0" });
    await viaHeader.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { "x-api-key": created.key } },
      }),
    );
    expect((await viaHeader.listTools()).tools).toHaveLength(5);
    await viaHeader.close();
    const added = jsonOf<{ task_id: number }>(
      await client.callTool({ name: "add_task", arguments: { title: "Via API key" } }),
    );
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, added.task_id));
    expect(row?.userId).toBe(alice.id);
    for (const [name, args] of [
      ["list_tasks", { status: "all" }],
      ["update_task", { task_id: added.task_id, description: "from a desktop assistant" }],
      ["complete_task", { task_id: added.task_id }],
      ["delete_task", { task_id: added.task_id }],
    ] as const) {
      expect(((await client.callTool({ name, arguments: args })) as ToolResult).isError ?? false).toBe(false);
    }
    await client.close();

    // Listed for its owner only.
    const list = await fetch(`${server.url}/api/auth/api-key/list`, {
      headers: { cookie: alice.cookie, origin: PUBLIC_URL },
    });
    const listed = (await list.json()) as { apiKeys?: Array<{ id: string }> } | Array<{ id: string }>;
    const ids = (Array.isArray(listed) ? listed : (listed.apiKeys ?? [])).map((k) => k.id);
    expect(ids).toContain(created.id);
    const bobList = await fetch(`${server.url}/api/auth/api-key/list`, {
      headers: { cookie: bob.cookie, origin: PUBLIC_URL },
    });
    expect(JSON.stringify(await bobList.json())).not.toContain(created.id);

    // Bob cannot revoke Alice's key.
    const bobRevoke = await fetch(`${server.url}/api/auth/api-key/delete`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: bob.cookie, origin: PUBLIC_URL },
      body: JSON.stringify({ keyId: created.id }),
    });
    expect(bobRevoke.status).not.toBe(200);
    await (await connect(server, created.key)).close();

    const revoke = await fetch(`${server.url}/api/auth/api-key/delete`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: alice.cookie, origin: PUBLIC_URL },
      body: JSON.stringify({ keyId: created.id }),
    });
    expect(revoke.status).toBe(200);
    await expect(connect(server, created.key)).rejects.toThrow();
  });

  it("an API key acts only as its owner", async () => {
    const bobKey = await createApiKey(server, bob, "bob-cli");
    const aliceTask = jsonOf<{ task_id: number }>(
      await (await connect(server, alice.token)).callTool({
        name: "add_task",
        arguments: { title: "Alice only" },
      }),
    );
    const client = await connect(server, bobKey.key);
    const listed = jsonOf<Array<{ id: number }>>(
      await client.callTool({ name: "list_tasks", arguments: {} }),
    );
    expect(listed.map((t) => t.id)).not.toContain(aliceTask.task_id);
    const del = (await client.callTool({
      name: "delete_task",
      arguments: { task_id: aliceTask.task_id },
    })) as ToolResult;
    expect(del.isError).toBe(true);
    const forged = (await client.callTool({
      name: "add_task",
      arguments: { title: "x", user_id: alice.id },
    })) as ToolResult;
    expect(forged.isError).toBe(true);
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, aliceTask.task_id));
    expect(row?.userId).toBe(alice.id);
    await client.close();
  });

  it("rejects missing, malformed and unknown credentials with 401", async () => {
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    for (const authorization of [
      undefined,
      "Bearer",
      "Bearer not-a-jwt",
      "Bearer todo_notARealKey123",
      "Basic abc",
    ]) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      };
      if (authorization) headers.authorization = authorization;
      const res = await fetch(`${server.url}/mcp`, { method: "POST", headers, body: JSON.stringify(init) });
      expect(res.status, String(authorization)).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
  });

  it("is stateless: GET and DELETE answer 405 with a JSON error, POST answers JSON without a session", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${server.url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    }
    const res = await postMcp(server, alice.token, {
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const body = (await res.json()) as { result: { serverInfo: { name: string } } };
    expect(body.result.serverInfo.name).toBe("todo-chatbot");
  });

  it("answers a body that is not JSON, or not JSON-RPC, with the protocol's errors", async () => {
    const send = (body: string, accept = "application/json, text/event-stream") =>
      fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json", accept },
        body,
      });
    for (const body of ["{oops", ""]) {
      const res = await send(body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    }
    const notRpc = await send(JSON.stringify({ hello: "world" }));
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({
      error: { code: -32700, message: expect.stringMatching(/JSON-RPC/) },
    });
    // The Accept check still comes first, body or not.
    expect((await send("{oops", "application/json")).status).toBe(406);
  });

  it("answers many users at once on the one server, each with their own tasks and their own ids", async () => {
    const aliceOnly = jsonOf<{ task_id: number }>(
      await (await connect(server, alice.token)).callTool({
        name: "add_task",
        arguments: { title: "only alice" },
      }),
    );
    const listAs = async (user: TestUser) => {
      // Every caller uses id 7: the answers must still go to the right caller.
      const res = await postMcp(server, user.token, {
        id: 7,
        method: "tools/call",
        params: { name: "list_tasks", arguments: {} },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: number; result: ToolResult };
      expect(body.id).toBe(7);
      return { user, ids: jsonOf<Array<{ id: number }>>(body.result).map((t) => t.id) };
    };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => listAs(i % 2 ? alice : bob)));
    for (const { user, ids } of answers) {
      const own = (await rowsOf(user)).map((t) => t.id).sort();
      expect([...ids].sort()).toEqual(own);
      expect(ids.includes(aliceOnly.task_id)).toBe(user === alice);
    }
  });

  it("counts tool calls by tool in /metrics", async () => {
    const res = await api(server, undefined, "GET", "/metrics");
    const text = String(res.body);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="add_task",outcome="ok"\} \d+/);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="delete_task",outcome="not_found"\} \d+/);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="list_tasks",outcome="forbidden"\} \d+/);
  });
});

describe("tool failures", () => {
  it("reports an unexpected failure without its message (which could hold SQL text)", async () => {
    const logged: unknown[] = [];
    const ctx = {
      db: undefined as never,
      userId: "u1",
      logger: { error: (obj: unknown) => logged.push(obj) } as never,
    };
    const result = await runTool(ctx, "list_tasks", {}, async () => {
      throw new Error('Failed query: select * from "tasks" where user_id = $1');
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toMatch(/select|tasks"/);
    expect(textOf(result)).toMatch(/went wrong/);
    expect(logged).toHaveLength(1);
  });
});
