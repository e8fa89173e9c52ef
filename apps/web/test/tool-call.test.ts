import { describe, expect, it } from "vitest";
import { summarizeToolCall } from "@/lib/tool-calls";

describe("summarizeToolCall", () => {
  it("names the action and the task for the task-changing tools", () => {
    expect(
      summarizeToolCall({
        name: "add_task",
        arguments: { title: "Buy milk" },
        result: { task_id: 3, status: "created", title: "Buy milk" },
      }),
    ).toEqual({ label: "Added #3 · Buy milk", failed: false });
    expect(
      summarizeToolCall({
        name: "complete_task",
        arguments: { task_id: 3 },
        result: '{"task_id":3,"status":"completed","title":"Buy milk"}',
      }),
    ).toEqual({ label: "Completed #3 · Buy milk", failed: false });
  });

  it("counts the tasks a list returned, with its filter", () => {
    expect(
      summarizeToolCall({
        name: "list_tasks",
        arguments: { status: "pending" },
        result: [{ id: 1 }, { id: 2 }],
      }),
    ).toEqual({ label: "Listed 2 pending tasks", failed: false });
    expect(summarizeToolCall({ name: "list_tasks", arguments: {}, result: [{ id: 1 }] }).label).toBe(
      "Listed 1 task",
    );
  });

  it("marks a tool error as failed", () => {
    expect(
      summarizeToolCall({ name: "delete_task", arguments: { task_id: 99 }, result: "Task 99 not found" }),
    ).toEqual({ label: "delete_task failed", failed: true });
    expect(
      summarizeToolCall({
        name: "complete_task",
        arguments: { task_id: 99 },
        result: { error: "No task with id 99" },
      }),
    ).toEqual({ label: "complete_task failed", failed: true });
  });
});
