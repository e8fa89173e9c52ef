"use client";

import type { ReactNode } from "react";
import type { TasksState } from "@/lib/tasks-store";
import type { Task } from "@/lib/types";
import { TaskItem } from "./task-item";

const EMPTY: Record<TasksState["filter"], { title: string; body: string }> = {
  all: { title: "No tasks yet", body: "Add your first task above, or ask the assistant to add one for you." },
  pending: { title: "All caught up", body: "Nothing is pending. Enjoy the quiet." },
  completed: { title: "Nothing completed yet", body: "Tick a task off and it will show up here." },
};

/** The list with its loading, error and empty states; shared by the tasks page and the chat panel. */
export function TaskList({
  state,
  compact = false,
  onDelete,
  onRetry,
  emptyExtra,
}: {
  state: TasksState;
  compact?: boolean;
  onDelete?: (task: Task) => void;
  onRetry: () => void;
  emptyExtra?: ReactNode;
}) {
  if (state.status === "error" && state.tasks.length === 0) {
    return (
      <div className="state-box error" role="alert">
        <p className="state-title">Couldn't load your tasks</p>
        <p className="muted">{state.error}</p>
        <button type="button" className="button ghost small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (state.status === "idle" || (state.status === "loading" && state.tasks.length === 0)) {
    return (
      <ul className="task-list" aria-busy="true" aria-label="Loading tasks">
        {[0, 1, 2].map((n) => (
          <li key={n} className="task skeleton" />
        ))}
      </ul>
    );
  }
  if (state.tasks.length === 0) {
    const empty = EMPTY[state.filter];
    return (
      <div className="state-box empty">
        <svg className="state-illustration" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <rect x="12" y="10" width="40" height="46" rx="8" />
          <path d="M22 26l5 5 10-10M22 42h20" />
        </svg>
        <p className="state-title">{empty.title}</p>
        <p className="muted">{empty.body}</p>
        {emptyExtra}
      </div>
    );
  }
  return (
    <ul className={`task-list${compact ? " is-compact" : ""}`} aria-label="Tasks">
      {state.tasks.map((task) => (
        <TaskItem key={task.id} task={task} compact={compact} onDelete={onDelete} />
      ))}
    </ul>
  );
}
