// Sign-up and sign-in attempts per client address, and sign-in attempts per account as well (a
// password guessed from many addresses), AUTH_RATE_LIMIT_PER_MINUTE each, counted in PostgreSQL.
import { createHash } from "node:crypto";
import type { RateLimiter } from "../http/rate-limit.js";
import { AUTH_BASE_PATH } from "./auth.js";

async function emailOf(request: Request): Promise<string | undefined> {
  try {
    const body = (await request.clone().json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function createAuthLimits(limiter: RateLimiter, perMinute: number) {
  return async function checkAuthLimits(request: Request, path: string, address: string): Promise<void> {
    if (request.method !== "POST") return;
    if (path === `${AUTH_BASE_PATH}/sign-up/email`) {
      await limiter.hit({ key: `sign-up:ip:${address}`, max: perMinute, what: "sign-up attempts" });
    } else if (path === `${AUTH_BASE_PATH}/sign-in/email`) {
      const limits = [{ key: `sign-in:ip:${address}`, max: perMinute, what: "sign-in attempts" }];
      const email = await emailOf(request);
      if (email) {
        // Hashed: the table holds no email addresses, and any length of input makes a short key.
        const account = createHash("sha256").update(email).digest("base64url");
        limits.push({
          key: `sign-in:account:${account}`,
          max: perMinute,
          what: "sign-in attempts for this account",
        });
      }
      await limiter.hit(...limits);
    }
  };
}
