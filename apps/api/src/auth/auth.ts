// Better Auth (email + password) under /api/auth/*, with the JWT plugin: EdDSA tokens whose
// subject is the user id, valid 15 minutes, issuer and audience = PUBLIC_URL, served with a JWKS.
// The api-key plugin gives users personal API keys (stored hashed in the `apikey` table, owned by
// the user who created them) for external MCP clients that cannot hold a browser session:
// POST /api/auth/api-key/create {name}, GET /api/auth/api-key/list, POST /api/auth/api-key/delete {keyId}.
import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { jwt } from "better-auth/plugins/jwt";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import * as schema from "../db/schema.js";
import type { Logger } from "../observability/logger.js";
import { resolveAuthSecret } from "./secret.js";

export const AUTH_BASE_PATH = "/api/auth";
export const TOKEN_TTL = "15m";
/** Personal API keys start with this, so a bearer credential is told apart from a JWT at a glance. */
export const API_KEY_PREFIX = "todo_";

export function createAuth(config: Config, db: Db, logger: Logger) {
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
    // Better Auth's messages go to the same JSON log; they never contain passwords or tokens.
    logger: {
      level: "warn",
      log: (level, message) => logger[level]({ component: "better-auth" }, message),
    },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: "EdDSA", crv: "Ed25519" } },
        jwt: { issuer: config.PUBLIC_URL, audience: config.PUBLIC_URL, expirationTime: TOKEN_TTL },
      }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        // The plugin's default is 10 requests a day per key; an MCP session makes several per tool call.
        rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: 600 },
        // A key never turns into a browser session: it is only accepted as a bearer on /mcp.
        enableSessionForAPIKeys: false,
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
