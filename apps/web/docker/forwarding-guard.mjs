// Loaded before Next's server (`node --import ./docker/forwarding-guard.mjs …server.js`, and by the
// image's entry point): removes the forwarding headers a client sent itself (X-Forwarded-For,
// X-Forwarded-Proto, Forwarded, X-Real-IP…) from every incoming request before Next sees it.
//
// Why here: Next fills X-Forwarded-For from the socket only when the header is absent (`??=`), so a
// client that sends its own value would be believed by the /api proxy, and by the API behind it,
// which rate-limits sign-in per client address. Without the client's headers Next writes the real
// peer address and scheme, and lib/proxy.ts forwards exactly those to the API.
import http from "node:http";
import { syncBuiltinESMExports } from "node:module";
import { stripClientForwarding } from "./forwarding-headers.mjs";

const createServer = http.createServer;
http.createServer = function guardedCreateServer(...args) {
  const server = createServer.apply(this, args);
  // First listener: runs before Next's request handler on every request.
  server.prependListener("request", stripClientForwarding);
  return server;
};
// Named ESM imports (`import { createServer } from "node:http"`) see the guarded function too.
syncBuiltinESMExports();
