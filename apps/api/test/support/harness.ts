// Test harness: the real server over real HTTP, on PGlite or on a fresh database of the real
// PostgreSQL server started by global-setup.ts, plus helpers to sign users up and get JWTs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type RunningServer, startServer } from "../../src/server.js";

export type DbKind = "pglite" | "postgres";
export const dbKinds: DbKind[] = ["pglite", "postgres"];
export const PUBLIC_URL = "http://localhost:3000";

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** A fresh, empty database on the test PostgreSQL server; returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject("postgresUrl") });
  await admin.connect();
  const name = `t_${unique().replace(/\W/g, "_")}`;
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

export function tempDir(prefix = "todo-api-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Environment for a test server of the given kind (fresh data directory / fresh database). */
export async function testEnv(kind: DbKind, overrides: Record<string, string> = {}) {
  const env: Record<string, string> = {
    NODE_ENV: "test",
    PORT: "0",
    PUBLIC_URL,
    DATA_DIR: tempDir(),
    LOG_LEVEL: "silent",
    AGENT_MODE: "offline",
    AUTH_RATE_LIMIT_PER_MINUTE: "1000",
  };
  if (kind === "postgres") env.DATABASE_URL = await createPostgresDatabase();
  return { ...env, ...overrides };
}

export async function startTestServer(kind: DbKind, overrides: Record<string, string> = {}) {
  return startServer(loadConfig(await testEnv(kind, overrides)));
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  cookie: string;
  token: string;
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

/** Signs a new user up through Better Auth and fetches a JWT for them. */
export async function signUp(server: Pick<RunningServer, "url">, name = "Test User"): Promise<TestUser> {
  const email = `user-${unique()}@example.com`;
  const password = "correct horse battery";
  const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: PUBLIC_URL },
    body: JSON.stringify({ name, email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  // Sign-up opens no session (it must answer an existing email the same way): sign in next.
  const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: PUBLIC_URL },
    body: JSON.stringify({ email, password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const body = (await signIn.json()) as { user: { id: string } };
  const cookie = cookieOf(signIn);
  return { id: body.user.id, email, password, cookie, token: await tokenFor(server, cookie) };
}

export async function tokenFor(server: Pick<RunningServer, "url">, cookie: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/token`, { headers: { cookie, origin: PUBLIC_URL } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export { cookieOf };

/** fetch() against the API with a bearer token and JSON body. */
export async function api(
  server: Pick<RunningServer, "url">,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json as never };
}
