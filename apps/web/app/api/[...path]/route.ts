import { proxyToApi } from "@/lib/proxy";

// Every /api/* request (auth, tasks, chat) goes to the backend at API_URL, read per request.
export const dynamic = "force-dynamic";

export const GET = proxyToApi;
export const HEAD = proxyToApi;
export const POST = proxyToApi;
export const PUT = proxyToApi;
export const PATCH = proxyToApi;
export const DELETE = proxyToApi;
export const OPTIONS = proxyToApi;
