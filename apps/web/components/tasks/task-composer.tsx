"use client";

import { type FormEvent, useId, useRef, useState } from "react";
import { tasksStore } from "@/lib/tasks-store";

export function TaskComposer() {
  const id = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [showDetails, setShowDetails] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError("Give your task a title.");
      titleRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await tasksStore.add(trimmed, description.trim() || undefined);
      setTitle("");
      setDescription("");
      setShowDetails(false);
      titleRef.current?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Couldn't add the task.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="composer card" onSubmit={onSubmit} aria-label="Add a task">
      <div className="composer-row">
        <label htmlFor={`${id}-title`} className="visually-hidden">
          New task title
        </label>
        <input
          ref={titleRef}
          id={`${id}-title`}
          className="composer-input"
          placeholder="What needs doing?"
          value={title}
          maxLength={200}
          onChange={(event) => setTitle(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          autoComplete="off"
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? "Adding…" : "Add task"}
        </button>
      </div>
      {showDetails ? (
        <div className="field">
          <label htmlFor={`${id}-description`}>Notes (optional)</label>
          <textarea
            id={`${id}-description`}
            rows={2}
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
      ) : (
        <button type="button" className="link-button" onClick={() => setShowDetails(true)}>
          + Add notes
        </button>
      )}
      {error && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
