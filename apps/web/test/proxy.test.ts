// The web app's front door (server/api-proxy.mjs) in front of a stand-in for Next, against a real
// HTTP server standing in for the API; requests are sent with node:http so that hop-by-hop and
// forwarding headers a browser cannot set are covered too.
import { execFile } from "node:child_process";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiUrlFromEnv, frontDoor, proxiedPath } from "@/server/api-proxy.mjs";
import { readBody, startServer, type TestServer } from "./http-server";

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let api: TestServer;
/** The front door with a stand-in for Next's handler behind it. */
let web: TestServer;
const webEnv: Record<string, string | undefined> = {};
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
  webEnv.API_URL = api.url;
  web = await startServer(
    frontDoor((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`next: ${req.url}`);
    }, webEnv),
  );
});

afterAll(async () => {
  await web.close();
  await api.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One request to the web app; `body` chunks are written one by one, `beforeEnd` awaited between. */
function send(
  path: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string[];
    beforeEnd?: () => Promise<void>;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${web.url}${path}`,
      { method: init.method ?? "GET", headers: init.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    (async () => {
      const [first, ...rest] = init.body ?? [];
      if (first !== undefined) req.write(first);
      if (init.beforeEnd) await init.beforeEnd();
      for (const chunk of rest) req.write(chunk);
      req.end();
    })().catch(reject);
  });
}

async function echoOf(path: string, init: Parameters<typeof send>[1] = {}): Promise<Echo> {
  const answer = await send(path, init);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as Echo;
}

describe("the front door", () => {
  it("forwards method, path, query and body to the API and returns its status and body", async () => {
    const echo = await echoOf("/api/u1/tasks?status=pending", {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: [JSON.stringify({ title: "Buy milk" })],
    });
    expect(echo.method).toBe("PUT");
    expect(echo.url).toBe("/api/u1/tasks?status=pending");
    expect(JSON.parse(echo.body)).toEqual({ title: "Buy milk" });
    expect(echo.headers.authorization).toBe("Bearer t");
    expect(echo.headers["content-type"]).toBe("application/json");
  });

  it.each(["DELETE", "PATCH", "POST", "OPTIONS"])("forwards %s", async (method) => {
    expect((await echoOf("/api/x", { method })).method).toBe(method);
  });

  it("hands every other path to Next, and resolves dot segments before choosing", async () => {
    expect((await send("/tasks")).text).toBe("next: /tasks");
    expect((await send("/api")).text).toBe("next: /api");
    expect((await send("/mcpx")).text).toBe("next: /mcpx");
    // (node:http resolves dot segments before sending, so these are asked of the path rule itself.)
    expect(proxiedPath("/api/../healthz")).toBeNull();
    expect(proxiedPath("/api/a/../b?q=1")).toBe("/api/b?q=1");
    expect(proxiedPath("/mcp?x=1")).toBe("/mcp?x=1");
    expect(proxiedPath("/mcp/")).toBeNull();
  });

  it("keeps the Origin and Cookie headers Better Auth needs and adds x-forwarded-*", async () => {
    const { headers } = await echoOf("/api/auth/sign-out", {
      method: "POST",
      headers: { origin: "http://localhost:3000", cookie: "session=abc; other=1", host: "localhost:3000" },
    });
    expect(headers.origin).toBe("http://localhost:3000");
    expect(headers.cookie).toBe("session=abc; other=1");
    expect(headers["x-forwarded-host"]).toBe("localhost:3000");
    expect(headers["x-forwarded-proto"]).toBe("http");
    expect(headers["x-forwarded-port"]).toBe(new URL(web.url).port);
    expect(headers.host).toBe(new URL(api.url).host);
  });

  it.each(["/api/auth/sign-in/email", "/mcp"])(
    "%s: the API is sent one client address, the peer; the client's own forwarding headers never reach it",
    async (path) => {
      const { url, headers } = await echoOf(path, {
        method: "POST",
        headers: {
          authorization: "Bearer key",
          "x-forwarded-for": "198.51.100.9",
          "x-forwarded-proto": "gopher",
          "x-forwarded-host": "evil.example",
          forwarded: "for=203.0.113.1",
          "x-real-ip": "203.0.113.2",
        },
        body: ["{}"],
      });
      expect(url).toBe(path);
      expect(headers.authorization).toBe("Bearer key");
      expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
      expect(headers["x-forwarded-proto"]).toBe("http");
      expect(headers["x-forwarded-host"]).toBe(new URL(web.url).host);
      expect(headers.forwarded).toBeUndefined();
      expect(headers["x-real-ip"]).toBeUndefined();
    },
  );

  it("Next's own pages never see a client's forwarding headers either", async () => {
    const seen = await startServer(frontDoor((req, res) => res.end(JSON.stringify(req.headers)), webEnv));
    try {
      const answer = await fetch(`${seen.url}/tasks`, {
        headers: { "x-forwarded-for": "203.0.113.66", forwarded: "for=1.2.3.4", "x-real-ip": "1.2.3.4" },
      });
      const headers = (await answer.json()) as Record<string, string>;
      expect(headers["x-forwarded-for"]).toBeUndefined();
      expect(headers.forwarded).toBeUndefined();
      expect(headers["x-real-ip"]).toBeUndefined();
    } finally {
      await seen.close();
    }
  });

  it("is installed in front of every server by `node --import server/front-door.mjs`", async () => {
    // A child process like the image's: the front door loaded first, then a server like Next's.
    const script = `
      import { createServer } from "node:http";
      const server = createServer((req, res) => res.end("next: " + JSON.stringify(req.headers["x-real-ip"] ?? null)));
      server.listen(0, "127.0.0.1", async () => {
        const { port } = server.address();
        const next = await (await fetch("http://127.0.0.1:" + port + "/tasks", { headers: { "x-real-ip": "1.2.3.4" } })).text();
        const api = await (await fetch("http://127.0.0.1:" + port + "/api/x", { headers: { "x-real-ip": "1.2.3.4" } })).json();
        console.log(JSON.stringify({ next, apiUrl: api.url, apiRealIp: api.headers["x-real-ip"] ?? null }));
        server.close();
      });`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        join(import.meta.dirname, "../server/front-door.mjs"),
        "--input-type=module",
        "-e",
        script,
      ],
      { env: { ...process.env, API_URL: api.url } },
    );
    expect(JSON.parse(stdout)).toEqual({ next: "next: null", apiUrl: "/api/x", apiRealIp: null });
  });

  it("strips hop-by-hop headers, including those named by Connection", async () => {
    const { headers } = await echoOf("/api/x", {
      headers: {
        connection: "x-private-hop",
        "x-private-hop": "1",
        "proxy-authorization": "secret",
        te: "trailers",
      },
    });
    expect(headers["x-private-hop"]).toBeUndefined();
    expect(headers["proxy-authorization"]).toBeUndefined();
    expect(headers.te).toBeUndefined();
  });

  it("returns every Set-Cookie header separately, unjoined, and drops the API's Keep-Alive", async () => {
    const answer = await send("/api/cookies");
    expect(answer.headers["set-cookie"]).toEqual([
      "session=abc; Path=/; HttpOnly; SameSite=Lax; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
      "csrf=xyz; Path=/",
    ]);
    expect(answer.headers["keep-alive"]).not.toBe("timeout=99");
  });

  it("passes error statuses and bodies through unchanged", async () => {
    const answer = await send("/api/missing");
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: "not_found", message: "Task not found" } });
  });

  it("passes 204 and redirects through without following them", async () => {
    expect((await send("/api/empty", { method: "DELETE" })).status).toBe(204);
    const redirect = await send("/api/redirect");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe("/elsewhere");
  });

  it("streams the response: the first chunk arrives before the API finishes", async () => {
    const response = await fetch(`${web.url}/api/stream`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
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
    const answer = await send("/api/upload", {
      method: "POST",
      headers: { "transfer-encoding": "chunked" },
      body: ["part one,", "part two"],
      beforeEnd: async () => {
        await seen;
        expect(streamedRequestChunks.join("")).toBe("part one,");
      },
    });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text)).toEqual({ received: "part one,part two" });
  });

  it("passes a compressed answer through as the API sent it, encoding and all", async () => {
    const answer = await send("/api/gzip");
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(answer.body).toString()).toBe("decoded text");
  });

  it("answers 502 with a JSON error when the API is unreachable", async () => {
    const down = await startServer(() => {});
    await down.close();
    webEnv.API_URL = down.url;
    try {
      const answer = await send("/api/u1/tasks");
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "bad_gateway" } });
    } finally {
      webEnv.API_URL = api.url;
    }
  });

  it("reads API_URL on every request, so one build serves every environment", async () => {
    const other = await startServer((_req, res) => {
      res.end("other backend");
    });
    try {
      expect((await echoOf("/api/x")).url).toBe("/api/x");
      webEnv.API_URL = `${other.url}/`;
      expect((await send("/api/x")).text).toBe("other backend");
    } finally {
      webEnv.API_URL = api.url;
      await other.close();
    }
  });

  it("defaults to http://localhost:8000 when API_URL is unset", () => {
    expect(apiUrlFromEnv({})).toBe("http://localhost:8000");
    expect(apiUrlFromEnv({ API_URL: " http://backend:8000/ " })).toBe("http://backend:8000");
  });
});
