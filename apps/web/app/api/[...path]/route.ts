import { apiUrlFromEnv, forwardToApi } from "@/lib/proxy";

// Every /api/* request (auth, tasks, chat) goes to the backend at API_URL, read per request.
export const dynamic = "force-dynamic";

function handle(request: Request): Promise<Response> {
  return forwardToApi(request, apiUrlFromEnv());
}

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
