import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as route from "@/app/api/[...path]/route";
import * as mcpRoute from "@/app/mcp/route";
import { apiUrlFromEnv, forwardToApi } from "@/lib/proxy";
import { readBody, startServer, type TestServer } from "./http-server";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let api: TestServer;
/** Resolves the streaming endpoint's second chunk once the test has read the first. */
let releaseSecondChunk: () => void = () => {};
/** What the server has received of a streamed request body so far. */
let streamedRequestChunks: string[] = [];
let firstRequestChunkSeen: () => void = () => {};

beforeAll(async () => {
  api = await startServer(async (req, res) => {
    const path = req.url ?? "/";
    if (path.startsWith("/api/cookies")) {
      res.setHeader("set-cookie", [
        "session=abc; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
        "csrf=xyz; Path=/",
      ]);
      res.setHeader("keep-alive", "timeout=99");
      res.statusCode = 200;
      res.end("ok");
      return;
    }
    if (path.startsWith("/api/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      await new Promise<void>((resolve) => {
        releaseSecondChunk = resolve;
      });
      res.end("data: second\n\n");
      return;
    }
    if (path.startsWith("/api/upload")) {
      for await (const chunk of req) {
        streamedRequestChunks.push((chunk as Buffer).toString());
        firstRequestChunkSeen();
      }
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: streamedRequestChunks.join("") }));
      return;
    }
    if (path.startsWith("/api/gzip")) {
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
      res.end(gzipSync("decoded text"));
      return;
    }
    if (path.startsWith("/api/redirect")) {
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
      return;
    }
    if (path.startsWith("/api/missing")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "not_found", message: "Task not found" } }));
      return;
    }
    if (path.startsWith("/api/empty")) {
      res.writeHead(204);
      res.end();
      return;
    }
    const echo: Echo = {
      method: req.method ?? "",
      url: path,
      headers: req.headers,
      body: await readBody(req),
    };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(echo));
  });
});

afterAll(() => api.close());

afterEach(() => {
  delete process.env.API_URL;
});

function browserRequest(path: string, init: RequestInit = {}): Request {
  return new Request(`http://localhost:3000${path}`, init);
}

