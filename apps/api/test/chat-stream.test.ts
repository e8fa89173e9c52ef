// The chat endpoint streaming its turn as Server-Sent Events (issue 13 point 1): the same
// POST /api/{user_id}/chat with `Accept: text/event-stream`, the offline and the online agent through
// the one runner, events in the order the turn makes them, the stored conversation identical to a
// JSON turn's, and a client that goes away stopping the model call with the partial reply stored.
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeLlm, lastToolResult, startFakeLlm } from "../../../tests/support/fake-llm.js";
import { STOPPED_MARK } from "../src/chat/store.js";
import { messages, tasks } from "../src/db/schema.js";
import type { RunningServer } from "../src/server.js";
import { api, dbKinds, signUp, startTestServer, type TestUser } from "./support/harness.js";

interface ChatReply {
  conversation_id: number;
  response: string;
  tool_calls: Array<{ name: string; arguments: Record<string, unknown>; result: unknown }>;
}
interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads Server-Sent Events off a response body as they arrive. */
async function* readEvents(res: Response): AsyncGenerator<SseEvent> {
  if (!res.body) throw new Error("no body");
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

function streamChat(
  server: RunningServer,
  user: TestUser,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${server.url}/api/${user.id}/chat`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${user.token}`,
      "content-type": "application/json",
      accept: "text/event-stream",
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

async function allEvents(res: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const e of readEvents(res)) events.push(e);
  return events;
}

const deltaText = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === "delta")
    .map((e) => (e.data as { text: string }).text)
    .join("");

