// The chat and conversation endpoints (offline agent): stateless turns stored in the
// database, titles, ownership, validation, the per-user rate limit, and resuming after a restart.
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { messages } from "../src/db/schema.js";
import { type RunningServer, startServer } from "../src/server.js";
import { createTask } from "../src/tasks/service.js";
import { api, dbKinds, signUp, startTestServer, type TestUser, testEnv } from "./support/harness.js";

interface ChatReply {
  conversation_id: number;
  response: string;
  tool_calls: Array<{ name: string; arguments: Record<string, unknown>; result: unknown }>;
}
interface Conversation {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
}
interface Message {
  id: number;
  conversation_id: number;
  role: string;
  content: string;
  created_at: string;
}

describe.each(dbKinds)("chat and conversations on %s", (kind) => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  const chat = (user: TestUser, body: unknown) =>
    api(server, user.token, "POST", `/api/${user.id}/chat`, body);

  beforeAll(async () => {
    server = await startTestServer(kind, { AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "1000" });
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
  });
  afterAll(() => server?.shutdown());

  it("keeps what the offline agent waits for as data with its reply, not in its wording", async () => {
    // A question asked: the reply is stored with what it waits for, and the answer is read against it.
    const asked = (await chat(alice, { message: "add a task" })).body as ChatReply;
    const [, question] = await server.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.userId, alice.id), eq(messages.conversationId, asked.conversation_id)))
      .orderBy(asc(messages.id));
    expect(question?.agentState).toEqual({ awaiting: "title" });
    const answered = (
      await chat(alice, { conversation_id: asked.conversation_id, message: "water the ferns" })
    ).body as ChatReply;
    expect(answered.tool_calls.map((c) => c.name)).toEqual(["add_task"]);

    // A reply that only quotes the question's words (a task's title) waits for nothing.
    await createTask(server.database.db, alice.id, { title: "What should the new task say?" });
    const listed = (await chat(alice, { message: "show my tasks" })).body as ChatReply;
    expect(listed.response).toContain("What should the new task say?");
    const next = (await chat(alice, { conversation_id: listed.conversation_id, message: "buy bread" }))
      .body as ChatReply;
    expect(next.tool_calls).toEqual([]);
  });

  it("starts a conversation titled by the first message and answers a ChatReply", async () => {
    const res = await chat(alice, { message: "Add buy groceries" });
    expect(res.status).toBe(200);
    const reply = res.body as ChatReply;
    expect(Object.keys(reply).sort()).toEqual(["conversation_id", "response", "tool_calls"]);
    expect(reply.tool_calls).toEqual([
      {
        name: "add_task",
        arguments: { title: "Buy groceries" },
        result: { task_id: expect.any(Number), status: "created", title: "Buy groceries" },
      },
    ]);
    const list = (await api(server, alice.token, "GET", `/api/${alice.id}/conversations`))
      .body as Conversation[];
    const conversation = list.find((c) => c.id === reply.conversation_id);
    expect(conversation).toEqual({
      id: reply.conversation_id,
      title: "Add buy groceries",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    // The task is visible through the REST API: one task service behind both.
    const tasks = (await api(server, alice.token, "GET", `/api/${alice.id}/tasks`)).body as Array<{
      title: string;
    }>;
    expect(tasks.map((t) => t.title)).toContain("Buy groceries");
  });

  it("shortens long titles at a word boundary", async () => {
    const message = `add ${"remember the very important thing number ".repeat(5)}`.trim();
    const reply = (await chat(alice, { message })).body as ChatReply;
    const list = (await api(server, alice.token, "GET", `/api/${alice.id}/conversations`))
      .body as Conversation[];
    const title = list.find((c) => c.id === reply.conversation_id)?.title ?? "";
    expect(title.length).toBeLessThanOrEqual(61);
    expect(title.endsWith("…")).toBe(true);
    expect(message.startsWith(title.slice(0, -1))).toBe(true);
  });

  it("continues a conversation and lists its messages oldest first", async () => {
    const first = (await chat(alice, { message: "add walk the dog" })).body as ChatReply;
    await chat(alice, { message: "what's left?", conversation_id: first.conversation_id });
    const res = await api(
      server,
      alice.token,
      "GET",
      `/api/${alice.id}/conversations/${first.conversation_id}/messages`,
    );
    expect(res.status).toBe(200);
    const msgs = res.body as Message[];
    expect(msgs.map((m) => [m.role, m.content.split("\n")[0]])).toEqual([
      ["user", "add walk the dog"],
      ["assistant", expect.stringContaining('added "Walk the dog"')],
      ["user", "what's left?"],
      ["assistant", expect.stringMatching(/left:$/)],
    ]);
    expect(Object.keys(msgs[0] ?? {}).sort()).toEqual([
      "content",
      "conversation_id",
      "created_at",
      "id",
      "role",
    ]);
    expect(msgs.every((m) => m.conversation_id === first.conversation_id)).toBe(true);
    const ids = msgs.map((m) => m.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    // The most recently active conversation comes first.
    const list = (await api(server, alice.token, "GET", `/api/${alice.id}/conversations`))
      .body as Conversation[];
    expect(list[0]?.id).toBe(first.conversation_id);
  });

  it("answers 404 for an unknown or another user's conversation, and stores nothing", async () => {
    const mine = (await chat(alice, { message: "hello" })).body as ChatReply;
    const before = (
      (
        await api(
          server,
          alice.token,
          "GET",
          `/api/${alice.id}/conversations/${mine.conversation_id}/messages`,
        )
      ).body as Message[]
    ).length;

    const foreign = await chat(bob, { message: "delete task 1", conversation_id: mine.conversation_id });
    expect(foreign.status).toBe(404);
    expect((foreign.body as { error: { code: string } }).error.code).toBe("not_found");
    const foreignRead = await api(
      server,
      bob.token,
      "GET",
      `/api/${bob.id}/conversations/${mine.conversation_id}/messages`,
    );
    expect(foreignRead.status).toBe(404);
    expect(await chat(alice, { message: "hi", conversation_id: 2_000_000_000 })).toMatchObject({
      status: 404,
    });
    expect(
      (await api(server, alice.token, "GET", `/api/${alice.id}/conversations/2000000000/messages`)).status,
    ).toBe(404);

    const after = (
      (
        await api(
          server,
          alice.token,
          "GET",
          `/api/${alice.id}/conversations/${mine.conversation_id}/messages`,
        )
      ).body as Message[]
    ).length;
    expect(after).toBe(before);
    const bobList = (await api(server, bob.token, "GET", `/api/${bob.id}/conversations`))
      .body as Conversation[];
    expect(bobList.map((c) => c.id)).not.toContain(mine.conversation_id);
  });

  it("requires a token (401) for the path's own user (403)", async () => {
    expect((await api(server, undefined, "POST", `/api/${alice.id}/chat`, { message: "hi" })).status).toBe(
      401,
    );
    expect((await api(server, bob.token, "POST", `/api/${alice.id}/chat`, { message: "hi" })).status).toBe(
      403,
    );
    expect((await api(server, bob.token, "GET", `/api/${alice.id}/conversations`)).status).toBe(403);
    expect((await api(server, undefined, "GET", `/api/${alice.id}/conversations/1/messages`)).status).toBe(
      401,
    );
  });

  it("validates the body (400) and its type (415)", async () => {
    for (const body of [
      {},
      { message: "" },
      { message: "   " },
      { message: 42 },
      { message: "x".repeat(4001) },
      { message: "hi", conversation_id: "abc" },
      { message: "hi", conversation_id: -1 },
      { message: "hi", conversation_id: 1.5 },
      { message: "hi", user_id: "someone" },
    ]) {
      const res = await chat(alice, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe("validation_error");
    }
    const res = await fetch(`${server.url}/api/${alice.id}/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(415);
    expect(
      (await api(server, alice.token, "GET", `/api/${alice.id}/conversations/abc/messages`)).status,
    ).toBe(400);
  });

  it("documents the chat and conversation routes in /openapi.json", async () => {
    const doc = (await api(server, undefined, "GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths["/api/{user_id}/chat"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/{user_id}/conversations"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/api/{user_id}/conversations/{id}/messages"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["ChatRequest", "ChatReply", "Conversation", "Message"]),
    );
  });

  it("counts offline chat turns in /metrics", async () => {
    const text = String((await api(server, undefined, "GET", "/metrics")).body);
    expect(text).toMatch(/chat_turns_total\{mode="offline",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/llm_request_duration_seconds_count\{mode="offline"\} [1-9]/);
  });
});

describe("chat rate limit", () => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startTestServer("pglite", { AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "3" });
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
  });
  afterAll(() => server?.shutdown());

  it("answers 429 with Retry-After past CHAT_RATE_LIMIT_PER_MINUTE, per user, storing nothing", async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await api(server, alice.token, "POST", `/api/${alice.id}/chat`, { message: `hi ${i}` })).status,
      ).toBe(200);
    }
    const limited = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, { message: "one more" });
    expect(limited.status).toBe(429);
    expect((limited.body as { error: { code: string } }).error.code).toBe("rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const list = (await api(server, alice.token, "GET", `/api/${alice.id}/conversations`))
      .body as Conversation[];
    expect(list.map((c) => c.title)).not.toContain("one more");
    // Other users have their own budget; reading history is not limited.
    expect((await api(server, bob.token, "POST", `/api/${bob.id}/chat`, { message: "hi" })).status).toBe(200);
    expect((await api(server, alice.token, "GET", `/api/${alice.id}/conversations`)).status).toBe(200);
    const metrics = String((await api(server, undefined, "GET", "/metrics")).body);
    expect(metrics).toMatch(/chat_turns_total\{mode="offline",outcome="rate_limited"\} 1/);
  });
});

describe.each(dbKinds)("conversations survive a restart on %s", (kind) => {
  it("resumes a conversation on a new server process over the same database", async () => {
    const env = await testEnv(kind, { AGENT_MODE: "offline" });
    let server = await startServer(loadConfig(env));
    const user = await signUp(server);
    const first = (
      await api(server, user.token, "POST", `/api/${user.id}/chat`, { message: "add buy bread" })
    ).body as ChatReply;
    await server.shutdown();

    server = await startServer(loadConfig(env));
    try {
      const res = await api(server, user.token, "POST", `/api/${user.id}/chat`, {
        message: "what's left?",
        conversation_id: first.conversation_id,
      });
      expect(res.status).toBe(200);
      expect((res.body as ChatReply).response).toMatch(/Buy bread/);
      const msgs = (
        await api(
          server,
          user.token,
          "GET",
          `/api/${user.id}/conversations/${first.conversation_id}/messages`,
        )
      ).body as Message[];
      expect(msgs.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    } finally {
      await server.shutdown();
    }
  });
});
