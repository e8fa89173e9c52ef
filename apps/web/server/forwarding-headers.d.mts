import type { IncomingMessage } from "node:http";

export declare const CLIENT_FORWARDING_HEADERS: string[];
export declare function stripClientForwarding(req: IncomingMessage): void;
