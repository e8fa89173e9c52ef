// The browser's client for the backend, always through this origin's /api proxy. It gets a JWT from
// Better Auth (/api/auth/token, with the session cookie), keeps it until about a minute before it
// expires, sends it as `Authorization: Bearer`, and retries once with a fresh token on 401.

import { decodeJwtClaims } from "./jwt";
import type {
  ChatReply,
  Conversation,
  Message,
  NewTask,
  Session,
  Task,
  TaskChanges,
  TaskStatus,
} from "./types";

/** Refresh this long before `exp` so a token never expires in flight. */
export const REFRESH_MARGIN_MS = 60_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

const FRIENDLY: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You don't have access to that.",
  404: "That item no longer exists.",
  413: "That's too long to send.",
  429: "You're going a little fast. Please wait a moment and try again.",
  502: "The server is unreachable right now. Please try again in a moment.",
  503: "The server is busy right now. Please try again in a moment.",
};

/** Turns any error body (SPEC `{error:{code,message}}` or Better Auth `{code,message}`) into an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (an HTML error page, an empty body): fall back to the status.
  }
  const inner =
    body && typeof body === "object" && "error" in body && typeof body.error === "object" && body.error
      ? (body.error as Record<string, unknown>)
      : ((body ?? {}) as Record<string, unknown>);
  const code = typeof inner.code === "string" ? inner.code : `http_${response.status}`;
  const message =
    typeof inner.message === "string" && inner.message
      ? inner.message
      : (FRIENDLY[response.status] ?? `Request failed (${response.status}).`);
  return new ApiError(response.status, code, message, inner.details);
}

export interface ApiClientOptions {
  /** Origin that serves /api; "" in the browser (same origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

interface CachedToken {
  token: string;
  userId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class TokenManager {
  private cached: CachedToken | null = null;
  private inflight: Promise<CachedToken> | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number,
  ) {}

  /** A token valid for at least REFRESH_MARGIN_MS more; concurrent callers share one refresh. */
  async get(): Promise<CachedToken> {
    if (this.cached && this.cached.expiresAt - this.now() > REFRESH_MARGIN_MS) return this.cached;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  invalidate(): void {
    this.cached = null;
  }

  private async fetchToken(): Promise<CachedToken> {
    const response = await this.fetchImpl(`${this.baseUrl}/api/auth/token`, {
      credentials: "include",
      cache: "no-store",
    });
    if (!response.ok) {
      this.cached = null;
      throw await toApiError(response);
    }
    const { token } = (await response.json()) as { token: string };
    const claims = decodeJwtClaims(token);
    this.cached = { token, userId: claims.sub, expiresAt: claims.exp * 1000 };
    return this.cached;
  }
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? "";
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tokens = new TokenManager(baseUrl, fetchImpl, options.now ?? Date.now);

  /** An authenticated call to `/api/{user_id}${path}`; retries once with a new token on 401. */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const { token, userId } = await tokens.get();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: "application/json",
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetchImpl(`${baseUrl}/api/${encodeURIComponent(userId)}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
      if (response.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      if (!response.ok) throw await toApiError(response);
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    }
  }

  /** Better Auth endpoints: cookie based, JSON in and out. */
  async function auth<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(`${baseUrl}/api/auth/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "include",
      cache: "no-store",
    });
    if (!response.ok) throw await toApiError(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  return {
    tokens,
    auth: {
      // Sign-up opens no session (an existing email must get the same answer as a new one), so
      // the new account signs in right after.
      async signUp(input: { name: string; email: string; password: string }): Promise<unknown> {
        await auth<unknown>("sign-up/email", input);
        return auth<unknown>("sign-in/email", { email: input.email, password: input.password });
      },
      signIn: (input: { email: string; password: string }) => auth<unknown>("sign-in/email", input),
      async signOut(): Promise<void> {
        tokens.invalidate();
        await auth<unknown>("sign-out", {});
      },
      getSession: () => auth<Session | null>("get-session"),
    },
    tasks: {
      list: (status: TaskStatus = "all") => call<Task[]>("GET", `/tasks?status=${status}`),
      get: (id: number) => call<Task>("GET", `/tasks/${id}`),
      create: (input: NewTask) => call<Task>("POST", "/tasks", input),
      update: (id: number, changes: TaskChanges) => call<Task>("PUT", `/tasks/${id}`, changes),
      remove: (id: number) => call<void>("DELETE", `/tasks/${id}`),
      toggleComplete: (id: number) => call<Task>("PATCH", `/tasks/${id}/complete`),
    },
    chat: {
      send: (message: string, conversationId?: number) =>
        call<ChatReply>(
          "POST",
          "/chat",
          conversationId === undefined ? { message } : { conversation_id: conversationId, message },
        ),
      conversations: () => call<Conversation[]>("GET", "/conversations"),
      messages: (conversationId: number) =>
        call<Message[]>("GET", `/conversations/${conversationId}/messages`),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The one client the pages share (same origin, so the proxy route handles every call). */
export const api = createApiClient();
