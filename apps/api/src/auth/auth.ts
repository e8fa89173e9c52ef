// Better Auth (email + password) under /api/auth/*, with the JWT plugin: EdDSA tokens whose
// subject is the user id, valid 15 minutes, issuer and audience = PUBLIC_URL, served with a JWKS.
// The api-key plugin gives users personal API keys (stored hashed in the `apikey` table, owned by
// the user who created them) for external MCP clients that cannot hold a browser session:
// POST /api/auth/api-key/create {name}, GET /api/auth/api-key/list, POST /api/auth/api-key/delete {keyId}.
import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { jwt } from "better-auth/plugins/jwt";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import * as schema from "../db/schema.js";
import { textProblem } from "../http/text.js";
import type { Logger } from "../observability/logger.js";
import { resolveAuthSecret } from "./secret.js";

export const AUTH_BASE_PATH = "/api/auth";
export const TOKEN_TTL = "15m";
/** Personal API keys start with this, so a bearer credential is told apart from a JWT at a glance. */
export const API_KEY_PREFIX = "todo_";
/** The display name is copied into every JWT: unbounded, it made tokens too large to send (431). */
export const NAME_MAX = 100;

/** Why a sign-up or profile update's name cannot be stored, or undefined. */
function nameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  if (name.length > NAME_MAX) return `name must be at most ${NAME_MAX} characters`;
  const problem = textProblem(name);
  return problem && `name ${problem}`;
}

export function createAuth(config: Config, db: Db, logger: Logger) {
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
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // No session from sign-up: then an existing email gets the same 200 {token: null, user} as a
      // new one (Better Auth's generic duplicate answer), so sign-up cannot tell which emails exist.
      // Clients sign in next.
      autoSignIn: false,
    },
    // Sign-up and sign-in are limited per client address and per account in PostgreSQL, shared by
    // every replica (auth/limits.ts); Better Auth's own limiter counts per process and per header.
    rateLimit: { enabled: false },
    hooks: {
      // Checked before the email lookup, so a refused name looks the same for new and existing emails.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email" && ctx.path !== "/update-user") return;
        const problem = nameProblem((ctx.body as { name?: unknown } | undefined)?.name);
        if (problem) throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: problem });
      }),
    },
    telemetry: { enabled: false },
    // Better Auth skips its Origin (CSRF) check when NODE_ENV=test: keep it on everywhere, so the
    // tests prove the configuration that runs in production.
    advanced: { disableOriginCheck: false },
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
