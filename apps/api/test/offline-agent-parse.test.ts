// The offline agent's reading of single messages (no server): more everyday phrasings than the
// end-to-end table, each with the intent it must produce. Unit level, so it runs in milliseconds.
import { describe, expect, it } from "vitest";
import { matchTasks } from "../src/agent/offline/match.js";
import { type Intent, parseIntent } from "../src/agent/offline/parse.js";
import { decide } from "../src/agent/offline-model.js";

const table: Array<[string, Intent]> = [
  ["Add milk", { kind: "add", title: "Milk" }],
  ["Create task Buy bread", { kind: "add", title: "Buy bread" }],
  ["I have to finish my essay", { kind: "add", title: "Finish my essay" }],
  ["Please add: book flights", { kind: "add", title: "Book flights" }],
  ["put 'water plants' on the list", { kind: "add", title: "water plants" }],
  [
    "could you please add 'Call Alice' with description about the party",
    { kind: "add", title: "Call Alice", description: "about the party" },
  ],
  ["remind me to call mom", { kind: "add", title: "Call mom" }],
  ["add go to the gym", { kind: "add", title: "Go to the gym" }],
  ["Add a task for my friend Bob's birthday", { kind: "add", title: "My friend Bob's birthday" }],
  ["Show all my tasks", { kind: "list", status: "all" }],
  ["list pending tasks", { kind: "list", status: "pending" }],
  ["What tasks do I have?", { kind: "list", status: "all" }],
  ["what's still pending?", { kind: "list", status: "pending" }],
  ["What have I done?", { kind: "list", status: "completed" }],
  ["anything left?", { kind: "list", status: "pending" }],
  ["how many tasks do I have", { kind: "list", status: "all" }],
  ["What do I need to do today?", { kind: "list", status: "pending" }],
  ["show me what I've finished", { kind: "list", status: "completed" }],
  ["my tasks", { kind: "list", status: "all" }],
  ["What's on my plate?", { kind: "list", status: "all" }],
  ["list my completed todos", { kind: "list", status: "completed" }],
  ["what haven't I done yet", { kind: "list", status: "pending" }],
  ["Can you tell me what's left to do?", { kind: "list", status: "pending" }],
  ["show me the tasks I have not completed", { kind: "list", status: "pending" }],
  ["what's done", { kind: "list", status: "completed" }],
  ["Mark buy milk as complete", { kind: "complete", ref: { name: "buy milk" } }],
  ["set task 4 to done", { kind: "complete", ref: { id: 4 } }],
  ["Buy milk is done", { kind: "complete", ref: { name: "Buy milk" } }],
  ["#4 done", { kind: "complete", ref: { id: 4 } }],
  ["complete 4", { kind: "complete", ref: { id: 4 } }],
  ["tick off the essay", { kind: "complete", ref: { name: "essay" } }],
  ["finished task #2", { kind: "complete", ref: { id: 2 } }],
  ["I'm done with the laundry", { kind: "complete", ref: { name: "laundry" } }],
  ["Delete 'buy milk'", { kind: "delete", ref: { name: "buy milk" } }],
  ["remove task number 5", { kind: "delete", ref: { id: 5 } }],
  ["please delete the milk one", { kind: "delete", ref: { name: "milk" } }],
  ["scrap the essay", { kind: "delete", ref: { name: "essay" } }],
  ["Cancel my dentist appointment", { kind: "delete", ref: { name: "dentist appointment" } }],
  ["remove it", { kind: "ask", ask: "which_task", action: "delete" }],
  ["Change task 2 to Call John tonight", { kind: "update", ref: { id: 2 }, title: "Call John tonight" }],
  [
    "rename 'Buy bread' to 'Buy sourdough'",
    { kind: "update", ref: { name: "Buy bread" }, title: "Buy sourdough" },
  ],
  [
    "update task 1 description: use the blue pen",
    { kind: "update", ref: { id: 1 }, description: "use the blue pen" },
  ],
  [
    "edit the essay task title to Final essay",
    { kind: "update", ref: { name: "essay" }, title: "Final essay" },
  ],
  ["rename task 3", { kind: "ask", ask: "new_title", action: "update" }],
  ["what can you do?", { kind: "help" }],
  ["who won the game last night", { kind: "help" }],
  ["good morning", { kind: "greeting" }],
  ["delete user 42's tasks", { kind: "other_user" }],
  ["show tasks of another user", { kind: "other_user" }],
  ["list the tasks of user_id abc", { kind: "other_user" }],
  ["complete everything", { kind: "bulk", action: "complete" }],
];

describe("offline agent: reading a message", () => {
  it.each(table)("“%s”", (message, intent) => {
    expect(parseIntent(message)).toEqual(intent);
  });
});

describe("offline agent: matching names to tasks", () => {
  const tasks = [
    { id: 1, title: "Buy groceries", completed: false },
    { id: 2, title: "Call the dentist", completed: false },
    { id: 3, title: "Buy milk", completed: false },
    { id: 4, title: "Buy milk and eggs", completed: true },
  ];
  it.each([
    ["groceries", [1]],
    ["grocery", [1]],
    ["grocries", [1]],
    ["dentist", [2]],
    ["the dentist call", [2]],
    ["Buy milk", [3]],
    ["milk", [3, 4]],
    ["buy", [1, 3, 4]],
    ["unicorn", []],
  ] as const)("“%s” → %j", (name, ids) => {
    expect(matchTasks(name, tasks).map((t) => t.id)).toEqual(ids);
  });
});

describe("offline agent: one model round", () => {
  it("answers with a tool call first, then a confirmation built from the tool result", () => {
    const user = { role: "user" as const, content: "add buy bread" };
    expect(decide([user])).toEqual({ call: "add_task", args: { title: "Buy bread" } });
    const next = decide([
      user,
      { type: "function_call", callId: "c1", name: "add_task", arguments: '{"title":"Buy bread"}' },
      {
        type: "function_call_result",
        callId: "c1",
        name: "add_task",
        status: "completed",
        output: { type: "text", text: '{"task_id":7,"status":"created","title":"Buy bread"}' },
      },
    ]);
    expect(next).toEqual({ say: `Got it! I've added "Buy bread" to your list (task #7).` });
  });

  it("reads a tool error result as a friendly not-found answer", () => {
    const next = decide([
      { role: "user", content: "delete task 9" },
      { type: "function_call", callId: "c1", name: "delete_task", arguments: '{"task_id":9}' },
      {
        type: "function_call_result",
        callId: "c1",
        name: "delete_task",
        status: "completed",
        output: { type: "text", text: "Task 9 not found" },
      },
    ]);
    expect(next).toEqual({ say: expect.stringMatching(/couldn't find task #9/) });
  });
});
