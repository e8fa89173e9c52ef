// One-line summaries of the MCP tool calls in a chat reply. The API sends arguments and results as
// values (a tool error as {error}), on the stream and in a reopened conversation alike.

import type { ToolCall } from "./types";

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

const VERBS: Record<string, string> = {
  created: "Added",
  completed: "Completed",
  deleted: "Deleted",
  updated: "Updated",
};

/** "Added #3 · buy milk", "Listed 2 pending tasks", or "<tool> failed". */
export function summarizeToolCall(call: ToolCall): { label: string; failed: boolean } {
  const result = call.result;
  if (call.name === "list_tasks" && Array.isArray(result)) {
    const status = field(call.arguments, "status");
    const which = typeof status === "string" && status !== "all" ? `${status} ` : "";
    return { label: `Listed ${result.length} ${which}task${result.length === 1 ? "" : "s"}`, failed: false };
  }
  const status = field(result, "status");
  const taskId = field(result, "task_id");
  const title = field(result, "title");
  if (typeof status === "string" && VERBS[status] && taskId !== undefined) {
    return {
      label: `${VERBS[status]} #${taskId}${typeof title === "string" ? ` · ${title}` : ""}`,
      failed: false,
    };
  }
  if (field(result, "error") !== undefined) {
    return { label: `${call.name} failed`, failed: true };
  }
  return { label: call.name, failed: false };
}