describe("forwardToApi", () => {
  it("forwards method, path, query and body to the API and returns its status and body", async () => {
    const response = await forwardToApi(
      browserRequest("/api/u1/tasks?status=pending", {
        method: "PUT",
        headers: { "content-type": "application/json", authorization: "Bearer t" },
        body: JSON.stringify({ title: "Buy milk" }),
      }),
      api.url,
    );
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo.method).toBe("PUT");
    expect(echo.url).toBe("/api/u1/tasks?status=pending");
    expect(JSON.parse(echo.body)).toEqual({ title: "Buy milk" });
    expect(echo.headers.authorization).toBe("Bearer t");
    expect(echo.headers["content-type"]).toBe("application/json");
  });

  it.each(["DELETE", "PATCH", "POST", "OPTIONS"])("forwards %s", async (method) => {
    const response = await forwardToApi(browserRequest("/api/x", { method }), api.url);
    expect(((await response.json()) as Echo).method).toBe(method);
  });

  it("keeps the Origin and Cookie headers Better Auth needs and adds x-forwarded-*", async () => {
    const response = await forwardToApi(
      browserRequest("/api/auth/sign-out", {
        method: "POST",
        headers: { origin: "http://localhost:3000", cookie: "session=abc; other=1", host: "localhost:3000" },
      }),
      api.url,
    );
    const { headers } = (await response.json()) as Echo;
    expect(headers.origin).toBe("http://localhost:3000");
    expect(headers.cookie).toBe("session=abc; other=1");
    expect(headers["x-forwarded-host"]).toBe("localhost:3000");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers.host).toBe(new URL(api.url).host);
  });

  it("forwards one client address (the peer Next recorded) and drops Forwarded and X-Real-IP", async () => {
    const response = await forwardToApi(
      browserRequest("/api/auth/sign-in/email", {
        method: "POST",
        headers: {
          "x-forwarded-for": "198.51.100.9",
          "x-forwarded-proto": "gopher",
          forwarded: "for=203.0.113.1",
          "x-real-ip": "203.0.113.2",
        },
      }),
      api.url,
    );
    const { headers } = (await response.json()) as Echo;
    expect(headers["x-forwarded-for"]).toBe("198.51.100.9");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers.forwarded).toBeUndefined();
    expect(headers["x-real-ip"]).toBeUndefined();
  });

  it("/mcp on the web origin takes the same path: one client address, no Forwarded or X-Real-IP", async () => {
    process.env.API_URL = api.url;
    const response = await mcpRoute.POST(
      browserRequest("/mcp", {
        method: "POST",
        headers: {
          authorization: "Bearer key",
          "content-type": "application/json",
          "x-forwarded-for": "198.51.100.9",
          "x-forwarded-proto": "gopher",
          forwarded: "for=203.0.113.1",
          "x-real-ip": "203.0.113.2",
        },
        body: "{}",
      }),
    );
    const { url, headers } = (await response.json()) as Echo;
    expect(url).toBe("/mcp");
    expect(headers.authorization).toBe("Bearer key");
    expect(headers["x-forwarded-for"]).toBe("198.51.100.9");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers.forwarded).toBeUndefined();
    expect(headers["x-real-ip"]).toBeUndefined();
  });

  it("through the forwarding guard, a client's own X-Forwarded-For never reaches the API", async () => {
    // The guard patches http.createServer, as it does for Next's standalone server.
    await import("../docker/forwarding-guard.mjs");
    const { createServer } = await import("node:http");
    const front = createServer((req, res) => {
      // What Next does with the (guarded) request before the route handler runs.
      req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
      req.headers["x-forwarded-proto"] ??= "http";
      const request = new Request(`http://localhost:3000${req.url}`, {
        headers: req.headers as Record<string, string>,
      });
      forwardToApi(request, api.url).then(async (r) => {
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(await r.text());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = front.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/api/x`, {
        headers: { "x-forwarded-for": "203.0.113.66", "x-forwarded-proto": "https", "x-real-ip": "1.2.3.4" },
      });
      const { headers } = (await response.json()) as Echo;
      expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
      expect(headers["x-forwarded-proto"]).toBe("http");
      expect(headers["x-real-ip"]).toBeUndefined();
    } finally {
      front.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
    }
  });

  it("strips hop-by-hop headers, including those named by Connection", async () => {
    const response = await forwardToApi(
      browserRequest("/api/x", {
        headers: {
          connection: "x-private-hop",
          "x-private-hop": "1",
          "proxy-authorization": "secret",
          te: "trailers",
        },
      }),
      api.url,
    );
    const { headers } = (await response.json()) as Echo;
    expect(headers["x-private-hop"]).toBeUndefined();
    expect(headers["proxy-authorization"]).toBeUndefined();
    expect(headers.te).toBeUndefined();
  });

  it("returns every Set-Cookie header separately, unjoined", async () => {
    const response = await forwardToApi(browserRequest("/api/cookies"), api.url);
    expect(response.headers.getSetCookie()).toEqual([
      "session=abc; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
      "csrf=xyz; Path=/",
    ]);
    expect(response.headers.get("keep-alive")).toBeNull();
  });

  it("passes error statuses and bodies through unchanged", async () => {
    const response = await forwardToApi(browserRequest("/api/missing"), api.url);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "Task not found" } });
  });

  it("passes 204 and redirects through without following them", async () => {
    expect((await forwardToApi(browserRequest("/api/empty", { method: "DELETE" }), api.url)).status).toBe(
      204,
    );
    const redirect = await forwardToApi(browserRequest("/api/redirect"), api.url);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/elsewhere");
  });

  it("streams the response: the first chunk arrives before the API finishes", async () => {
    const response = await forwardToApi(browserRequest("/api/stream"), api.url);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    releaseSecondChunk();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe("data: second\n\n");
  });

  it("streams the request body: the API sees the first chunk before the browser finishes sending", async () => {
    streamedRequestChunks = [];
    const seen = new Promise<void>((resolve) => {
      firstRequestChunkSeen = resolve;
    });
    let finish: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("part one,"));
        finish = () => {
          controller.enqueue(new TextEncoder().encode("part two"));
          controller.close();
        };
      },
    });
    const pending = forwardToApi(
      browserRequest("/api/upload", { method: "POST", body, duplex: "half" } as RequestInit),
      api.url,
    );
    await seen;
    expect(streamedRequestChunks.join("")).toBe("part one,");
    finish();
    const response = await pending;
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: "part one,part two" });
  });

  it("hands over a compressed answer decoded, without a stale Content-Encoding", async () => {
    const response = await forwardToApi(browserRequest("/api/gzip"), api.url);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toBe("decoded text");
  });

  it("answers 502 with a JSON error when the API is unreachable", async () => {
    const down = await startServer(() => {});
    const url = down.url;
    await down.close();
    const response = await forwardToApi(browserRequest("/api/u1/tasks"), url);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: "bad_gateway" } });
  });
});

describe("the /api/[...path] route", () => {
  it("reads API_URL on every request, so one build serves every environment", async () => {
    const other = await startServer((_req, res) => {
      res.end("other backend");
    });
    try {
      process.env.API_URL = api.url;
      const first = await route.GET(browserRequest("/api/x"));
      expect(((await first.json()) as Echo).url).toBe("/api/x");
      process.env.API_URL = `${other.url}/`;
      const second = await route.GET(browserRequest("/api/x"));
      expect(await second.text()).toBe("other backend");
    } finally {
      await other.close();
    }
  });

  it("handles every method and is never statically cached", () => {
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
      expect(typeof route[method]).toBe("function");
    }
    expect(route.dynamic).toBe("force-dynamic");
  });

  it("defaults to http://localhost:8000 when API_URL is unset", () => {
    expect(apiUrlFromEnv({})).toBe("http://localhost:8000");
    expect(apiUrlFromEnv({ API_URL: " http://backend:8000/ " })).toBe("http://backend:8000");
  });
});
