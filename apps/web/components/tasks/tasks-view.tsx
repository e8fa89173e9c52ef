"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { tasksStore, useRefreshOnFocus, useTasks } from "@/lib/tasks-store";
import type { Task } from "@/lib/types";
import { ConfirmDialog } from "../confirm-dialog";
import { TaskComposer } from "./task-composer";
import { TaskFilter } from "./task-filter";
import { TaskList } from "./task-list";

export function TasksView() {
  const state = useTasks();
  useRefreshOnFocus();
  const [pendingDelete, setPendingDelete] = useState<Task | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void tasksStore.load();
  }, []);

  async function confirmDelete() {
    if (!pendingDelete) return;
    setDeleting(true);
    try {
      await tasksStore.remove(pendingDelete.id);
      setNotice(`Deleted “${pendingDelete.title}”.`);
      setPendingDelete(null);
    } catch (err) {
      setNotice(err instanceof Error ? err.message : "Couldn't delete the task.");
      setPendingDelete(null);
    } finally {
      setDeleting(false);
    }
  }

  const count = state.tasks.length;
  const done = state.tasks.filter((task) => task.completed).length;
  const label = { all: "task", pending: "pending task", completed: "completed task" }[state.filter];
  const summary =
    state.status !== "ready"
      ? "\u00a0"
      : `${count}${state.nextCursor ? "+" : ""} ${label}${count === 1 && !state.nextCursor ? "" : "s"}${state.filter === "all" && count > 0 ? ` · ${done} done` : ""}`;

  return (
    <div className="page tasks-page">
      <div className="page-header">
        <div>
          <h1>Your tasks</h1>
          <p className="muted" aria-live="polite">
            {summary}
          </p>
          {state.filter === "all" && count > 0 && (
            <div
              className="progress"
              role="progressbar"
              aria-label="Tasks completed"
              aria-valuemin={0}
              aria-valuemax={count}
              aria-valuenow={done}
            >
              <span style={{ width: `${(done / count) * 100}%` }} />
            </div>
          )}
        </div>
        <Link href="/chat" className="button ghost">
          <svg className="button-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d="M4 4h12v9H8l-4 3z" />
          </svg>
          Ask the assistant
        </Link>
      </div>

      <TaskComposer />

      <div className="list-toolbar">
        <TaskFilter value={state.filter} onChange={(filter) => void tasksStore.load(filter)} />
        {state.status === "error" && state.tasks.length > 0 && (
          <p className="form-error" role="alert">
            {state.error}{" "}
            <button type="button" className="link-button" onClick={() => void tasksStore.refresh()}>
              Retry
            </button>
          </p>
        )}
      </div>

      <TaskList state={state} onDelete={setPendingDelete} onRetry={() => void tasksStore.refresh()} />
      {state.status === "ready" && state.nextCursor && (
        <div className="load-more">
          <button
            type="button"
            className="button ghost"
            disabled={state.loadingMore}
            onClick={() => void tasksStore.loadMore()}
          >
            {state.loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      )}

      <p className="visually-hidden" role="status">
        {notice}
      </p>

      <ConfirmDialog
        open={pendingDelete !== null}
        title="Delete this task?"
        message={pendingDelete ? `“${pendingDelete.title}” will be gone for good.` : ""}
        confirmLabel="Delete"
        busy={deleting}
        onConfirm={confirmDelete}
        onCancel={() => setPendingDelete(null)}
      />
    </div>
  );
}
