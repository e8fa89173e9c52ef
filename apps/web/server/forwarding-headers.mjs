// The forwarding headers a client may send itself and the web app must not pass on (see
// api-proxy.mjs, whose front door applies this to every request before Next sees it).

export const CLIENT_FORWARDING_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-port",
  "x-forwarded-proto",
  "x-real-ip",
];

/** Drops the client's forwarding headers from a Node request, in place. */
export function stripClientForwarding(req) {
  for (const name of CLIENT_FORWARDING_HEADERS) delete req.headers[name];
}
