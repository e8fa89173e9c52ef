// Forwards one browser request to the backend API. Used by app/api/[...path]/route.ts and
// app/mcp/route.ts (one path for both, client address included); kept free of Next.js imports so
// the unit tests can drive it with plain Request objects.

/** Headers that describe one hop of the connection, never the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export const DEFAULT_API_URL = "http://localhost:8000";

/** The backend base URL, read on every request so one build serves every environment. */
export function apiUrlFromEnv(env: Record<string, string | undefined> = process.env): string {
  const raw = env.API_URL?.trim() || DEFAULT_API_URL;
  return raw.replace(/\/+$/, "");
}

function stripHopByHop(headers: Headers): void {
  // `Connection: x-foo` also marks x-foo as hop-by-hop.
  const listed = headers.get("connection");
  if (listed) {
    for (const name of listed.split(",")) headers.delete(name.trim());
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
}

function requestHeaders(request: Request, url: URL): Headers {
  const headers = new Headers(request.headers);
  stripHopByHop(headers);
  // fetch sets Host from the target URL; the browser-facing host travels as x-forwarded-host.
  headers.delete("host");
  // Node's fetch decodes compressed bodies but keeps Content-Encoding; ask for identity instead.
  headers.delete("accept-encoding");
  // The API believes X-Forwarded-For from this proxy (TRUSTED_PROXIES) for its per-client rate
  // limits, so the proxy sends one value of its own: the peer address Next recorded (the client's
  // own forwarding headers are removed before Next runs, see docker/forwarding-guard.mjs).
  const peer = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const port = request.headers.get("x-forwarded-port") ?? url.port;
  for (const name of [
    "forwarded",
    "x-real-ip",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
  ]) {
    headers.delete(name);
  }
  if (peer) headers.set("x-forwarded-for", peer);
  headers.set("x-forwarded-proto", proto === "https" ? "https" : "http");
  headers.set("x-forwarded-host", host);
  if (port) headers.set("x-forwarded-port", port);
  return headers;
}

function responseHeaders(upstream: Response): Headers {
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers.set(name, value);
  });
  // Each cookie stays its own header: joining them with commas breaks Expires=... dates.
  for (const cookie of upstream.headers.getSetCookie()) headers.append("set-cookie", cookie);
  stripHopByHop(headers);
  if (headers.has("content-encoding")) {
    // fetch already decoded the body, so its encoding and length no longer describe it.
    headers.delete("content-encoding");
    headers.delete("content-length");
  }
  // Keep Next's gzip from buffering event streams (SSE, MCP streamable HTTP) until they end.
  if (/^(text\/event-stream|application\/x-ndjson)/i.test(headers.get("content-type") ?? "")) {
    const cacheControl = headers.get("cache-control");
    if (!cacheControl?.includes("no-transform")) {
      headers.set("cache-control", cacheControl ? `${cacheControl}, no-transform` : "no-transform");
    }
  }
  return headers;
}

function badGateway(message: string): Response {
  return Response.json({ error: { code: "bad_gateway", message } }, { status: 502 });
}

/**
 * Sends `request` to `apiUrl` + the same path and query, streaming the body both ways, and returns
 * the backend's answer unchanged apart from hop-by-hop headers. 502 when the backend is unreachable.
 */
export async function forwardToApi(request: Request, apiUrl: string): Promise<Response> {
  const url = new URL(request.url);
  const target = `${apiUrl.replace(/\/+$/, "")}${url.pathname}${url.search}`;
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: requestHeaders(request, url),
      body: hasBody ? request.body : undefined,
      // Required by fetch to stream a request body.
      ...(hasBody ? { duplex: "half" } : {}),
      redirect: "manual",
      signal: request.signal,
      cache: "no-store",
    } as RequestInit);
  } catch (error) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    console.error(`proxy: ${request.method} ${url.pathname} -> ${apiUrl} failed: ${reason}`);
    return badGateway("The API server is unreachable. Please try again in a moment.");
  }

  const noBody = request.method === "HEAD" || [101, 204, 205, 304].includes(upstream.status);
  return new Response(noBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders(upstream),
  });
}

/** The route handler of every proxied path (/api/*, /mcp): the request to API_URL as it is now. */
export function proxyToApi(request: Request): Promise<Response> {
  return forwardToApi(request, apiUrlFromEnv());
}
