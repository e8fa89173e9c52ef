import { proxyToApi } from "@/lib/proxy";

// The API's MCP server (streamable HTTP) on this origin too, so the address MCP clients are given on
// the Settings page is the one the browser already uses. Authentication stays with the API (a
// personal API key or a JWT as Bearer); responses, event streams included, pass through unbuffered.
// The same proxy as /api/*: the client's own forwarding headers are gone (docker/forwarding-guard.mjs)
// and the API is sent one client address, the peer, for its per-address limits.
export const dynamic = "force-dynamic";

export const GET = proxyToApi;
export const POST = proxyToApi;
export const DELETE = proxyToApi;
