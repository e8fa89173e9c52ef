// The task list store pages through a long list: a load shows the first page, "Load more" appends
// the next one until X-Next-Cursor runs out, and a filter change starts over. Driven against a
// stand-in backend over real HTTP (the browser's same-origin fetch is pointed at it).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TASK_PAGE_SIZE } from "@/lib/api-client";
import { tasksStore } from "@/lib/tasks-store";
import type { Task } from "@/lib/types";
import { startServer, type TestServer } from "./http-server";

const USER = "user_7";
const TOTAL = 120;
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const token = `${b64url({ alg: "EdDSA" })}.${b64url({ sub: USER, exp: 4_000_000_000 })}.sig`;
// Newest first, like the API: ids TOTAL..1; every fourth task completed.
const all: Task[] = Array.from({ length: TOTAL }, (_, i) => {
  const id = TOTAL - i;
  return {
    id,
    user_id: USER,
    title: `Task ${id}`,
    description: "",
    completed: id % 4 === 0,
    created_at: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    updated_at: new Date(1_700_000_000_000 + id * 1000).toISOString(),
  };
});

let server: TestServer;
/** Delays (ms) for the next list answers. */
const slowLists: number[] = [];
const requested: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/api/auth/token") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token }));
      return;
    }
    if (req.method === "POST") {
      const created = { ...all[0], id: 1000, title: "Added while loading", completed: false } as Task;
      all.unshift(created);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify(created));
      return;
    }
    requested.push(`${url.pathname}${url.search}`);
    // The answer is computed now (the list as it is), and sent late when a test asks for it.
    const delay = slowLists.shift() ?? 0;
    const status = url.searchParams.get("status");
    const matching = all.filter((t) => status === "all" || (status === "completed") === t.completed);
    const after = Number(url.searchParams.get("cursor") ?? Number.POSITIVE_INFINITY);
    const limit = Number(url.searchParams.get("limit"));
    const rest = matching.filter((t) => t.id < after);
    const page = rest.slice(0, limit);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (rest.length > limit) headers["x-next-cursor"] = String(page.at(-1)?.id);
    setTimeout(() => {
      res.writeHead(200, headers);
      res.end(JSON.stringify(page));
    }, delay);
  });
  vi.stubGlobal("fetch", (input: string, init?: RequestInit) => realFetch(`${server.url}${input}`, init));
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

describe("tasks store paging", () => {
  it("loads the first page, appends the next ones with Load more, and stops at the end", async () => {
    await tasksStore.load("all");
    let state = tasksStore.getState();
    expect(state.tasks).toEqual(all.slice(0, TASK_PAGE_SIZE));
    expect(state.nextCursor).not.toBeNull();
    await tasksStore.loadMore();
    await tasksStore.loadMore();
    state = tasksStore.getState();
    expect(state.tasks).toEqual(all);
    expect(state.nextCursor).toBeNull();
    const before = requested.length;
    await tasksStore.loadMore(); // nothing left: no request
    expect(requested.length).toBe(before);
    expect(requested.slice(0, 3)).toEqual([
      `/api/${USER}/tasks?status=all&limit=${TASK_PAGE_SIZE}`,
      `/api/${USER}/tasks?status=all&limit=${TASK_PAGE_SIZE}&cursor=${TOTAL - TASK_PAGE_SIZE + 1}`,
      `/api/${USER}/tasks?status=all&limit=${TASK_PAGE_SIZE}&cursor=${TOTAL - 2 * TASK_PAGE_SIZE + 1}`,
    ]);
  });

  it("starts over from the first page when the filter changes", async () => {
    await tasksStore.load("completed");
    const state = tasksStore.getState();
    expect(state.filter).toBe("completed");
    expect(state.tasks).toEqual(all.filter((t) => t.completed));
    expect(state.nextCursor).toBeNull();
  });

  it("keeps a task added while a load that started before it is still on its way", async () => {
    slowLists.push(300);
    const loading = tasksStore.load("all");
    await new Promise((r) => setTimeout(r, 50)); // the list request is out, its answer not yet in
    await tasksStore.add("Added while loading");
    await loading;
    await expect.poll(() => tasksStore.getState().tasks[0]?.title).toBe("Added while loading");
    expect(tasksStore.getState().status).toBe("ready");
  });
});
