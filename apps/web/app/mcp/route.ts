import { apiUrlFromEnv, forwardToApi } from "@/lib/proxy";

// The API's MCP server (streamable HTTP) on this origin too, so the address MCP clients are given on
// the Settings page is the one the browser already uses. Authentication stays with the API (a
// personal API key or a JWT as Bearer); responses, event streams included, pass through unbuffered.
export const dynamic = "force-dynamic";

function handle(request: Request): Promise<Response> {
  return forwardToApi(request, apiUrlFromEnv());
}

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
