// Better Auth sign-up/sign-in/token, the JWT's claims, and stateless verification of forged tokens.
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import type { RunningServer } from "../src/server.js";
import { startServer } from "../src/server.js";
import {
  api,
  cookieOf,
  dbKinds,
  PUBLIC_URL,
  signUp,
  startTestServer,
  type TestUser,
  testEnv,
  tokenFor,
} from "./support/harness.js";

const authPost = (server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: PUBLIC_URL, ...headers },
    body: JSON.stringify(body),
  });

describe.each(dbKinds)("auth on %s", (kind) => {
  let server: RunningServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer(kind);
    user = await signUp(server, "Ada");
  });
  afterAll(() => server?.shutdown());

  it("issues a 15-minute EdDSA JWT whose subject is the user and issuer/audience are PUBLIC_URL", () => {
    const header = decodeProtectedHeader(user.token);
    const claims = decodeJwt(user.token);
    expect(header.alg).toBe("EdDSA");
    expect(header.kid).toEqual(expect.any(String));
    expect(claims.sub).toBe(user.id);
    expect(claims.iss).toBe(PUBLIC_URL);
    expect(claims.aud).toBe(PUBLIC_URL);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
  });

  it("signs in with the right password and refuses a wrong one", async () => {
    const ok = await authPost(server, "sign-in/email", { email: user.email, password: user.password });
    expect(ok.status).toBe(200);
    const token = await tokenFor(server, cookieOf(ok));
    expect(decodeJwt(token).sub).toBe(user.id);
    const bad = await authPost(server, "sign-in/email", { email: user.email, password: "wrong password!" });
    expect(bad.status).toBe(401);
  });

  it("answers a sign-up with an existing email exactly like a new one, and no token without a session", async () => {
    const shape = async (res: Response) => {
      const body = (await res.json()) as { token: unknown; user: Record<string, unknown> };
      const cookies = res.headers.getSetCookie().length;
      return { status: res.status, token: body.token, user: Object.keys(body.user).sort(), cookies };
    };
    const fresh = await authPost(server, "sign-up/email", {
      name: "x",
      email: `fresh-${Date.now()}@example.com`,
      password: "another pass",
    });
    const dup = await authPost(server, "sign-up/email", {
      name: "x",
      email: user.email,
      password: "another pass",
    });
    const [freshShape, dupShape] = [await shape(fresh), await shape(dup)];
    expect(dupShape).toEqual(freshShape);
    expect(dupShape).toMatchObject({ status: 200, token: null, cookies: 0 });
    // The existing account is untouched: its password still works, the new one does not.
    expect(
      (await authPost(server, "sign-in/email", { email: user.email, password: "another pass" })).status,
    ).toBe(401);
    expect(
      (await authPost(server, "sign-in/email", { email: user.email, password: user.password })).status,
    ).toBe(200);
    const res = await fetch(`${server.url}/api/auth/token`, { headers: { origin: PUBLIC_URL } });
    expect(res.status).toBe(401);
  });

  it("serves the public key set at /api/auth/jwks (no private material)", async () => {
    const res = await fetch(`${server.url}/api/auth/jwks`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    for (const key of keys) expect(key).not.toHaveProperty("d");
  });

  describe("forged or unsuitable tokens answer 401", () => {
    const get = (token: string) => api(server, token, "GET", `/api/${user.id}/tasks`);
    const sign = async (payload: Record<string, unknown>) =>
      ((await server.auth.api.signJWT({ body: { payload } })) as { token: string }).token;
    const now = () => Math.floor(Date.now() / 1000);

    it("accepts the genuine token (control)", async () => {
      expect((await get(user.token)).status).toBe(200);
    });

    it("rejects a bad signature", async () => {
      const [h, p, s] = user.token.split(".");
      const flipped = `${s?.[0] === "A" ? "B" : "A"}${s?.slice(1)}`;
      expect((await get(`${h}.${p}.${flipped}`)).status).toBe(401);
    });

    it("rejects a token signed by another key that claims the server's key id", async () => {
      const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
      await exportJWK(publicKey);
      const forged = await new SignJWT({ sub: user.id })
        .setProtectedHeader({ alg: "EdDSA", kid: decodeProtectedHeader(user.token).kid })
        .setIssuer(PUBLIC_URL)
        .setAudience(PUBLIC_URL)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
      expect((await get(forged)).status).toBe(401);
    });

    it("rejects an expired token signed by the real key", async () => {
      const token = await sign({
        sub: user.id,
        iss: PUBLIC_URL,
        aud: PUBLIC_URL,
        iat: now() - 3600,
        exp: now() - 60,
      });
      expect((await get(token)).status).toBe(401);
    });

    it("rejects a token once it expires, even after it was accepted (remembered tokens keep their expiry)", async () => {
      const exp = now() + 2;
      const token = await sign({ sub: user.id, iss: PUBLIC_URL, aud: PUBLIC_URL, iat: now(), exp });
      expect((await get(token)).status).toBe(200);
      expect((await get(token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
      expect((await get(token)).status).toBe(401);
    });

    it("rejects a wrong issuer and a wrong audience signed by the real key", async () => {
      const wrongIss = await sign({
        sub: user.id,
        iss: "https://evil.example",
        aud: PUBLIC_URL,
        exp: now() + 300,
      });
      const wrongAud = await sign({
        sub: user.id,
        iss: PUBLIC_URL,
        aud: "https://evil.example",
        exp: now() + 300,
      });
      expect((await get(wrongIss)).status).toBe(401);
      expect((await get(wrongAud)).status).toBe(401);
    });

    it('rejects alg "none"', async () => {
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const claims = decodeJwt(user.token);
      const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
      expect((await get(unsigned)).status).toBe(401);
    });

    it("rejects a valid token whose subject is someone else's path (403, not data)", async () => {
      const other = await signUp(server);
      const res = await api(server, other.token, "GET", `/api/${user.id}/tasks`);
      expect(res.status).toBe(403);
    });
  });
});

describe("auth secret and rate limits", () => {
  it("generates a development secret once into DATA_DIR, so tokens survive a restart", async () => {
    const env = await testEnv("pglite");
    const first = await startServer(loadConfig(env));
    const user = await signUp(first);
    await first.shutdown();
    const second = await startServer(loadConfig(env));
    try {
      expect((await api(second, user.token, "GET", `/api/${user.id}/tasks`)).status).toBe(200);
      expect(decodeJwt(await tokenFor(second, user.cookie)).sub).toBe(user.id);
    } finally {
      await second.shutdown();
    }
  });

  it("rate limits sign-in attempts per client (429 with Retry-After)", async () => {
    const server = await startTestServer("pglite", { AUTH_RATE_LIMIT_PER_MINUTE: "3" });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await authPost(
          server,
          "sign-in/email",
          { email: "nobody@example.com", password: "whatever123" },
          { "x-forwarded-for": "203.0.113.7" },
        );
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("retry-after");
      }
      expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Another client (through the trusted loopback proxy) is not affected, for another account.
      const other = await authPost(
        server,
        "sign-in/email",
        { email: "somebody@example.com", password: "whatever123" },
        { "x-forwarded-for": "203.0.113.8" },
      );
      expect(other.status).toBe(401);
    } finally {
      await server.shutdown();
    }
  });
});
