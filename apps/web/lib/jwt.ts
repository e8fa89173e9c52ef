// Reads the claims of a JWT without verifying it (jose's decodeJwt): the browser only needs `exp`
// (to refresh in time) and `sub` (the user id in API paths). The backend verifies every token it receives.
import { decodeJwt } from "jose/jwt/decode";

export interface JwtClaims {
  sub: string;
  exp: number;
}

export function decodeJwtClaims(token: string): JwtClaims {
  const { sub, exp } = decodeJwt(token);
  if (typeof sub !== "string" || typeof exp !== "number")
    throw new Error("Malformed token: sub or exp missing");
  return { sub, exp };
}
