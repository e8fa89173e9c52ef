// The `helm test` script (charts/todo-chatbot/files/smoke.mjs) run against a fake of the app's HTTP API
// on loopback: proves it follows the auth flow (Origin header, session cookie -> JWT -> user id), goes
// through the frontend for the task calls, and fails loudly on a bad answer. No cluster needed.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { chartDir } from "./support/tools";

const script = join(chartDir, "files/smoke.mjs");
const publicUrl = "http://todo.test:30080";

interface Seen {
  method: string;
  path: string;
  via: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

function fakeApp(via: string, seen: Seen[], options: { readyStatus?: number } = {}): Promise<Server> {
  const userId = "user-123";
  const payload = Buffer.from(JSON.stringify({ sub: userId })).toString("base64url");
  const token = `e30.${payload}.sig`;
  const tasks: { id: number; title: string }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    const path = req.url ?? "";
    seen.push({ method: req.method ?? "", path, via, headers: req.headers, body });
    const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(data === undefined ? "" : JSON.stringify(data));
    };
    const authed = req.headers.authorization === `Bearer ${token}`;
    if (path === "/healthz") return send(200, { status: "ok" });
    if (path === "/readyz") return send(options.readyStatus ?? 200, { status: "ready" });
    if (path === "/api/auth/sign-up/email" && req.method === "POST") {
      if (req.headers.origin !== publicUrl) return send(403, { code: "MISSING_OR_NULL_ORIGIN" });
      // Like the API: sign-up opens no session.
      return send(200, { token: null, user: { id: userId } });
    }
    if (path === "/api/auth/sign-in/email" && req.method === "POST") {
      if (req.headers.origin !== publicUrl) return send(403, { code: "MISSING_OR_NULL_ORIGIN" });
      return send(200, { user: { id: userId } }, { "set-cookie": "session=abc; Path=/; HttpOnly" });
    }
    if (path === "/api/auth/token") {
      if (!req.headers.cookie?.includes("session=abc")) return send(401, {});
      return send(200, { token });
    }
    if (!authed) return send(401, { error: { code: "unauthorized" } });
    if (path === `/api/${userId}/tasks` && req.method === "POST") {
      const task = { id: tasks.length + 1, title: (body as { title: string }).title };
      tasks.push(task);
      return send(201, task);
    }
    if (path === `/api/${userId}/tasks` && req.method === "GET") return send(200, tasks);
    if (path.startsWith(`/api/${userId}/tasks/`) && req.method === "DELETE") return send(204);
    if (path === `/api/${userId}/chat` && req.method === "POST") {
      return send(200, { conversation_id: 1, response: "Added 'test the chart'.", tool_calls: [] });
    }
    return send(404, {});
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

function runSmoke(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

describe("helm test smoke script", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  test("signs up, gets a JWT, does the task round trip through the frontend and one chat turn", async () => {
    const seen: Seen[] = [];
    const backend = await fakeApp("backend", seen);
    const frontend = await fakeApp("frontend", seen);
    servers.push(backend, frontend);
    const { code, out } = await runSmoke({
      BACKEND_URL: url(backend),
      FRONTEND_URL: url(frontend),
      PUBLIC_URL: publicUrl,
    });
    expect(out).toContain("checks passed");
    expect(code).toBe(0);
    const calls = seen.map((s) => `${s.via} ${s.method} ${s.path}`);
    expect(calls).toEqual([
      "backend GET /healthz",
      "backend GET /readyz",
      "frontend GET /healthz",
      "backend POST /api/auth/sign-up/email",
      "backend POST /api/auth/sign-in/email",
      "backend GET /api/auth/token",
      "frontend POST /api/user-123/tasks",
      "frontend GET /api/user-123/tasks",
      "frontend DELETE /api/user-123/tasks/1",
      "backend POST /api/user-123/chat",
    ]);
    expect(seen.find((s) => s.path.endsWith("/chat"))?.body).toEqual({
      message: "add a task to test the chart",
    });
  });

  test("fails with a message naming the step when the backend is not ready", async () => {
    const seen: Seen[] = [];
    const backend = await fakeApp("backend", seen, { readyStatus: 503 });
    servers.push(backend);
    const { code, out } = await runSmoke({
      BACKEND_URL: url(backend),
      FRONTEND_URL: "",
      PUBLIC_URL: publicUrl,
    });
    expect(code).toBe(1);
    expect(out).toMatch(/not ok 2 - backend \/readyz .*answered 503/);
  });
});
