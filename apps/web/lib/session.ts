// Server-side session lookup for pages that need a signed-in user: asks the backend's Better Auth
// (/api/auth/get-session) with the browser's cookies. Runs only in server components.

import { headers } from "next/headers";
import { apiUrlFromEnv } from "@/server/api-proxy.mjs";
import type { Session } from "./types";

export class BackendUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The API server is unreachable.", { cause });
    this.name = "BackendUnavailableError";
  }
}

export async function getSession(): Promise<Session | null> {
  const incoming = await headers();
  const cookie = incoming.get("cookie");
  if (!cookie) return null;
  let response: Response;
  try {
    response = await fetch(`${apiUrlFromEnv()}/api/auth/get-session`, {
      headers: { cookie, accept: "application/json" },
      cache: "no-store",
    });
  } catch (error) {
    throw new BackendUnavailableError(error);
  }
  if (response.status === 401) return null;
  if (!response.ok) throw new BackendUnavailableError(`get-session answered ${response.status}`);
  const body = (await response.json()) as Session | null;
  return body?.user ? body : null;
}
