"use client";

import { summarizeToolCall } from "@/lib/tool-calls";
import type { ToolCall } from "@/lib/types";

/** A tool step of a reply: running while the tool works (live, from the stream), then its result. */
export function ToolCallChip({ call, running = false }: { call: ToolCall; running?: boolean }) {
  const { label, failed } = running ? { label: "Running…", failed: false } : summarizeToolCall(call);
  return (
    <details
      className={`tool-call${failed ? " is-failed" : ""}${running ? " is-running" : ""}`}
      data-tool={call.name}
      data-state={running ? "running" : "done"}
    >
      <summary>
        {running ? (
          <span className="tool-spinner" aria-hidden="true" />
        ) : (
          <svg className="tool-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d="M12.5 3.5a4 4 0 0 0-4.9 5.1L3.5 12.7a1.4 1.4 0 0 0 2 2l4.1-4.1a4 4 0 0 0 5.1-4.9l-2.3 2.3-2-.4-.4-2z" />
          </svg>
        )}
        <span className="tool-name">{call.name}</span>
        <span className="tool-label">{label}</span>
      </summary>
      <dl className="tool-detail">
        <dt>Arguments</dt>
        <dd>
          <pre>{JSON.stringify(call.arguments, null, 2)}</pre>
        </dd>
        {!running && (
          <>
            <dt>Result</dt>
            <dd>
              <pre>{JSON.stringify(call.result, null, 2)}</pre>
            </dd>
          </>
        )}
      </dl>
    </details>
  );
}
