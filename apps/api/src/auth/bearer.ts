// Stateless verification of the Better Auth JWT on every API request. The key set is loaded from
// Better Auth once and cached (no database round trip per request); an unknown key id triggers
// at most one reload per interval, so key rotation works without a restart.
//
// A browser sends the same token for up to 15 minutes, and checking its Ed25519 signature was the
// largest single cost of a request. So each verified token's subject is remembered until the
// token expires: a later request with the byte-identical token (same signature) skips the
// signature check, never the expiry check. The memo is bounded and emptied when the key set
// reloads; a token that fails verification is never remembered.
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import { AppError } from "../http/errors.js";
import { API_KEY_PREFIX, AUTH_BASE_PATH, type Auth } from "./auth.js";

const RELOAD_INTERVAL_MS = 10_000;
/** Verified tokens remembered at most; the oldest is forgotten first. */
export const VERIFIED_TOKENS_MAX = 10_000;

export type TokenVerifier = (token: string) => Promise<string>;

export function createTokenVerifier(auth: Auth, publicUrl: string): TokenVerifier {
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = 0;
  const verified = new Map<string, { sub: string; expiresAt: number }>();

  async function load() {
    const res = await auth.handler(new Request(`${publicUrl}${AUTH_BASE_PATH}/jwks`));
    if (!res.ok) throw new AppError("service_unavailable", "Signing keys are unavailable, try again");
    keySet = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    loadedAt = Date.now();
    verified.clear();
  }

  async function verifyOnce(token: string) {
    if (!keySet) await load();
    // Only EdDSA: rejects alg "none" and algorithm-confusion tokens outright.
    return jwtVerify(token, keySet as NonNullable<typeof keySet>, {
      issuer: publicUrl,
      audience: publicUrl,
      algorithms: ["EdDSA"],
    });
  }

  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.sub;
    if (known) verified.delete(token);
    let result: Awaited<ReturnType<typeof verifyOnce>>;
    try {
      result = await verifyOnce(token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey && Date.now() - loadedAt > RELOAD_INTERVAL_MS) {
        await load();
        result = await verifyOnce(token).catch(() => {
          throw new AppError("unauthorized", "Invalid or expired token");
        });
      } else if (err instanceof errors.JOSEError || err instanceof TypeError) {
        throw new AppError("unauthorized", "Invalid or expired token");
      } else {
        throw err;
      }
    }
    const { sub, exp } = result.payload;
    if (!sub) throw new AppError("unauthorized", "Token has no subject");
    if (exp !== undefined) {
      if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value as string);
      verified.set(token, { sub, expiresAt: exp * 1000 });
    }
    return sub;
  };
}

/** Extracts the token from an `Authorization: Bearer <token>` header, or throws 401. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) throw new AppError("unauthorized", "Missing bearer token (Authorization: Bearer <jwt>)");
  return match[1];
}

/** The user behind a bearer credential, for /mcp: a Better Auth JWT or a personal API key. */
export type CredentialVerifier = (credential: string) => Promise<string>;

export function createCredentialVerifier(auth: Auth, verifyJwt: TokenVerifier): CredentialVerifier {
  return async (credential) => {
    if (!credential.startsWith(API_KEY_PREFIX)) return verifyJwt(credential);
    const result = await auth.api.verifyApiKey({ body: { key: credential } });
    if (result.error?.code === "RATE_LIMITED") {
      const details = (result.error as { details?: { tryAgainIn?: number } }).details;
      const seconds = Math.max(1, Math.ceil((details?.tryAgainIn ?? 60_000) / 1000));
      throw new AppError("rate_limited", "Too many requests with this API key", undefined, {
        "retry-after": String(seconds),
      });
    }
    const owner = result.valid ? result.key?.referenceId : undefined;
    if (!owner) throw new AppError("unauthorized", "Invalid, expired or revoked API key");
    return owner;
  };
}
