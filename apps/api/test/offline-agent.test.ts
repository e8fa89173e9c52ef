// The offline agent through the real chat endpoint: a table of everyday utterances, each with the
// tool calls it must make (through the SDK runner and the MCP tools) and its effect on the
// database. "{id:Title}" in an utterance stands for the id of the seeded task with that title.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tasks } from "../src/db/schema.js";
import type { RunningServer } from "../src/server.js";
import { createTask, updateTask } from "../src/tasks/service.js";
import { api, signUp, startTestServer, type TestUser } from "./support/harness.js";

type Effect =
  | { added: string; description?: string }
  | { completed: string }
  | { deleted: string }
  | { renamed: [string, string] }
  | { described: [string, string] }
  | "none";

interface Case {
  say: string;
  /** Tasks present before the message; [title, true] is a completed one. */
  seed?: Array<string | [string, boolean]>;
  calls: string[];
  /** Expected arguments (partial) of each call, by position. */
  args?: Array<Record<string, unknown> | undefined>;
  effect: Effect;
  reply?: RegExp;
}

const DEFAULT_SEED: Case["seed"] = ["Buy groceries", "Call mom", ["Pay rent", true]];

const cases: Case[] = [
  // ---- add ----------------------------------------------------------------------------------
  {
    say: "add buy groceries",
    seed: [],
    calls: ["add_task"],
    args: [{ title: "Buy groceries" }],
    effect: { added: "Buy groceries" },
    reply: /added "Buy groceries"/,
  },
  { say: "Add a task to call the plumber", calls: ["add_task"], effect: { added: "Call the plumber" } },
  {
    say: "Please create a new task: renew passport",
    calls: ["add_task"],
    effect: { added: "Renew passport" },
  },
  { say: "remember to water the plants", calls: ["add_task"], effect: { added: "Water the plants" } },
  {
    say: "I need to book a dentist appointment",
    calls: ["add_task"],
    effect: { added: "Book a dentist appointment" },
  },
  {
    say: 'add "Pay the electricity bill" to my list',
    calls: ["add_task"],
    effect: { added: "Pay the electricity bill" },
  },
  { say: "Remind me to email the landlord", calls: ["add_task"], effect: { added: "Email the landlord" } },
  { say: "new task: clean the garage", calls: ["add_task"], effect: { added: "Clean the garage" } },
  {
    say: "Could you add buy milk with description 2 litres, semi-skimmed?",
    calls: ["add_task"],
    args: [{ title: "Buy milk", description: "2 litres, semi-skimmed" }],
    effect: { added: "Buy milk", description: "2 litres, semi-skimmed" },
  },
  { say: "add 'read chapter 3'", calls: ["add_task"], effect: { added: "read chapter 3" } },
  {
    say: "can you put pick up the dry cleaning on my list?",
    calls: ["add_task"],
    effect: { added: "Pick up the dry cleaning" },
  },
  {
    say: "hey, jot down: call the bank about the card",
    calls: ["add_task"],
    effect: { added: "Call the bank about the card" },
  },
  { say: "add milk and eggs to the shopping list", calls: ["add_task"], effect: { added: "Milk and eggs" } },
  { say: "Remind me tomorrow to call John", calls: ["add_task"], effect: { added: "Call John tomorrow" } },
  { say: "add", calls: [], effect: "none", reply: /What should the new task say/ },
  { say: `add ${"very ".repeat(50)}long`, calls: [], effect: "none", reply: /up to 200 characters/ },
  // ---- list ---------------------------------------------------------------------------------
  {
    say: "show me my tasks",
    calls: ["list_tasks"],
    args: [{ status: "all" }],
    effect: "none",
    reply: /^(?=[\s\S]*• #\d+ Buy groceries)(?=[\s\S]*✓ #\d+ Pay rent)/,
  },
  {
    say: "What's left?",
    calls: ["list_tasks"],
    args: [{ status: "pending" }],
    effect: "none",
    reply: /2 tasks left/,
  },
  { say: "what's pending", calls: ["list_tasks"], args: [{ status: "pending" }], effect: "none" },
  {
    say: "What have I completed?",
    calls: ["list_tasks"],
    args: [{ status: "completed" }],
    effect: "none",
    reply: /Pay rent/,
  },
  { say: "what did I finish", calls: ["list_tasks"], args: [{ status: "completed" }], effect: "none" },
  { say: "list everything", calls: ["list_tasks"], args: [{ status: "all" }], effect: "none" },
  {
    say: "Do I have anything left to do?",
    calls: ["list_tasks"],
    args: [{ status: "pending" }],
    effect: "none",
  },
  { say: "show completed tasks", calls: ["list_tasks"], args: [{ status: "completed" }], effect: "none" },
  { say: "what's on my todo list?", calls: ["list_tasks"], args: [{ status: "all" }], effect: "none" },
  {
    say: "which tasks are still open?",
    calls: ["list_tasks"],
    args: [{ status: "pending" }],
    effect: "none",
  },
  {
    say: "what's left",
    seed: [["Pay rent", true]],
    calls: ["list_tasks"],
    effect: "none",
    reply: /all caught up/,
  },
  { say: "show my tasks", seed: [], calls: ["list_tasks"], effect: "none", reply: /list is empty/ },
  // ---- complete -----------------------------------------------------------------------------
  {
    say: "mark task {id:Call mom} as done",
    calls: ["complete_task"],
    effect: { completed: "Call mom" },
    reply: /marked "Call mom"/,
  },
  { say: "complete #{id:Buy groceries}", calls: ["complete_task"], effect: { completed: "Buy groceries" } },
  { say: "task {id:Call mom} is done", calls: ["complete_task"], effect: { completed: "Call mom" } },
  {
    say: "I finished the groceries one",
    calls: ["list_tasks", "complete_task"],
    effect: { completed: "Buy groceries" },
  },
  { say: "done with call mom", calls: ["list_tasks", "complete_task"], effect: { completed: "Call mom" } },
  {
    say: "check off 'Buy groceries'",
    calls: ["list_tasks", "complete_task"],
    effect: { completed: "Buy groceries" },
  },
  {
    say: "I've completed walking the dog",
    seed: ["Walk the dog", "Buy milk"],
    calls: ["list_tasks", "complete_task"],
    effect: { completed: "Walk the dog" },
  },
  {
    say: "mark the dentist one as complete",
    seed: ["Book dentist appointment", "Buy milk"],
    calls: ["list_tasks", "complete_task"],
    effect: { completed: "Book dentist appointment" },
  },
  {
    say: "finish call",
    seed: [["Call the bank", true], "Call the plumber"],
    calls: ["list_tasks", "complete_task"],
    effect: { completed: "Call the plumber" },
  },
  {
    say: "finish the report",
    seed: ["Write the report", "Read the report"],
    calls: ["list_tasks"],
    effect: "none",
    reply: /Which one did you mean\?(?=[\s\S]*Write the report)(?=[\s\S]*Read the report)/,
  },
  {
    say: "complete task 999999",
    calls: ["complete_task"],
    effect: "none",
    reply: /couldn't find task #999999/,
  },
  { say: "I finished paying rent", calls: ["list_tasks"], effect: "none", reply: /already marked as done/ },
  // ---- delete -------------------------------------------------------------------------------
  {
    say: "delete task {id:Call mom}",
    calls: ["delete_task"],
    effect: { deleted: "Call mom" },
    reply: /deleted "Call mom"/,
  },
  { say: "remove #{id:Pay rent}", calls: ["delete_task"], effect: { deleted: "Pay rent" } },
  {
    say: "cancel the gym one",
    seed: ["Go to the gym", "Buy milk"],
    calls: ["list_tasks", "delete_task"],
    effect: { deleted: "Go to the gym" },
  },
  {
    say: "get rid of 'Buy groceries'",
    calls: ["list_tasks", "delete_task"],
    effect: { deleted: "Buy groceries" },
  },
  {
    say: "delete milk",
    seed: ["Buy milk", "Buy milk and eggs"],
    calls: ["list_tasks"],
    effect: "none",
    reply: /2 tasks matching "milk"/,
  },
  {
    say: "remove the task about taxes",
    seed: ["File taxes", "Buy milk"],
    calls: ["list_tasks", "delete_task"],
    effect: { deleted: "File taxes" },
  },
  {
    say: "delete the unicorn task",
    calls: ["list_tasks"],
    effect: "none",
    reply: /couldn't find a task matching "unicorn"/,
  },
  {
    say: "I don't need to call mom anymore",
    calls: ["list_tasks", "delete_task"],
    effect: { deleted: "Call mom" },
  },
  {
    say: "take buy groceries off my list",
    calls: ["list_tasks", "delete_task"],
    effect: { deleted: "Buy groceries" },
  },
  { say: "delete all my tasks", calls: [], effect: "none", reply: /one at a time/ },
  { say: "delete task 999999", calls: ["delete_task"], effect: "none", reply: /couldn't find task #999999/ },
  // ---- update -------------------------------------------------------------------------------
  {
    say: "rename task {id:Call mom} to Call mom and dad",
    calls: ["update_task"],
    args: [{ title: "Call mom and dad" }],
    effect: { renamed: ["Call mom", "Call mom and dad"] },
  },
  {
    say: 'change "Buy groceries" to "Buy groceries for the week"',
    calls: ["list_tasks", "update_task"],
    effect: { renamed: ["Buy groceries", "Buy groceries for the week"] },
  },
  {
    say: "update the description of task {id:Pay rent} to bring the receipts",
    calls: ["update_task"],
    args: [{ description: "bring the receipts" }],
    effect: { described: ["Pay rent", "bring the receipts"] },
  },
  {
    say: "update task {id:Call mom} description: ask about Sunday",
    calls: ["update_task"],
    args: [{ description: "ask about Sunday" }],
    effect: { described: ["Call mom", "ask about Sunday"] },
  },
  {
    say: "change 'B' to 'Bake a cake'",
    seed: ["B", "Buy milk"],
    calls: ["list_tasks", "update_task"],
    effect: { renamed: ["B", "Bake a cake"] },
  },
  {
    say: "rename the groceries one to buy fruit",
    calls: ["list_tasks", "update_task"],
    effect: { renamed: ["Buy groceries", "Buy fruit"] },
  },
  {
    say: "rename task 999999 to nothing",
    calls: ["update_task"],
    effect: "none",
    reply: /couldn't find task #999999/,
  },
  // ---- everything else ----------------------------------------------------------------------
  { say: "hello", calls: [], effect: "none", reply: /I can add tasks/ },
  { say: "What's the weather like today?", calls: [], effect: "none", reply: /I can add tasks/ },
  { say: "tell me a joke", calls: [], effect: "none", reply: /todo assistant/ },
  { say: "thanks!", calls: [], effect: "none", reply: /welcome/ },
  {
    say: "delete all of Bob's tasks",
    calls: [],
    effect: "none",
    reply: /only see and change your own tasks/,
  },
  { say: "complete task 1 for user abc123", calls: [], effect: "none", reply: /your own tasks/ },
];

describe("offline agent", () => {
  let server: RunningServer;
  let alice: TestUser;
  let bob: TestUser;
  let bobRows: unknown[];
  const snapshot = async (userId: string) =>
    (await server.database.db.select().from(tasks).where(eq(tasks.userId, userId))).map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      completed: t.completed,
    }));

  beforeAll(async () => {
    server = await startTestServer("pglite", { AGENT_MODE: "offline", CHAT_RATE_LIMIT_PER_MINUTE: "100000" });
    alice = await signUp(server, "Alice");
    bob = await signUp(server, "Bob");
    await createTask(server.database.db, bob.id, { title: "Bob's report" });
    await createTask(server.database.db, bob.id, { title: "Buy groceries" });
    bobRows = await snapshot(bob.id);
  });
  afterAll(() => server?.shutdown());

  async function seed(items: NonNullable<Case["seed"]>) {
    await server.database.db.delete(tasks).where(eq(tasks.userId, alice.id));
    const ids = new Map<string, number>();
    for (const item of items) {
      const [title, done] = typeof item === "string" ? [item, false] : item;
      const task = await createTask(server.database.db, alice.id, { title });
      if (done) await updateTask(server.database.db, alice.id, task.id, { completed: true });
      ids.set(title, task.id);
    }
    return ids;
  }

  it("has a table of at least 40 utterances", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("“$say”", async (c) => {
    const ids = await seed(c.seed ?? DEFAULT_SEED);
    const message = c.say.replace(/\{id:([^}]+)\}/g, (_, title: string) => String(ids.get(title)));
    const before = await snapshot(alice.id);
    const res = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, { message });
    expect(res.status).toBe(200);
    const reply = res.body as {
      response: string;
      tool_calls: Array<{ name: string; arguments: Record<string, unknown>; result: unknown }>;
    };
    expect(reply.tool_calls.map((t) => t.name)).toEqual(c.calls);
    c.args?.forEach((args, i) => {
      if (args) expect(reply.tool_calls[i]?.arguments).toMatchObject(args);
    });
    if (c.reply) expect(reply.response).toMatch(c.reply);
    expect(reply.response.length).toBeGreaterThan(0);

    const after = await snapshot(alice.id);
    const byTitle = (rows: typeof before, title: string) => rows.find((r) => r.title === title);
    const others = (rows: typeof before, id: number | undefined) => rows.filter((r) => r.id !== id);
    const e = c.effect;
    if (e === "none") {
      expect(after).toEqual(before);
    } else if ("added" in e) {
      expect(after).toHaveLength(before.length + 1);
      const added = byTitle(after, e.added);
      expect(added).toMatchObject({ completed: false, description: e.description ?? "" });
      expect(others(after, added?.id)).toEqual(before);
    } else if ("completed" in e) {
      const target = byTitle(before, e.completed);
      expect(target?.completed).toBe(false);
      expect(byTitle(after, e.completed)?.completed).toBe(true);
      expect(others(after, target?.id)).toEqual(others(before, target?.id));
    } else if ("deleted" in e) {
      const target = byTitle(before, e.deleted);
      expect(target).toBeDefined();
      expect(after).toEqual(others(before, target?.id));
    } else if ("renamed" in e) {
      const target = byTitle(before, e.renamed[0]);
      expect(after.find((r) => r.id === target?.id)?.title).toBe(e.renamed[1]);
      expect(others(after, target?.id)).toEqual(others(before, target?.id));
    } else {
      const target = byTitle(before, e.described[0]);
      expect(after.find((r) => r.id === target?.id)?.description).toBe(e.described[1]);
      expect(others(after, target?.id)).toEqual(others(before, target?.id));
    }
    // Another user's tasks never change, whatever Alice says.
    expect(await snapshot(bob.id)).toEqual(bobRows);
  });

  it("asks which task when several match, then acts on the answer (by number)", async () => {
    const ids = await seed(["Buy milk", "Buy milk and eggs", "Call mom"]);
    const first = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, { message: "delete milk" });
    const conversation_id = (first.body as { conversation_id: number }).conversation_id;
    expect((first.body as { response: string }).response).toMatch(/Which one did you mean/);
    const second = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, {
      conversation_id,
      message: `#${ids.get("Buy milk and eggs")}`,
    });
    expect((second.body as { response: string }).response).toMatch(/deleted "Buy milk and eggs"/);
    expect((await snapshot(alice.id)).map((t) => t.title).sort()).toEqual(["Buy milk", "Call mom"]);
  });

  it("asks which task when several match, then acts on the answer (by position)", async () => {
    await seed(["Write the report", "Read the report"]);
    const first = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, {
      message: "finish the report",
    });
    const conversation_id = (first.body as { conversation_id: number }).conversation_id;
    const listedFirst = /#\d+ (.+)\n/.exec((first.body as { response: string }).response)?.[1];
    const second = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, {
      conversation_id,
      message: "the first one",
    });
    expect((second.body as { response: string }).response).toMatch(/marked .* as done/);
    const done = (await snapshot(alice.id)).filter((t) => t.completed).map((t) => t.title);
    expect(done).toEqual([listedFirst]);
  });

  it("asks for a title when none is given, then adds the answer", async () => {
    await seed([]);
    const first = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, { message: "add a task" });
    const conversation_id = (first.body as { conversation_id: number }).conversation_id;
    expect((first.body as { tool_calls: unknown[] }).tool_calls).toEqual([]);
    const second = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, {
      conversation_id,
      message: "buy a birthday present",
    });
    expect((second.body as { response: string }).response).toMatch(/added "Buy a birthday present"/);
    expect((await snapshot(alice.id)).map((t) => t.title)).toEqual(["Buy a birthday present"]);
  });

  it("cannot reach another user's task by id", async () => {
    await seed(["Mine"]);
    const [bobTask] = bobRows as Array<{ id: number }>;
    const res = await api(server, alice.token, "POST", `/api/${alice.id}/chat`, {
      message: `delete task ${bobTask?.id}`,
    });
    expect((res.body as { response: string }).response).toMatch(/couldn't find task/);
    expect(await snapshot(bob.id)).toEqual(bobRows);
  });
});
