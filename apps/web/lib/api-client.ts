// The browser's client for the backend, always through this origin's /api proxy. It gets a JWT from
// Better Auth (/api/auth/token, with the session cookie), keeps it until about a minute before it
// expires, sends it as `Authorization: Bearer`, and retries once with a fresh token on 401.

import { decodeJwtClaims } from "./jwt";
import { readEventStream } from "./sse";
import type {
  ApiKey,
  ChatReply,
  ChatStreamEvent,
  Conversation,
  CreatedApiKey,
  Message,
  NewTask,
  Session,
  Task,
  TaskChanges,
  TaskPage,
  TaskStatus,
} from "./types";

/** Tasks per page of the task list (the API accepts 1 to 200). */
export const TASK_PAGE_SIZE = 50;

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

  /** An authenticated request to `/api/{user_id}${path}`; retries once with a new token on 401. */
  async function send(
    method: string,
    path: string,
    body?: unknown,
    options: { accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const { token, userId } = await tokens.get();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: options.accept ?? "application/json",
      };
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetchImpl(`${baseUrl}/api/${encodeURIComponent(userId)}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (response.status === 401 && attempt === 0) {
        tokens.invalidate();
        continue;
      }
      if (!response.ok) throw await toApiError(response);
      return response;
    }
  }

  /** `send`, answering the parsed JSON body (undefined for 204). */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /**
   * One chat turn as Server-Sent Events: `onEvent` sees each delta and tool step as it happens;
   * resolves with the final ChatReply (the `done` event). Aborting `signal` stops the turn on the
   * server too (the partial reply is stored there, marked as stopped).
   */
  async function streamChat(
    input: { message: string; conversationId?: number | undefined },
    options: { onEvent: (event: ChatStreamEvent) => void; signal?: AbortSignal },
  ): Promise<ChatReply> {
    const body =
      input.conversationId === undefined
        ? { message: input.message }
        : { conversation_id: input.conversationId, message: input.message };
    const response = await send("POST", "/chat", body, {
      accept: "text/event-stream",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
      // A server without streaming answers the JSON ChatReply: same result, no live steps.
      return (await response.json()) as ChatReply;
    }
    for await (const { event, data } of readEventStream(response.body)) {
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === "done") return payload as unknown as ChatReply;
      if (event === "error") {
        const error = (payload.error ?? {}) as { code?: string; message?: string; details?: unknown };
        throw new ApiError(
          500,
          error.code ?? "internal_error",
          error.message ?? "The assistant failed.",
          error.details,
        );
      }
      if (event === "delta" || event === "tool_call" || event === "tool_result") {
        options.onEvent({ type: event, ...payload } as ChatStreamEvent);
      }
    }
    throw new ApiError(502, "bad_gateway", "The reply was cut off. Please try again.");
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
      /** One page of TASK_PAGE_SIZE tasks; pass the previous page's nextCursor for the next one. */
      async page(status: TaskStatus = "all", cursor?: string | null): Promise<TaskPage> {
        const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const response = await send("GET", `/tasks?status=${status}&limit=${TASK_PAGE_SIZE}${after}`);
        return {
          tasks: (await response.json()) as Task[],
          nextCursor: response.headers.get("x-next-cursor"),
        };
      },
      get: (id: number) => call<Task>("GET", `/tasks/${id}`),
      create: (input: NewTask) => call<Task>("POST", "/tasks", input),
      update: (id: number, changes: TaskChanges) => call<Task>("PUT", `/tasks/${id}`, changes),
      remove: (id: number) => call<void>("DELETE", `/tasks/${id}`),
      toggleComplete: (id: number) => call<Task>("PATCH", `/tasks/${id}/complete`),
    },
    apiKeys: {
      async list(): Promise<ApiKey[]> {
        const listed = await auth<ApiKey[] | { apiKeys?: ApiKey[] }>("api-key/list");
        return Array.isArray(listed) ? listed : (listed?.apiKeys ?? []);
      },
      create: (name: string) => auth<CreatedApiKey>("api-key/create", { name }),
      revoke: (keyId: string) => auth<unknown>("api-key/delete", { keyId }),
    },
    chat: {
      stream: streamChat,
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
