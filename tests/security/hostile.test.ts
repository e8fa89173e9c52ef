// Hostile input against the real API over real HTTP: each case sends one malformed, oversized,
// forged or foreign request, asserts the status and the error code, and asserts that no user's
// data (users, tasks, conversations, messages) changed.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds, PUBLIC_URL } from "../../apps/api/test/support/harness.js";
import { codeOf, type Stack, startStack } from "./support/stack.js";

interface Case {
  name: string;
  /** The request, built from the stack (users, their tasks). */
  send: (s: Stack, ids: Ids) => Promise<{ status: number; body: unknown; headers: Headers }>;
  status: number;
  code?: string;
}

interface Ids {
  aliceTask: number;
  bobTask: number;
  bobConversation: number;
}

async function call(
  s: Stack,
  method: string,
  path: string,
  opts: { token?: string | null; body?: string; type?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? s.alice.token : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  const res = await fetch(`${s.server.url}${path}`, { method, headers, body: opts.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

const tasksOf = (s: Stack) => `/api/${s.alice.id}/tasks`;
const post = (body: string, type?: string) => (s: Stack) =>
  call(s, "POST", tasksOf(s), type ? { body, type } : { body });
const json = (v: unknown) => JSON.stringify(v);

const forgedKey = await generateKeyPair("EdDSA", { crv: "Ed25519" });
const forge = (sub: string, mutate: (jwt: SignJWT) => SignJWT = (j) => j) =>
  mutate(new SignJWT({}).setProtectedHeader({ alg: "EdDSA" }).setSubject(sub))
    .setIssuer(PUBLIC_URL)
    .setAudience(PUBLIC_URL)
    .setExpirationTime("10m")
    .sign(forgedKey.privateKey);

const rest: Case[] = [
  { name: "body that is not JSON", send: post("{not json"), status: 400, code: "validation_error" },
  { name: "a JSON array instead of an object", send: post("[]"), status: 400, code: "validation_error" },
  {
    name: "a JSON string instead of an object",
    send: post('"title"'),
    status: 400,
    code: "validation_error",
  },
  {
    name: "title of the wrong type (number)",
    send: post(json({ title: 42 })),
    status: 400,
    code: "validation_error",
  },
  { name: "title null", send: post(json({ title: null })), status: 400, code: "validation_error" },
  {
    name: "title only whitespace",
    send: post(json({ title: "   \t " })),
    status: 400,
    code: "validation_error",
  },
  {
    name: "title of 201 characters",
    send: post(json({ title: "t".repeat(201) })),
    status: 400,
    code: "validation_error",
  },
  {
    name: "description of 1001 characters",
    send: post(json({ title: "ok", description: "d".repeat(1001) })),
    status: 400,
    code: "validation_error",
  },
  {
    name: "an extra user_id field (mass assignment)",
    send: (s) => call(s, "POST", tasksOf(s), { body: json({ title: "mine", user_id: s.bob.id }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "an extra completed field on create",
    send: post(json({ title: "x", completed: true, id: 1 })),
    status: 400,
    code: "validation_error",
  },
  { name: "NUL in a title", send: post(json({ title: "a\u0000b" })), status: 400, code: "validation_error" },
  {
    name: "NUL in a description",
    send: post(json({ title: "ok", description: "\u0000" })),
    status: 400,
    code: "validation_error",
  },
  {
    name: "a lone high surrogate in a title",
    send: post('{"title":"a\\ud800b"}'),
    status: 400,
    code: "validation_error",
  },
  {
    name: "a lone low surrogate in a description",
    send: post('{"title":"ok","description":"\\udc00"}'),
    status: 400,
    code: "validation_error",
  },
  {
    name: "invalid UTF-8 bytes in the body",
    send: post('{"title":"\xff\xfe"}', "application/json"),
    status: 201,
  },
  {
    name: "a body over 1 MiB",
    send: post(json({ title: "x".repeat(1_100_000) })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "text/plain body",
    send: post(json({ title: "x" }), "text/plain"),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "form-encoded body",
    send: post("title=x", "application/x-www-form-urlencoded"),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "PUT with an empty object",
    send: (s, ids) => call(s, "PUT", `${tasksOf(s)}/${ids.aliceTask}`, { body: "{}" }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "PUT completed as a string",
    send: (s, ids) => call(s, "PUT", `${tasksOf(s)}/${ids.aliceTask}`, { body: json({ completed: "yes" }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id 0",
    send: (s) => call(s, "GET", `${tasksOf(s)}/0`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id -1",
    send: (s) => call(s, "GET", `${tasksOf(s)}/-1`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id 1.5",
    send: (s) => call(s, "GET", `${tasksOf(s)}/1.5`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id past int4",
    send: (s) => call(s, "GET", `${tasksOf(s)}/2147483648`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id that is not a number",
    send: (s) => call(s, "GET", `${tasksOf(s)}/abc`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "task id with SQL in it",
    send: (s) => call(s, "DELETE", `${tasksOf(s)}/1%20or%201=1`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "an unknown status filter",
    send: (s) => call(s, "GET", `${tasksOf(s)}?status=deleted`),
    status: 400,
    code: "validation_error",
  },
  {
    name: "GET another user's task by id",
    send: (s, ids) => call(s, "GET", `${tasksOf(s)}/${ids.bobTask}`),
    status: 404,
    code: "not_found",
  },
  {
    name: "PUT another user's task",
    send: (s, ids) => call(s, "PUT", `${tasksOf(s)}/${ids.bobTask}`, { body: json({ title: "pwned" }) }),
    status: 404,
    code: "not_found",
  },
  {
    name: "DELETE another user's task",
    send: (s, ids) => call(s, "DELETE", `${tasksOf(s)}/${ids.bobTask}`),
    status: 404,
    code: "not_found",
  },
  {
    name: "PATCH complete on another user's task",
    send: (s, ids) => call(s, "PATCH", `${tasksOf(s)}/${ids.bobTask}/complete`),
    status: 404,
    code: "not_found",
  },
  {
    name: "another user's id in the path",
    send: (s) => call(s, "GET", `/api/${s.bob.id}/tasks`),
    status: 403,
    code: "forbidden",
  },
  {
    name: "another user's id in the path, on create",
    send: (s) => call(s, "POST", `/api/${s.bob.id}/tasks`, { body: json({ title: "planted" }) }),
    status: 403,
    code: "forbidden",
  },
  {
    name: "a path user id with a NUL",
    send: (s) => call(s, "GET", "/api/%00/tasks"),
    status: 403,
    code: "forbidden",
  },
];

const tokens: Case[] = [
  {
    name: "no Authorization header",
    send: (s) => call(s, "GET", tasksOf(s), { token: null }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a garbage bearer token",
    send: (s) => call(s, "GET", tasksOf(s), { token: "garbage" }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "Basic instead of Bearer",
    send: (s) =>
      call(s, "GET", tasksOf(s), { token: null, headers: { authorization: "Basic YWxpY2U6cHc=" } }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: 'an unsigned token (alg "none")',
    send: (s) =>
      call(s, "GET", tasksOf(s), {
        token: new UnsecuredJWT({})
          .setSubject(s.alice.id)
          .setIssuer(PUBLIC_URL)
          .setAudience(PUBLIC_URL)
          .encode(),
      }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a token signed with a key not in the JWKS",
    send: async (s) => call(s, "GET", tasksOf(s), { token: await forge(s.alice.id) }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a real token with its subject swapped (signature mismatch)",
    send: (s) => {
      const [h, p, sig] = s.alice.token.split(".");
      const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as Record<string, unknown>;
      const swapped = Buffer.from(JSON.stringify({ ...payload, sub: s.bob.id })).toString("base64url");
      return call(s, "GET", `/api/${s.bob.id}/tasks`, { token: `${h}.${swapped}.${sig}` });
    },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a real token with its signature cut off",
    send: (s) => call(s, "GET", tasksOf(s), { token: s.alice.token.split(".").slice(0, 2).join(".") }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a session cookie instead of a bearer token",
    send: (s) => call(s, "GET", tasksOf(s), { token: null, headers: { cookie: s.alice.cookie } }),
    status: 401,
    code: "unauthorized",
  },
];

const chat: Case[] = [
  {
    name: "chat message with a NUL",
    send: (s) => call(s, "POST", `/api/${s.alice.id}/chat`, { body: json({ message: "add \u0000 milk" }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "chat message with a lone surrogate",
    send: (s) => call(s, "POST", `/api/${s.alice.id}/chat`, { body: '{"message":"add \\ud83d milk"}' }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "chat message of 4001 characters",
    send: (s) => call(s, "POST", `/api/${s.alice.id}/chat`, { body: json({ message: "m".repeat(4001) }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "chat message of the wrong type",
    send: (s) => call(s, "POST", `/api/${s.alice.id}/chat`, { body: json({ message: ["add", "milk"] }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "chat conversation_id as a string",
    send: (s) =>
      call(s, "POST", `/api/${s.alice.id}/chat`, { body: json({ message: "hi", conversation_id: "1" }) }),
    status: 400,
    code: "validation_error",
  },
  {
    name: "chat in another user's conversation",
    send: (s, ids) =>
      call(s, "POST", `/api/${s.alice.id}/chat`, {
        body: json({ message: "show my tasks", conversation_id: ids.bobConversation }),
      }),
    status: 404,
    code: "not_found",
  },
  {
    name: "reading another user's conversation",
    send: (s, ids) => call(s, "GET", `/api/${s.alice.id}/conversations/${ids.bobConversation}/messages`),
    status: 404,
    code: "not_found",
  },
  {
    name: "chat as another user (path)",
    send: (s) => call(s, "POST", `/api/${s.bob.id}/chat`, { body: json({ message: "delete all my tasks" }) }),
    status: 403,
    code: "forbidden",
  },
];

// What a browser adds to a request a page on another site makes (Fetch Metadata).
const crossSite = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" };

const auth: Case[] = [
  {
    name: "sign-up with a 50,000-character name",
    send: (s) =>
      call(s, "POST", "/api/auth/sign-up/email", {
        token: null,
        headers: { origin: PUBLIC_URL },
        body: json({
          name: "n".repeat(50_000),
          email: `long-${Date.now()}@example.com`,
          password: "long name pass",
        }),
      }),
    status: 400,
    code: "INVALID_NAME",
  },
  {
    name: "sign-up with a NUL in the name",
    send: (s) =>
      call(s, "POST", "/api/auth/sign-up/email", {
        token: null,
        headers: { origin: PUBLIC_URL },
        body: json({ name: "a\u0000b", email: `nul-${Date.now()}@example.com`, password: "nul name pass" }),
      }),
    status: 400,
    code: "INVALID_NAME",
  },
  {
    name: "sign-out from a foreign origin with the victim's cookie (CSRF)",
    send: (s) =>
      call(s, "POST", "/api/auth/sign-out", {
        token: null,
        headers: { origin: "https://evil.example", cookie: s.alice.cookie, ...crossSite },
        body: "{}",
      }),
    status: 403,
    code: "INVALID_ORIGIN",
  },
  {
    name: "an API key created from a foreign origin with the victim's cookie (CSRF)",
    send: (s) =>
      call(s, "POST", "/api/auth/api-key/create", {
        token: null,
        headers: { origin: "https://evil.example", cookie: s.alice.cookie, ...crossSite },
        body: json({ name: "attacker's key" }),
      }),
    status: 403,
    code: "INVALID_ORIGIN",
  },
  {
    name: "sign-in with the wrong password",
    send: (s) =>
      call(s, "POST", "/api/auth/sign-in/email", {
        token: null,
        headers: { origin: PUBLIC_URL },
        body: json({ email: s.alice.email, password: "not the password" }),
      }),
    status: 401,
    code: "INVALID_EMAIL_OR_PASSWORD",
  },
  {
    name: "a token request with a forged session cookie",
    send: (s) =>
      call(s, "GET", "/api/auth/token", {
        token: null,
        headers: { origin: PUBLIC_URL, cookie: "better-auth.session_token=forged.value" },
      }),
    status: 401,
  },
  {
    name: "an API key as a bearer on the REST API (keys are for /mcp only)",
    send: async (s) => {
      const res = await fetch(`${s.server.url}/api/auth/api-key/create`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: s.alice.cookie, origin: PUBLIC_URL },
        body: json({ name: "rest attempt" }),
      });
      const { key } = (await res.json()) as { key: string };
      expect(key).toMatch(/^todo_/);
      return call(s, "GET", tasksOf(s), { token: key });
    },
    status: 401,
    code: "unauthorized",
  },
];

const cors: Case[] = [
  {
    name: "CORS preflight from a foreign origin gets no allow-origin",
    send: (s) =>
      call(s, "OPTIONS", tasksOf(s), {
        token: null,
        headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
      }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a cross-origin GET gets no allow-origin",
    send: (s) => call(s, "GET", tasksOf(s), { headers: { origin: "https://evil.example" } }),
    status: 200,
  },
  {
    name: "a cross-origin auth preflight gets no allow-origin",
    send: (s) =>
      call(s, "OPTIONS", "/api/auth/sign-in/email", {
        token: null,
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      }),
    status: 401,
    code: "unauthorized",
  },
];

const mcpPost = (s: Stack, body: string, headers: Record<string, string> = {}) =>
  call(s, "POST", "/mcp", {
    body,
    headers: { accept: "application/json, text/event-stream", ...headers },
  });
const rpc = (method: string, params: unknown) => json({ jsonrpc: "2.0", id: 1, method, params });

const mcp: Case[] = [
  {
    name: "MCP without a credential",
    send: (s) => call(s, "POST", "/mcp", { token: null, body: rpc("tools/list", {}) }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "MCP with a forged token",
    send: async (s) =>
      call(s, "POST", "/mcp", { token: await forge(s.alice.id), body: rpc("tools/list", {}) }),
    status: 401,
    code: "unauthorized",
  },
  {
    name: "MCP with a forged x-api-key",
    send: (s) =>
      call(s, "POST", "/mcp", {
        token: null,
        headers: { "x-api-key": "todo_forged" },
        body: rpc("tools/list", {}),
      }),
    status: 401,
    code: "unauthorized",
  },
  { name: "MCP body that is not JSON", send: (s) => mcpPost(s, "{oops"), status: 400 },
  {
    name: "MCP GET (stateless server)",
    send: (s) => call(s, "GET", "/mcp"),
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "MCP body over 1 MiB",
    send: (s) =>
      mcpPost(s, rpc("tools/call", { name: "add_task", arguments: { title: "x".repeat(1_100_000) } })),
    status: 413,
    code: "payload_too_large",
  },
];

let ids: Ids;
describe.each(dbKinds)("hostile requests on %s", (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    const aliceTasks = (await call(stack, "GET", tasksOf(stack))).body as Array<{ id: number }>;
    const bobTasks = (await call(stack, "GET", `/api/${stack.bob.id}/tasks`, { token: stack.bob.token }))
      .body as Array<{
      id: number;
    }>;
    const bobConversations = (
      await call(stack, "GET", `/api/${stack.bob.id}/conversations`, { token: stack.bob.token })
    ).body as Array<{ id: number }>;
    ids = {
      aliceTask: aliceTasks[0]?.id ?? 0,
      bobTask: bobTasks[0]?.id ?? 0,
      bobConversation: bobConversations[0]?.id ?? 0,
    };
  });
  afterAll(() => stack?.close());

  describe.each([
    ["REST", rest],
    ["tokens", tokens],
    ["chat", chat],
    ["auth", auth],
    ["CORS", cors],
    ["MCP over HTTP", mcp],
  ] as const)("%s", (_group, cases) => {
    it.each(cases)("$name → $status", async (c) => {
      const before = await stack.snapshot();
      const res = await c.send(stack, ids);
      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
      if (c.code) expect(codeOf(res.body)).toBe(c.code);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(JSON.stringify(res.body ?? "")).not.toMatch(/at .*\.(?:ts|js):\d+|select |insert into/i);
      const after = await stack.snapshot();
      // The one case that may write: invalid UTF-8 is decoded with U+FFFD by the JSON parser (it
      // is not a lone surrogate) and stored as a new task of Alice's; nobody else's data moves.
      if (c.status === 201) {
        const { tasks: afterTasks, ...afterRest } = after as { tasks: unknown[] };
        const { tasks: beforeTasks, ...beforeRest } = before as { tasks: unknown[] };
        expect(afterRest).toEqual(beforeRest);
        expect(afterTasks.slice(0, beforeTasks.length)).toEqual(beforeTasks);
      } else {
        expect(after).toEqual(before);
      }
    });
  });

  describe("MCP tools (official client)", () => {
    const connect = async (token: string) => {
      const client = new Client({ name: "hostile", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${stack.server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      return client;
    };
    const toolCases: Array<{
      name: string;
      tool: string;
      args: (s: Stack) => Record<string, unknown>;
      error: RegExp;
    }> = [
      {
        name: "delete another user's task",
        tool: "delete_task",
        args: () => ({ task_id: ids.bobTask }),
        error: /not found/,
      },
      {
        name: "complete another user's task",
        tool: "complete_task",
        args: () => ({ task_id: ids.bobTask }),
        error: /not found/,
      },
      {
        name: "rename another user's task",
        tool: "update_task",
        args: () => ({ task_id: ids.bobTask, title: "pwned" }),
        error: /not found/,
      },
      {
        name: "list with another user's user_id",
        tool: "list_tasks",
        args: (s) => ({ user_id: s.bob.id }),
        error: /user_id does not match/,
      },
      {
        name: "add a task for another user",
        tool: "add_task",
        args: (s) => ({ title: "planted", user_id: s.bob.id }),
        error: /user_id does not match/,
      },
      {
        name: "add a task with a NUL title",
        tool: "add_task",
        args: () => ({ title: "a\u0000b" }),
        error: /NUL/,
      },
      {
        name: "task_id as a negative number",
        tool: "delete_task",
        args: () => ({ task_id: -1 }),
        error: /positive/,
      },
      {
        name: "task_id as a word",
        tool: "delete_task",
        args: () => ({ task_id: "all" }),
        error: /task_id|number/i,
      },
      {
        name: "task_id past int4",
        tool: "complete_task",
        args: () => ({ task_id: 2 ** 31 }),
        error: /task_id|less than|2147483647/i,
      },
    ];
    it.each(toolCases)("$name → a tool error, nothing changes", async ({ tool, args, error }) => {
      const before = await stack.snapshot();
      const client = await connect(stack.alice.token);
      try {
        const result = (await client.callTool({ name: tool, arguments: args(stack) })) as {
          isError?: boolean;
          content: Array<{ text?: string }>;
        };
        expect(result.isError).toBe(true);
        expect(result.content.map((c) => c.text).join("")).toMatch(error);
      } finally {
        await client.close();
      }
      expect(await stack.snapshot()).toEqual(before);
    });
  });
});
