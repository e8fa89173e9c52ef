// `helm test` smoke test: runs in the backend image (Node 24, no packages needed) and exercises the live
// release through its Services: health, a throwaway sign-up and sign-in, a task round trip, one chat turn.
// Env: BACKEND_URL, FRONTEND_URL (empty when the frontend is disabled), PUBLIC_URL (the Origin Better Auth expects).
const backend = process.env.BACKEND_URL;
const frontend = process.env.FRONTEND_URL || "";
const origin = process.env.PUBLIC_URL;
const timeoutMs = 30_000;

let step = 0;
async function check(name, fn) {
  step += 1;
  const started = Date.now();
  try {
    const result = await fn();
    console.log(`ok ${step} - ${name} (${Date.now() - started} ms)`);
    return result;
  } catch (err) {
    console.error(`not ok ${step} - ${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

async function call(method, url, { body, headers = {}, expect = 200 } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "manual",
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new Error(`${method} ${url} answered ${res.status}, expected ${expect}: ${text.slice(0, 300)}`);
  }
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { res, json, text };
}

function jwtSubject(token) {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("the token is not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).sub;
}

await check("backend /healthz", () => call("GET", `${backend}/healthz`));
await check("backend /readyz (database reachable, schema current)", () => call("GET", `${backend}/readyz`));
if (frontend) await check("frontend /healthz", () => call("GET", `${frontend}/healthz`));

const email = `helm-test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const password = `Pw-${crypto.randomUUID()}`;
const signUp = await check(`sign up ${email}`, () =>
  call("POST", `${backend}/api/auth/sign-up/email`, {
    body: { name: "helm test", email, password },
    headers: { origin },
  }),
);
// Sign-up opens no session (an existing email must get the same answer): sign in for the cookie.
const signIn = await check("sign in", () =>
  call("POST", `${backend}/api/auth/sign-in/email`, { body: { email, password }, headers: { origin } }),
);
const cookie = (signIn.res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
const token = await check("get a JWT from /api/auth/token", async () => {
  const { json } = await call("GET", `${backend}/api/auth/token`, { headers: { origin, cookie } });
  if (!json?.token) throw new Error("no token in the response");
  return json.token;
});
const userId = signUp.json?.user?.id ?? jwtSubject(token);
const auth = { authorization: `Bearer ${token}` };

// Task calls go through the frontend Service (the web app proxies /api/*) when it is deployed.
const api = frontend || backend;
const task = await check(`create a task via ${frontend ? "the frontend" : "the backend"}`, async () => {
  const { json } = await call("POST", `${api}/api/${userId}/tasks`, {
    body: { title: "helm test task", description: "created by helm test" },
    headers: auth,
    expect: 201,
  });
  if (typeof json?.id !== "number") throw new Error(`unexpected task: ${JSON.stringify(json)}`);
  return json;
});
await check("list tasks contains it", async () => {
  const { json } = await call("GET", `${api}/api/${userId}/tasks`, { headers: auth });
  if (!Array.isArray(json) || !json.some((t) => t.id === task.id)) throw new Error("created task not listed");
});
await check("delete the task", () =>
  call("DELETE", `${api}/api/${userId}/tasks/${task.id}`, { headers: auth, expect: 204 }),
);
await check("one chat turn", async () => {
  const { json } = await call("POST", `${backend}/api/${userId}/chat`, {
    body: { message: "add a task to test the chart" },
    headers: auth,
  });
  if (typeof json?.conversation_id !== "number")
    throw new Error(`no conversation_id: ${JSON.stringify(json)}`);
  console.log(`  assistant: ${String(json.response).slice(0, 200)}`);
});
console.log(`all ${step} checks passed`);
