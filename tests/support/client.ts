// An API user through the frontend's published port (the browser's path: /api/* is proxied by the web
// app to the backend Service), and a bounded load loop of task requests.
export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface User {
  id: string;
  token: string;
  email: string;
}

export async function signUp(
  baseUrl: string,
  origin: string,
  label: string,
  password = `Pw-${crypto.randomUUID()}`,
): Promise<User> {
  const email = `cluster-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  const post = (path: string, payload: unknown) =>
    fetch(`${baseUrl}/api/auth/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify(payload),
    });
  const up = await post("sign-up/email", { name: `cluster ${label}`, email, password });
  if (up.status !== 200) throw new Error(`sign-up answered ${up.status}: ${await up.text()}`);
  // Sign-up opens no session (an existing email must get the same answer): sign in for the cookie.
  const res = await post("sign-in/email", { email, password });
  const body = (await res.json().catch(() => ({}))) as { user?: { id: string } };
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${JSON.stringify(body)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const tokenRes = await fetch(`${baseUrl}/api/auth/token`, { headers: { origin, cookie } });
  const { token } = (await tokenRes.json()) as { token: string };
  if (!token) throw new Error(`no token (${tokenRes.status})`);
  return { id: body.user?.id ?? "", token, email };
}

export interface LoadResult {
  requests: number;
  ok: number;
  failures: { at: number; what: string }[];
  /** Titles of the tasks whose creation was acknowledged with 2xx. */
  acknowledged: string[];
  statusCounts: Record<string, number>;
}

/**
 * `workers` loops, each: create a task, then list the tasks, until `stop()` is called or `maxMs` passes.
 * Every request has a timeout; a non-2xx answer or a network error is a failure.
 */
export function loadLoop(baseUrl: string, user: User, tag: string, workers = 3, maxMs = 120_000) {
  const result: LoadResult = { requests: 0, ok: 0, failures: [], acknowledged: [], statusCounts: {} };
  let stopped = false;
  const started = Date.now();
  const headers = { authorization: `Bearer ${user.token}`, "content-type": "application/json" };
  const count = (key: string) => {
    result.statusCounts[key] = (result.statusCounts[key] ?? 0) + 1;
  };
  const once = async (what: string, init: RequestInit, url: string, expect: number) => {
    result.requests += 1;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      count(String(res.status));
      if (res.status === expect) {
        result.ok += 1;
        return text;
      }
      result.failures.push({
        at: Date.now() - started,
        what: `${what}: ${res.status} ${text.slice(0, 120)}`,
      });
    } catch (e) {
      count("network error");
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
      result.failures.push({
        at: Date.now() - started,
        what: `${what}: ${e instanceof Error ? e.message : e}${cause}`,
      });
    }
    return undefined;
  };
  let n = 0;
  const worker = async (w: number) => {
    while (!stopped && Date.now() - started < maxMs) {
      const title = `${tag} ${w}-${n++}`;
      const created = await once(
        "create",
        { method: "POST", headers, body: JSON.stringify({ title }) },
        `${baseUrl}/api/${user.id}/tasks`,
        201,
      );
      if (created !== undefined) result.acknowledged.push(title);
      await once("list", { headers }, `${baseUrl}/api/${user.id}/tasks`, 200);
      await sleep(50);
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return {
    result,
    async stop() {
      stopped = true;
      await done;
      return result;
    },
  };
}

export async function listTitles(baseUrl: string, user: User): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/${user.id}/tasks`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  if (res.status !== 200) throw new Error(`list tasks answered ${res.status}`);
  return ((await res.json()) as { title: string }[]).map((t) => t.title);
}
