import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

export declare const DEFAULT_API_URL: string;
export declare function apiUrlFromEnv(env?: Record<string, string | undefined>): string;
export declare function proxiedPath(rawUrl: string | undefined): string | null;
export declare function proxyToApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  apiUrl: string,
): void;
export declare function frontDoor(
  next: (req: IncomingMessage, res: ServerResponse) => void,
  env?: Record<string, string | undefined>,
): RequestListener;
