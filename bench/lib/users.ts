// Bench users: signed up through the API's Better Auth like any browser, with a JWT each.
const ORIGIN = "http://localhost:3000";

export interface BenchUser {
  id: string;
  cookie: string;
  token: string;
  tokenAt: number;
}

export async function signUp(apiUrl: string, name: string): Promise<BenchUser> {
  const email = `${name}-${Date.now()}@bench.example`;
  const password = "bench password 1";
  const post = (path: string, payload: unknown) =>
    fetch(`${apiUrl}/api/auth/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify(payload),
    });
  const up = await post("sign-up/email", { name, email, password });
  if (up.status !== 200) throw new Error(`sign-up failed: ${up.status} ${await up.text()}`);
  // Sign-up opens no session (an existing email must get the same answer): sign in for the cookie.
  const res = await post("sign-in/email", { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const u = { id: user.id, cookie, token: "", tokenAt: 0 };
  await refreshToken(apiUrl, u);
  return u;
}

/** A fresh JWT when the current one is older than 10 minutes (they live 15). */
export async function refreshToken(apiUrl: string, u: BenchUser): Promise<string> {
  if (Date.now() - u.tokenAt < 10 * 60_000) return u.token;
  const res = await fetch(`${apiUrl}/api/auth/token`, { headers: { cookie: u.cookie, origin: ORIGIN } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status}`);
  u.token = ((await res.json()) as { token: string }).token;
  u.tokenAt = Date.now();
  return u.token;
}
