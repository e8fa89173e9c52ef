// Better Auth (email + password) under /api/auth/*, with the JWT plugin: EdDSA tokens whose
// subject is the user id, valid 15 minutes, issuer and audience = PUBLIC_URL, served with a JWKS.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { jwt } from "better-auth/plugins/jwt";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import * as schema from "../db/schema.js";
import { resolveAuthSecret } from "./secret.js";

export const AUTH_BASE_PATH = "/api/auth";
export const TOKEN_TTL = "15m";

export function createAuth(config: Config, db: Db) {
  const perMinute = config.AUTH_RATE_LIMIT_PER_MINUTE;
  return betterAuth({
    appName: "Todo Chatbot",
    baseURL: config.PUBLIC_URL,
    basePath: AUTH_BASE_PATH,
    secret: resolveAuthSecret(config.BETTER_AUTH_SECRET, config.DATA_DIR),
    trustedOrigins: [config.PUBLIC_URL, ...config.TRUSTED_ORIGINS],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        jwks: schema.jwks,
        apikey: schema.apikey,
      },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: perMinute },
        "/sign-up/email": { window: 60, max: perMinute },
      },
    },
    telemetry: { enabled: false },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: "EdDSA", crv: "Ed25519" } },
        jwt: { issuer: config.PUBLIC_URL, audience: config.PUBLIC_URL, expirationTime: TOKEN_TTL },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
