"use client";

import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { fullDate, timeAgo } from "@/lib/format";
import { tasksStore } from "@/lib/tasks-store";
import type { Task } from "@/lib/types";

export function TaskItem({
  task,
  compact = false,
  onDelete,
}: {
  task: Task;
  compact?: boolean;
  onDelete?: (task: Task) => void;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) titleRef.current?.select();
    else if (wasEditing.current) editButtonRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  function startEditing() {
    setTitle(task.title);
    setDescription(task.description);
    setError(null);
    setEditing(true);
  }

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      await tasksStore.toggle(task.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Couldn't update the task.");
    } finally {
      setBusy(false);
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError("The title can't be empty.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await tasksStore.update(task.id, { title: trimmed, description: description.trim() });
      setEditing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Couldn't save the task.");
    } finally {
      setBusy(false);
    }
  }

  function onEditKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      setEditing(false);
    }
  }

  const className = `task${task.completed ? " is-done" : ""}${compact ? " is-compact" : ""}`;

  if (editing) {
    return (
      <li className={`${className} is-editing`} data-task-id={task.id}>
        <form
          className="task-edit"
          onSubmit={save}
          onKeyDown={onEditKeyDown}
          aria-label={`Edit task ${task.id}`}
        >
          <div className="field">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              ref={titleRef}
              id={`${id}-title`}
              value={title}
              maxLength={200}
              onChange={(event) => setTitle(event.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>Notes</label>
            <textarea
              id={`${id}-description`}
              rows={2}
              maxLength={1000}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="task-edit-actions">
            <button type="button" className="button ghost small" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="button primary small" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className={className} data-task-id={task.id} data-completed={task.completed}>
      <input
        type="checkbox"
        className="task-check"
        checked={task.completed}
        onChange={toggle}
        disabled={busy}
        aria-label={task.completed ? `Mark “${task.title}” as pending` : `Mark “${task.title}” as complete`}
        title={task.completed ? "Mark as pending" : "Mark as complete"}
      />
      <div className="task-body">
        {/* Double-click edits in place (the Edit button is the keyboard path). */}
        <p className="task-title" onDoubleClick={compact ? undefined : startEditing}>
          {task.title}
        </p>
        {task.description && !compact && <p className="task-description">{task.description}</p>}
        <p className="task-meta">
          <span className="task-id">#{task.id}</span>
          {!compact && (
            <>
              {" · "}
              <time dateTime={task.updated_at} title={fullDate(task.updated_at)}>
                {task.completed ? "completed " : "updated "}
                {timeAgo(task.updated_at)}
              </time>
            </>
          )}
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      {!compact && (
        <div className="task-actions">
          <button
            ref={editButtonRef}
            type="button"
            className="icon-button"
            onClick={startEditing}
            aria-label={`Edit “${task.title}”`}
            title="Edit"
          >
            <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
              <path d="M13.6 3.4a2 2 0 0 1 2.8 2.8l-9 9-3.9 1.1 1.1-3.9 9-9z" />
            </svg>
          </button>
          <button
            type="button"
            className="icon-button danger"
            onClick={() => onDelete?.(task)}
            aria-label={`Delete “${task.title}”`}
            title="Delete"
          >
            <svg viewBox="0 0 20 20" aria-hidden="true" focusable="false">
              <path d="M4 6h12M8 6V4h4v2M6 6l1 10h6l1-10" />
            </svg>
          </button>
        </div>
      )}
    </li>
  );
}
