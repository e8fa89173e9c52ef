// End-to-end smoke through one base URL (the frontend, or the backend directly): sign up, sign in, get a JWT,
// create and list a task, one offline chat turn. Usage: node smoke.mjs http://127.0.0.1:3000 [origin]
// Prints one JSON line; exits 1 on the first failure. Used by tests/docker and docs/docker.md.
const base = process.argv[2] ?? "http://127.0.0.1:3000";
const origin = process.argv[3] ?? base;

async function call(path, init = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { origin, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { res, body };
}

function expect(ok, what, detail) {
  if (!ok) {
    console.error(`smoke: ${what} failed: ${JSON.stringify(detail).slice(0, 500)}`);
    process.exit(1);
  }
}

const email = `smoke-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const signUp = await call("/api/auth/sign-up/email", {
  method: "POST",
  body: JSON.stringify({ name: "Smoke Test", email, password: "correct horse battery staple" }),
});
expect(signUp.res.status === 200, "sign-up", { status: signUp.res.status, body: signUp.body });
// Sign-up opens no session (an existing email must get the same answer): sign in for the cookie.
const signIn = await call("/api/auth/sign-in/email", {
  method: "POST",
  body: JSON.stringify({ email, password: "correct horse battery staple" }),
});
expect(signIn.res.status === 200, "sign-in", { status: signIn.res.status, body: signIn.body });
const userId = signIn.body.user.id;
const cookie = signIn.res.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");

const token = await call("/api/auth/token", { headers: { cookie } });
expect(token.res.status === 200 && token.body.token, "token", { status: token.res.status, body: token.body });
const auth = { authorization: `Bearer ${token.body.token}` };

const created = await call(`/api/${userId}/tasks`, {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ title: "Buy milk", description: "from the container smoke test" }),
});
expect(created.res.status === 201 && created.body.title === "Buy milk", "task create", created.body);

const listed = await call(`/api/${userId}/tasks`, { headers: auth });
expect(
  listed.res.status === 200 && listed.body.some((t) => t.id === created.body.id),
  "task list",
  listed.body,
);

const chat = await call(`/api/${userId}/chat`, {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ message: "add a task to water the plants" }),
});
expect(chat.res.status === 200 && typeof chat.body.response === "string", "chat", chat.body);

console.log(
  JSON.stringify({
    ok: true,
    user_id: userId,
    task_id: created.body.id,
    chat_tool_calls: chat.body.tool_calls?.length ?? 0,
  }),
);
