"use client";

// One task list shared by the tasks page and the chat page's side panel, so a change made by the
// assistant shows up wherever tasks are on screen. A tiny external store read with
// useSyncExternalStore; every write goes to the API first, then the list is reloaded or patched.
// The list arrives in pages (TASK_PAGE_SIZE): a load shows the first, loadMore appends the next.
// Not SWR: it would replace only load/loadMore/refresh-on-focus (~70 lines) but add a dependency, a
// React test renderer for the paging and race tests, and hooks for the chat panel's event handlers.

import { useEffect, useSyncExternalStore } from "react";
import { ApiError, api } from "./api-client";
import type { Task, TaskChanges, TaskStatus } from "./types";

export interface TasksState {
  filter: TaskStatus;
  tasks: Task[];
  /** "idle" before the first load. */
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  /** Where the next page starts; null when every task of the filter is shown. */
  nextCursor: string | null;
  loadingMore: boolean;
}

let state: TasksState = {
  filter: "all",
  tasks: [],
  status: "idle",
  error: null,
  nextCursor: null,
  loadingMore: false,
};
const listeners = new Set<() => void>();
let loadSeq = 0;
/** The seq of the load whose answer is awaited, or 0: a write made meanwhile must not be lost. */
let pendingLoad = 0;

function setState(patch: Partial<TasksState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function handleAuthError(error: unknown): void {
  if (error instanceof ApiError && error.isUnauthenticated && typeof window !== "undefined") {
    window.location.assign("/sign-in");
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong.";
}

function matchesFilter(task: Task, filter: TaskStatus): boolean {
  return filter === "all" || (filter === "completed") === task.completed;
}

/** Runs a write; a lost session sends the browser to sign-in, other errors go to the caller. */
async function write<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    handleAuthError(error);
    throw error;
  }
}

export const tasksStore = {
  getState: () => state,

  async load(filter: TaskStatus = state.filter): Promise<void> {
    const seq = ++loadSeq;
    pendingLoad = seq;
    setState({ filter, status: state.status === "ready" && filter === state.filter ? "ready" : "loading" });
    try {
      const page = await api.tasks.page(filter);
      if (seq === loadSeq) {
        setState({ tasks: page.tasks, nextCursor: page.nextCursor, status: "ready", error: null });
      }
    } catch (error) {
      handleAuthError(error);
      if (seq === loadSeq) setState({ status: "error", error: messageOf(error) });
    } finally {
      if (pendingLoad === seq) pendingLoad = 0;
    }
  },

  /** Appends the next page; a load or filter change meanwhile wins. */
  async loadMore(): Promise<void> {
    if (!state.nextCursor || state.loadingMore) return;
    const seq = loadSeq;
    setState({ loadingMore: true });
    try {
      const page = await api.tasks.page(state.filter, state.nextCursor);
      if (seq !== loadSeq) return;
      const shown = new Set(state.tasks.map((task) => task.id));
      setState({
        tasks: [...state.tasks, ...page.tasks.filter((task) => !shown.has(task.id))],
        nextCursor: page.nextCursor,
        error: null,
      });
    } catch (error) {
      handleAuthError(error);
      if (seq === loadSeq) setState({ error: messageOf(error) });
    } finally {
      setState({ loadingMore: false });
    }
  },

  /** Reload after someone else (the assistant) changed tasks. */
  refresh(): Promise<void> {
    return tasksStore.load(state.filter);
  },

  async add(title: string, description?: string): Promise<Task> {
    const task = await write(() => api.tasks.create(description ? { title, description } : { title }));
    if (matchesFilter(task, state.filter)) setState({ tasks: [task, ...state.tasks] });
    // A load that was asked before this task existed would replace the list without it: load again
    // (the newer load wins, the stale answer is dropped).
    if (pendingLoad) void tasksStore.load(state.filter);
    return task;
  },

  async update(id: number, changes: TaskChanges): Promise<Task> {
    const task = await write(() => api.tasks.update(id, changes));
    tasksStore.replace(task);
    return task;
  },

  async toggle(id: number): Promise<Task> {
    const task = await write(() => api.tasks.toggleComplete(id));
    tasksStore.replace(task);
    return task;
  },

  async remove(id: number): Promise<void> {
    await write(() => api.tasks.remove(id));
    setState({ tasks: state.tasks.filter((task) => task.id !== id) });
  },

  replace(task: Task): void {
    setState({
      tasks: state.tasks
        .map((existing) => (existing.id === task.id ? task : existing))
        .filter((existing) => matchesFilter(existing, state.filter)),
    });
  },
};

export function useTasks(): TasksState {
  return useSyncExternalStore(subscribe, tasksStore.getState, tasksStore.getState);
}

/** Reloads the list when the tab becomes visible again: tasks may have changed in another tab. */
export function useRefreshOnFocus(): void {
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible" && state.status !== "idle") void tasksStore.refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);
}

/** Tool names whose calls change tasks (the MCP task tools); a chat reply with one of these triggers a refresh. */
export const MUTATING_TOOLS = new Set(["add_task", "complete_task", "delete_task", "update_task"]);
