// The web app's run-time proxy: every /api/* request (auth, tasks, chat) and /mcp go from the
// browser's origin to the backend at API_URL, read per request so one build serves every
// environment. It runs in front of Next (front-door.mjs hands these paths here before Next's
// router sees them): plain node:http, keep-alive to the API, bodies streamed both ways.
import http from "node:http";
import https from "node:https";
import { stripClientForwarding } from "./forwarding-headers.mjs";

export const DEFAULT_API_URL = "http://localhost:8000";

/** Headers that describe one hop of the connection, never the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/** The backend base URL, without a trailing slash. */
export function apiUrlFromEnv(env = process.env) {
  const raw = env.API_URL?.trim() || DEFAULT_API_URL;
  return raw.replace(/\/+$/, "");
}

/** The path and query of a proxied request, or null when Next serves it. Dot segments resolved. */
export function proxiedPath(rawUrl) {
  if (!rawUrl?.startsWith("/api/") && !rawUrl?.startsWith("/mcp")) return null;
  const url = new URL(rawUrl, "http://web.invalid");
  return url.pathname.startsWith("/api/") || url.pathname === "/mcp" ? url.pathname + url.search : null;
}

const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};
let target = { raw: "", url: new URL(DEFAULT_API_URL) };

function targetUrl(raw) {
  if (target.raw !== raw) target = { raw, url: new URL(raw) };
  return target.url;
}

function withoutHopByHop(headers) {
  const out = { ...headers };
  // `Connection: x-foo` also marks x-foo as hop-by-hop.
  const listed = headers.connection;
  if (listed) for (const name of listed.split(",")) delete out[name.trim().toLowerCase()];
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function badGateway(res, message) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: "bad_gateway", message } });
  res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Sends `req` to the API with the same method, path (`path`, from proxiedPath) and query, and pipes
 * the answer back unchanged apart from hop-by-hop headers; 502 when the API cannot be reached.
 * The client's own forwarding headers are already gone (front-door.mjs); the API is sent one client
 * address of this proxy's own, the peer, which it trusts for its per-address limits (TRUSTED_PROXIES).
 */
export function proxyToApi(req, res, path, apiUrl) {
  const url = targetUrl(apiUrl);
  const headers = withoutHopByHop(req.headers);
  headers.host = url.host;
  headers["x-forwarded-for"] = req.socket.remoteAddress;
  headers["x-forwarded-proto"] = req.socket.encrypted ? "https" : "http";
  headers["x-forwarded-host"] = req.headers.host ?? url.host;
  headers["x-forwarded-port"] = String(req.socket.localPort);

  const upstream = (url.protocol === "https:" ? https : http).request(
    {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      method: req.method,
      path: `${url.pathname === "/" ? "" : url.pathname}${path}`,
      headers,
      agent: agents[url.protocol],
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    },
  );
  upstream.on("error", (error) => {
    if (res.destroyed) return;
    console.error(`proxy: ${req.method} ${path.split("?")[0]} -> ${apiUrl} failed: ${error.message}`);
    badGateway(res, "The API server is unreachable. Please try again in a moment.");
  });
  // The browser went away before the answer was complete: stop the API's work too.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/**
 * Wraps Next's request handler (installed by front-door.mjs): the client's own forwarding headers
 * are dropped from every request, and proxied paths go to the API at `env.API_URL` as it is then.
 */
export function frontDoor(next, env = process.env) {
  return function frontDoorHandler(req, res) {
    stripClientForwarding(req);
    const path = proxiedPath(req.url);
    if (path === null) return next(req, res);
    proxyToApi(req, res, path, apiUrlFromEnv(env));
  };
}
