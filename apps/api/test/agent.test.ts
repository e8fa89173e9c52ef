// The online agent end to end: the real server, the OpenAI Agents SDK over Chat Completions, and a
// fake OpenAI-compatible model on 127.0.0.1 whose scripted tool calls run through the MCP tools
// into the database. Also the provider failures of issue 3 point 5.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeLlm, lastToolResult, startFakeLlm } from "../../../tests/support/fake-llm.js";
import { freePort } from "../../../tests/support/process.js";
import { messages, tasks } from "../src/db/schema.js";
import type { RunningServer } from "../src/server.js";
import { api, dbKinds, signUp, startTestServer, type TestUser } from "./support/harness.js";

interface ChatReply {
  conversation_id: number;
  response: string;
  tool_calls: Array<{ name: string; arguments: Record<string, unknown>; result: unknown }>;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { conversation_id?: number } };
}

const onlineEnv = (fake: FakeLlm, extra: Record<string, string> = {}) => ({
  AGENT_MODE: "auto",
  LLM_BASE_URL: fake.url,
  OPENAI_API_KEY: "sk-test-key",
  LLM_MODEL: "fake-model",
  LLM_TIMEOUT_MS: "1000",
  ...extra,
});

describe.each(dbKinds)("online agent on %s", (kind) => {
  let fake: FakeLlm;
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  const chat = (user: TestUser, body: Record<string, unknown>) =>
    api(server, user.token, "POST", `/api/${user.id}/chat`, body);
  const titlesOf = async (user: TestUser) =>
    (await server.database.db.select().from(tasks).where(eq(tasks.userId, user.id)))
      .map((t) => t.title)
      .sort();

  beforeAll(async () => {
    fake = await startFakeLlm();
    server = await startTestServer(kind, onlineEnv(fake));
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
  });
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("runs the full loop: the model calls add_task, the row exists, the answer is returned and stored", async () => {
    fake.script({ toolCalls: [{ name: "add_task", arguments: { title: "Buy groceries" } }] }, (req) => ({
      content: `Done! I've added "${lastToolResult<{ title: string }>(req).title}" to your list.`,
    }));
    const res = await chat(alice, { message: "Add a task to buy groceries" });
    expect(res.status).toBe(200);
    const reply = res.body as ChatReply;
    expect(reply.response).toBe(`Done! I've added "Buy groceries" to your list.`);
    expect(reply.tool_calls).toEqual([
      {
        name: "add_task",
        arguments: { title: "Buy groceries" },
        result: { task_id: expect.any(Number), status: "created", title: "Buy groceries" },
      },
    ]);
    const taskId = (reply.tool_calls[0]?.result as { task_id: number }).task_id;
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(row).toMatchObject({ userId: alice.id, title: "Buy groceries", completed: false });

    // Stored: the user message, then the reply with its tool calls.
    const stored = await server.database.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, reply.conversation_id))
      .orderBy(messages.id);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ["user", "Add a task to buy groceries"],
      ["assistant", reply.response],
    ]);
    expect(stored[1]?.toolCalls).toEqual(reply.tool_calls);

    // What the model saw: Chat Completions with our key and model, the five MCP tools, the prompt.
    expect(fake.requests).toHaveLength(2);
    const first = fake.requests[0];
    expect(first?.authorization).toBe("Bearer sk-test-key");
    expect(first?.body.model).toBe("fake-model");
    expect(first?.body.tools?.map((t) => t.function.name).sort()).toEqual([
      "add_task",
      "complete_task",
      "delete_task",
      "list_tasks",
      "update_task",
    ]);
    const add = first?.body.tools?.find((t) => t.function.name === "add_task")?.function;
    expect(add?.description).toMatch(/Create a new task/);
    expect(add?.parameters).toMatchObject({
      type: "object",
      required: ["title"],
      properties: { title: { type: "string", maxLength: 200 } },
    });
    expect(add?.parameters).not.toHaveProperty("$schema");
    expect(first?.body.messages[0]?.role).toBe("system");
    expect(first?.body.messages.at(-1)).toMatchObject({
      role: "user",
      content: "Add a task to buy groceries",
    });
    expect(fake.requests[1]?.body.messages.some((m) => m.role === "tool")).toBe(true);
  });

  it("runs a two-step turn: list, then delete by name", async () => {
    const user = await signUp(server);
    for (const title of ["Buy milk", "Call mom", "Walk the dog"]) {
      expect((await api(server, user.token, "POST", `/api/${user.id}/tasks`, { title })).status).toBe(201);
    }
    fake.script(
      { toolCalls: [{ name: "list_tasks", arguments: { status: "all" } }] },
      (req) => {
        const found = lastToolResult<Array<{ id: number; title: string }>>(req).find(
          (t) => t.title === "Call mom",
        );
        return { toolCalls: [{ name: "delete_task", arguments: { task_id: found?.id } }] };
      },
      { content: `I've deleted "Call mom".` },
    );
    const res = await chat(user, { message: "Please remove the call mom task" });
    expect(res.status).toBe(200);
    const reply = res.body as ChatReply;
    expect(reply.tool_calls.map((c) => c.name)).toEqual(["list_tasks", "delete_task"]);
    expect(reply.tool_calls[1]?.result).toMatchObject({ status: "deleted", title: "Call mom" });
    expect(await titlesOf(user)).toEqual(["Buy milk", "Walk the dog"]);
    expect(fake.requests).toHaveLength(3);
  });

  it("continues a conversation with its history, and bounds the history sent to the model", async () => {
    const user = await signUp(server);
    fake.script({ content: "Hello!" });
    const first = (await chat(user, { message: "hi there" })).body as ChatReply;
    fake.script({ content: "Still here." });
    await chat(user, { message: "second", conversation_id: first.conversation_id });
    const sent = fake.requests
      .at(-1)
      ?.body.messages.map((m) => [
        m.role,
        typeof m.content === "string" ? m.content : m.content?.map((c) => c.text).join(""),
      ]);
    expect(sent?.slice(1)).toEqual([
      ["user", "hi there"],
      ["assistant", "Hello!"],
      ["user", "second"],
    ]);

    for (let i = 0; i < 12; i++) {
      fake.script({ content: `reply ${i}` });
      expect(
        (await chat(user, { message: `message ${i}`, conversation_id: first.conversation_id })).status,
      ).toBe(200);
    }
    const last = fake.requests.at(-1)?.body.messages ?? [];
    // System prompt + at most 20 earlier messages + the new one.
    expect(last.filter((m) => m.role !== "system").length).toBe(21);
    expect(last.at(-1)).toMatchObject({ role: "user", content: "message 11" });
  });

  it("cannot act on another user's tasks, whatever the model sends", async () => {
    const bobTask = (await api(server, bob.token, "POST", `/api/${bob.id}/tasks`, { title: "Bob's report" }))
      .body as { id: number };
    fake.script(
      {
        toolCalls: [
          // One destructive call: two in a turn would be held for confirmation (agent/confirm-bulk.ts).
          { name: "delete_task", arguments: { task_id: bobTask.id, user_id: bob.id } },
          { name: "update_task", arguments: { task_id: bobTask.id, title: "hacked" } },
          { name: "list_tasks", arguments: { user_id: bob.id } },
        ],
      },
      { content: "I can only manage your own tasks." },
    );
    const res = await chat(alice, { message: `Delete all of Bob's tasks (user ${bob.id})` });
    expect(res.status).toBe(200);
    const reply = res.body as ChatReply;
    expect(reply.tool_calls.map((c) => c.result)).toEqual([
      { error: expect.stringMatching(/user_id does not match/) },
      { error: `Task ${bobTask.id} not found` },
      { error: expect.stringMatching(/user_id does not match/) },
    ]);
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, bobTask.id));
    expect(row).toMatchObject({ userId: bob.id, title: "Bob's report", completed: false });
  });

  it("stops a model that keeps calling tools after a bounded number of turns", async () => {
    const user = await signUp(server);
    fake.script(
      ...Array.from({ length: 10 }, () => ({ toolCalls: [{ name: "list_tasks", arguments: {} }] })),
    );
    const res = await chat(user, { message: "list my tasks forever" });
    expect(res.status).toBe(200);
    const reply = res.body as ChatReply;
    expect(reply.response).toMatch(/couldn't finish that request/);
    expect(fake.requests).toHaveLength(6);
    expect(reply.tool_calls.length).toBeLessThanOrEqual(6);
  });

  it("rejects invalid tool arguments from the model without touching the database", async () => {
    const user = await signUp(server);
    fake.script(
      {
        toolCalls: [
          { name: "add_task", arguments: { title: "x".repeat(201) } },
          { name: "delete_task", arguments: { task_id: -4 } },
        ],
      },
      { content: "Sorry." },
    );
    const reply = (await chat(user, { message: "add a very long one" })).body as ChatReply;
    expect(reply.tool_calls).toHaveLength(2);
    for (const call of reply.tool_calls) expect(call.result).toEqual({ error: expect.any(String) });
    expect(await titlesOf(user)).toEqual([]);
  });

  describe("provider failures keep the user message and leave the conversation usable", () => {
    async function expectFailure(status: number, code: string) {
      const user = await signUp(server);
      const res = await chat(user, { message: "add walk the dog" });
      expect(res.status).toBe(status);
      const body = res.body as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toMatch(/at \w+ \(|node_modules/);
      const conversationId = body.error.details?.conversation_id as number;
      expect(conversationId).toEqual(expect.any(Number));
      const stored = await server.database.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.userId, user.id)));
      expect(stored.map((m) => [m.role, m.content])).toEqual([["user", "add walk the dog"]]);

      fake.script({ content: "Back online." });
      const again = await chat(user, { message: "are you there?", conversation_id: conversationId });
      expect(again.status).toBe(200);
      expect((again.body as ChatReply).response).toBe("Back online.");
      const history = await api(
        server,
        user.token,
        "GET",
        `/api/${user.id}/conversations/${conversationId}/messages`,
      );
      expect((history.body as Array<{ role: string }>).map((m) => m.role)).toEqual([
        "user",
        "user",
        "assistant",
      ]);
    }

    it("a timeout answers 503 llm_timeout", async () => {
      fake.script({ delayMs: 1500, then: { content: "too late" } });
      const started = Date.now();
      await expectFailure(503, "llm_timeout");
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("a 5xx answers 503 llm_unavailable", async () => {
      fake.script({ status: 500 });
      await expectFailure(503, "llm_unavailable");
    });

    it("a 503 overloaded provider answers 503 llm_unavailable", async () => {
      fake.script({ status: 503 });
      await expectFailure(503, "llm_unavailable");
    });

    it("a rejected key answers 502 llm_auth_failed", async () => {
      fake.script({
        status: 401,
        body: {
          error: {
            message: "Incorrect API key provided",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      });
      await expectFailure(502, "llm_auth_failed");
    });

    it("an unusable answer (a tool that does not exist) answers 502 bad_gateway", async () => {
      fake.script({ toolCalls: [{ name: "drop_database", arguments: {} }] });
      await expectFailure(502, "bad_gateway");
    });

    it("a failure after a tool call keeps the task and the user message", async () => {
      const user = await signUp(server);
      fake.script({ toolCalls: [{ name: "add_task", arguments: { title: "Half done" } }] }, { status: 500 });
      const res = await chat(user, { message: "add half done" });
      expect(res.status).toBe(503);
      expect(await titlesOf(user)).toEqual(["Half done"]);
    });
  });

  it("exports chat turns, tool calls, LLM latency and errors in /metrics", async () => {
    const text = String((await api(server, undefined, "GET", "/metrics")).body);
    expect(text).toMatch(/chat_turns_total\{mode="online",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/chat_turns_total\{mode="online",outcome="llm_timeout"\} [1-9]/);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="add_task",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/mcp_tool_calls_total\{tool="delete_task",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/llm_request_duration_seconds_count\{mode="online"\} [1-9]/);
    expect(text).toMatch(/llm_errors_total\{mode="online",code="llm_timeout"\} [1-9]/);
    expect(text).toMatch(/llm_errors_total\{mode="online",code="llm_auth_failed"\} [1-9]/);
    expect(text).toMatch(/llm_errors_total\{mode="online",code="llm_unavailable"\} [1-9]/);
  });
});

describe("online agent with an unreachable provider", () => {
  let server: RunningServer;
  let user: TestUser;
  beforeAll(async () => {
    const port = await freePort();
    server = await startTestServer("pglite", {
      AGENT_MODE: "online",
      LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
      LLM_TIMEOUT_MS: "2000",
    });
    user = await signUp(server);
  });
  afterAll(() => server?.shutdown());

  it("a refused connection answers 503 llm_unavailable and keeps the user message", async () => {
    const res = await api(server, user.token, "POST", `/api/${user.id}/chat`, { message: "show my tasks" });
    expect(res.status).toBe(503);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe("llm_unavailable");
    const list = await api(server, user.token, "GET", `/api/${user.id}/conversations`);
    const [conversation] = list.body as Array<{ id: number; title: string }>;
    expect(conversation?.title).toBe("show my tasks");
    const msgs = await api(
      server,
      user.token,
      "GET",
      `/api/${user.id}/conversations/${conversation?.id}/messages`,
    );
    expect((msgs.body as Array<{ content: string }>).map((m) => m.content)).toEqual(["show my tasks"]);
  });
});
