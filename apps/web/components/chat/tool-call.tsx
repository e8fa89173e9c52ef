"use client";

import type { ToolCall } from "@/lib/types";

function parse(value: unknown): unknown {
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

/** One line per tool call ("Added #3 · buy milk"), expandable to the raw arguments and result. */
export function summarizeToolCall(call: ToolCall): { label: string; failed: boolean } {
  const result = parse(call.result);
  const error = field(result, "error") ?? field(result, "isError");
  if (call.name === "list_tasks" && Array.isArray(result)) {
    const status = field(parse(call.arguments), "status");
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

export function ToolCallChip({ call }: { call: ToolCall }) {
  const { label, failed } = summarizeToolCall(call);
  return (
    <details className={`tool-call${failed ? " is-failed" : ""}`} data-tool={call.name}>
      <summary>
        <svg className="tool-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
          <path d="M12.5 3.5a4 4 0 0 0-4.9 5.1L3.5 12.7a1.4 1.4 0 0 0 2 2l4.1-4.1a4 4 0 0 0 5.1-4.9l-2.3 2.3-2-.4-.4-2z" />
        </svg>
        <span className="tool-name">{call.name}</span>
        <span className="tool-label">{label}</span>
      </summary>
      <dl className="tool-detail">
        <dt>Arguments</dt>
        <dd>
          <pre>{JSON.stringify(parse(call.arguments), null, 2)}</pre>
        </dd>
        <dt>Result</dt>
        <dd>
          <pre>{JSON.stringify(parse(call.result), null, 2)}</pre>
        </dd>
      </dl>
    </details>
  );
}
