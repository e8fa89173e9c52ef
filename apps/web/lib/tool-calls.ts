// One-line summaries of the MCP tool calls in a chat reply (SPEC §3 result shapes).

import type { ToolCall } from "./types";

/** Tool arguments and results may arrive as JSON text (MCP content) or already parsed. */
export function parseToolValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

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
  const result = parseToolValue(call.result);
  const error = field(result, "error") ?? field(result, "isError");
  if (call.name === "list_tasks" && Array.isArray(result)) {
    const status = field(parseToolValue(call.arguments), "status");
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
  if (error || (typeof result === "string" && /not found|error/i.test(result))) {
    return { label: `${call.name} failed`, failed: true };
  }
  return { label: call.name, failed: false };
}
