// Reads the claims of a JWT without verifying it: the browser only needs `exp` (to refresh in time)
// and `sub` (the user id in API paths). The backend verifies every token it receives.

export interface JwtClaims {
  sub: string;
  exp: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function decodeJwtClaims(token: string): JwtClaims {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("Malformed token: no payload segment");
  const claims: unknown = JSON.parse(base64UrlDecode(payload));
  if (
    typeof claims !== "object" ||
    claims === null ||
    typeof (claims as { sub?: unknown }).sub !== "string" ||
    typeof (claims as { exp?: unknown }).exp !== "number"
  ) {
    throw new Error("Malformed token: sub or exp missing");
  }
  const { sub, exp } = claims as JwtClaims;
  return { sub, exp };
}
