// Loaded before Next's server (`node --import ./server/front-door.mjs …`: the image's entry point,
// `npm start` and `npm run dev` all do): every HTTP server Next creates gets the front door
// (api-proxy.mjs) in front of its request handler.
//
// 1. The forwarding headers a client sent itself (X-Forwarded-For, X-Forwarded-Proto, Forwarded,
//    X-Real-IP…) are removed from every request. Next fills X-Forwarded-For from the socket only
//    when it is absent, and the API rate-limits sign-in per client address, so a client's own value
//    must never be believed by anything behind this point.
// 2. /api/* and /mcp go straight to the API without passing through Next's router: a proxied
//    request costs what a bare node:http proxy costs (see docs/performance.md).
import http from "node:http";
import { syncBuiltinESMExports } from "node:module";
import { frontDoor } from "./api-proxy.mjs";

const createServer = http.createServer;
http.createServer = function createServerBehindFrontDoor(...args) {
  const at = args.findIndex((arg) => typeof arg === "function");
  if (at === -1) {
    throw new Error("front-door.mjs: http.createServer was called without a request handler");
  }
  args[at] = frontDoor(args[at]);
  return createServer.apply(this, args);
};
// Named ESM imports (`import { createServer } from "node:http"`) see the wrapped function too.
syncBuiltinESMExports();