async function storedMessages(server: RunningServer, user: TestUser, conversationId: number) {
  return server.database.db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, user.id), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.id));
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(dbKinds)("streamed chat, offline agent, on %s", (kind) => {
  let server: RunningServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(kind, { AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "1000" });
    user = await signUp(server);
  });
  afterAll(() => server?.shutdown());

  it("streams deltas, the tool call when it starts and returns, then done with the ChatReply that is stored", async () => {
    const res = await streamChat(server, user, { message: "add a task to buy milk" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("cache-control")).toContain("no-transform");
    const events = await allEvents(res);

    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(["tool_call", "tool_result"]);
    expect(names.at(-1)).toBe("done");
    expect(new Set(names.slice(2, -1))).toEqual(new Set(["delta"]));
    expect(names.filter((n) => n === "delta").length).toBeGreaterThan(3);
    expect(events[0]?.data).toEqual({ name: "add_task", arguments: { title: "Buy milk" } });
    expect(events[1]?.data).toEqual({
      name: "add_task",
      result: { task_id: expect.any(Number), status: "created", title: "Buy milk" },
    });

    const reply = events.at(-1)?.data as ChatReply;
    expect(Object.keys(reply).sort()).toEqual(["conversation_id", "response", "tool_calls"]);
    expect(reply.response).toBe(deltaText(events));
    expect(reply.response).toMatch(/added "Buy milk"/);
    expect(reply.tool_calls).toEqual([
      {
        name: "add_task",
        arguments: { title: "Buy milk" },
        result: (events[1]?.data as { result: unknown }).result,
      },
    ]);

    const stored = await storedMessages(server, user, reply.conversation_id);
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ["user", "add a task to buy milk"],
      ["assistant", reply.response],
    ]);
    expect(stored[1]?.toolCalls).toEqual(reply.tool_calls);
    const taskId = (reply.tool_calls[0]?.result as { task_id: number }).task_id;
    const [row] = await server.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(row).toMatchObject({ userId: user.id, title: "Buy milk" });

    // The history endpoint gives the tool calls back with the assistant message (Message.tool_calls).
    const history = await api(
      server,
      user.token,
      "GET",
      `/api/${user.id}/conversations/${reply.conversation_id}/messages`,
    );
    const listed = history.body as Array<{ role: string; tool_calls?: unknown }>;
    expect(listed[0]).not.toHaveProperty("tool_calls");
    expect(listed[1]?.tool_calls).toEqual(reply.tool_calls);
  });

  it("gives the same stored turn as the JSON answer (one endpoint, one runner)", async () => {
    const json = (
      await api(server, user.token, "POST", `/api/${user.id}/chat`, { message: "what's pending?" })
    ).body as ChatReply;
    const streamed = (await allEvents(await streamChat(server, user, { message: "what's pending?" }))).at(-1)
      ?.data as ChatReply;
    expect(streamed.response).toBe(json.response);
    expect(streamed.tool_calls).toEqual(json.tool_calls);
  });

  it("answers request errors before streaming with their status and JSON body", async () => {
    const bad = await streamChat(server, user, { message: "" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_error");
    const missing = await streamChat(server, user, { message: "hi", conversation_id: 999_999 });
    expect(missing.status).toBe(404);
    const other = await signUp(server);
    const forbidden = await fetch(`${server.url}/api/${other.id}/chat`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${user.token}`,
        "content-type": "application/json",
        accept: "text/event-stream",
      },
      body: JSON.stringify({ message: "hi" }),
    });
    expect(forbidden.status).toBe(403);
  });
});

describe("streamed chat, online agent (Chat Completions streaming, as Ollama speaks it)", () => {
  let fake: FakeLlm;
  let server: RunningServer;
  let user: TestUser;

  beforeAll(async () => {
    fake = await startFakeLlm();
    server = await startTestServer("pglite", {
      AGENT_MODE: "auto",
      LLM_BASE_URL: fake.url,
      LLM_MODEL: "llama3.2",
      LLM_TIMEOUT_MS: "5000",
      CHAT_RATE_LIMIT_PER_MINUTE: "1000",
    });
    user = await signUp(server);
  });
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("streams the model's tokens and tool steps through the Agents SDK and stores the turn", async () => {
    fake.script({ toolCalls: [{ name: "add_task", arguments: { title: "Water the plants" } }] }, (req) => ({
      content: `Added "${lastToolResult<{ title: string }>(req).title}" to your list.`,
    }));
    const events = await allEvents(
      await streamChat(server, user, { message: "remind me to water the plants" }),
    );
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true, true]);
    expect(fake.requests[0]?.authorization).toBe("Bearer not-needed");
    const names = events.map((e) => e.event);
    expect(names.slice(0, 2)).toEqual(["tool_call", "tool_result"]);
    expect(names.slice(2, -1)).toEqual(Array(7).fill("delta"));
    expect(names.at(-1)).toBe("done");
    expect(deltaText(events)).toBe(`Added "Water the plants" to your list.`);
    const reply = events.at(-1)?.data as ChatReply;
    expect(reply.response).toBe(`Added "Water the plants" to your list.`);
    expect(reply.tool_calls[0]).toMatchObject({ name: "add_task", result: { status: "created" } });
    const stored = await storedMessages(server, user, reply.conversation_id);
    expect(stored.map((m) => m.content)).toEqual(["remind me to water the plants", reply.response]);
  });

  it("sends the first token before the model has finished", async () => {
    fake.script({ content: "one two three four five six seven eight", chunkDelayMs: 150 });
    const res = await streamChat(server, user, { message: "count slowly" });
    const events = readEvents(res);
    const first = await events.next();
    expect(first.value).toEqual({ event: "delta", data: { text: "one " } });
    expect(fake.requests[0]?.completed).toBe(false);
    const rest: SseEvent[] = [];
    for await (const e of events) rest.push(e);
    expect(rest.at(-1)?.event).toBe("done");
    expect(fake.requests[0]?.completed).toBe(true);
  });

  it("a client that disconnects mid-turn stops the model call; the partial reply is stored, marked", async () => {
    fake.script({
      content: "Here is a very long answer that nobody will read to the end",
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const res = await streamChat(server, user, { message: "tell me everything" }, controller.signal);
    const events = readEvents(res);
    const seen: string[] = [];
    for (;;) {
      const { value } = await events.next();
      if (value?.event === "delta") seen.push((value.data as { text: string }).text);
      if (seen.length === 3) break;
    }
    controller.abort();
    await until(() => fake.requests[0]?.aborted === true, "the model call to be aborted");
    expect(fake.requests[0]?.completed).toBe(false);

    const conversations = (await api(server, user.token, "GET", `/api/${user.id}/conversations`))
      .body as Array<{
      id: number;
    }>;
    const conversationId = conversations[0]?.id as number;
    await until(
      async () => (await storedMessages(server, user, conversationId)).length === 2,
      "the stopped reply to be stored",
    );
    const stored = await storedMessages(server, user, conversationId);
    expect(stored[0]).toMatchObject({ role: "user", content: "tell me everything" });
    expect(stored[1]?.role).toBe("assistant");
    const content = stored[1]?.content ?? "";
    expect(content.endsWith(`\n\n${STOPPED_MARK}`)).toBe(true);
    // Everything the client saw is kept (the server may have streamed a little more before it noticed).
    expect(content.startsWith(seen.join("").trim())).toBe(true);
    expect(content).not.toContain("to the end");

    // The conversation goes on: the next turn sends the stopped reply as history.
    fake.script({ content: "Sure, briefly then." });
    const next = (
      await allEvents(
        await streamChat(server, user, { message: "short version", conversation_id: conversationId }),
      )
    ).at(-1)?.data as ChatReply;
    expect(next.response).toBe("Sure, briefly then.");
    const sent = fake.requests.at(-1)?.body.messages ?? [];
    const last = sent.filter((m) => m.role === "assistant").at(-1)?.content;
    expect(typeof last === "string" ? last : last?.map((p) => p.text).join("")).toBe(content);
  });

  it("a bulk delete proposed while the turn streams is held: nothing runs, the question is streamed", async () => {
    const titles = ["Stream one", "Stream two", "Stream three"];
    const ids: number[] = [];
    for (const title of titles) {
      ids.push(
        ((await api(server, user.token, "POST", `/api/${user.id}/tasks`, { title })).body as { id: number })
          .id,
      );
    }
    const deleteAll = { toolCalls: ids.map((id) => ({ name: "delete_task", arguments: { task_id: id } })) };
    fake.script(deleteAll, { content: "All gone!" });
    const events = await allEvents(await streamChat(server, user, { message: "delete those three" }));
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true]);
    // No tool ran, so no tool_call / tool_result events: only the question, then done.
    expect(new Set(events.slice(0, -1).map((e) => e.event))).toEqual(new Set(["delta"]));
    const asked = events.at(-1)?.data as ChatReply;
    expect(events.at(-1)?.event).toBe("done");
    expect(deltaText(events)).toBe(asked.response);
    expect(asked.response).toMatch(/confirm/);
    for (const title of titles) expect(asked.response).toContain(title);
    expect(asked.tool_calls).toEqual(
      ids.map((id) => ({
        name: "delete_task",
        arguments: { task_id: id },
        result: expect.objectContaining({ awaiting_confirmation: true }),
      })),
    );
    const left = async () =>
      ((await api(server, user.token, "GET", `/api/${user.id}/tasks`)).body as Array<{ id: number }>).map(
        (t) => t.id,
      );
    for (const id of ids) expect(await left()).toContain(id);
    const stored = await storedMessages(server, user, asked.conversation_id);
    expect(stored[1]?.toolCalls).toEqual(asked.tool_calls);

    // The streamed "yes" runs exactly the held calls.
    fake.script(deleteAll, { content: "Deleted all three." });
    const done = (
      await allEvents(
        await streamChat(server, user, { message: "yes", conversation_id: asked.conversation_id }),
      )
    ).at(-1)?.data as ChatReply;
    expect(done.response).toBe("Deleted all three.");
    expect(done.tool_calls.map((c) => (c.result as { status?: string }).status)).toEqual(
      ids.map(() => "deleted"),
    );
    const after = await left();
    for (const id of ids) expect(after).not.toContain(id);
  });

  it("a provider failure mid-stream ends with an error event carrying the conversation id", async () => {
    fake.script({ status: 500 });
    const events = await allEvents(await streamChat(server, user, { message: "add walk the dog" }));
    expect(events.map((e) => e.event)).toEqual(["error"]);
    const error = (
      events[0]?.data as { error: { code: string; message: string; details: { conversation_id: number } } }
    ).error;
    expect(error.code).toBe("llm_unavailable");
    const stored = await storedMessages(server, user, error.details.conversation_id);
    expect(stored.map((m) => [m.role, m.content])).toEqual([["user", "add walk the dog"]]);
  });
});

describe("streamed chat and the chat rate limit", () => {
  let server: RunningServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer("pglite", { AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "2" });
    user = await signUp(server);
  });
  afterAll(() => server?.shutdown());

  it("counts streamed turns, and answers 429 (JSON, before any event) past the limit", async () => {
    for (const message of ["add a task to buy milk", "what's pending?"]) {
      const events = await allEvents(await streamChat(server, user, { message }));
      expect(events.at(-1)?.event).toBe("done");
    }
    const limited = await streamChat(server, user, { message: "one more" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    // The same budget answers the JSON endpoint.
    const json = await api(server, user.token, "POST", `/api/${user.id}/chat`, { message: "and JSON" });
    expect(json.status).toBe(429);
  });
});
