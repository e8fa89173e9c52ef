// How the bench runs the built API: the environment of a production pod (JSON logs at info, metrics,
// offline agent) with the heap bounds its image sets, on a given database.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Child, startNode } from "./processes.ts";

/** The heap bounds the API's image sets (apps/api/Dockerfile, ENV NODE_OPTIONS): the API runs with them. */
function imageNodeOptions(root: string): string {
  const dockerfile = readFileSync(join(root, "apps/api/Dockerfile"), "utf8");
  const options = /^\s*NODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1];
  if (options === undefined) throw new Error("apps/api/Dockerfile sets no NODE_OPTIONS");
  return options;
}

export function apiEnv(
  root: string,
  databaseUrl: string,
  secret: string,
): Record<string, string> & { NODE_OPTIONS: string } {
  return {
    NODE_ENV: "production",
    PUBLIC_URL: "http://localhost:3000",
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: secret,
    LOG_LEVEL: "info",
    AGENT_MODE: "offline",
    // The bench signs a handful of users up and sends thousands of chat turns: the per-user limits
    // protect a real deployment, here they would only turn the load into 429s.
    CHAT_RATE_LIMIT_PER_MINUTE: "100000000",
    AUTH_RATE_LIMIT_PER_MINUTE: "1000",
    SHUTDOWN_DELAY_MS: "0",
    NODE_OPTIONS: imageNodeOptions(root),
  };
}

/** Starts `<dist>/main.js` on `port` with `env`; resolves once /readyz answers 200. */
export function startApi(opts: {
  name: string;
  dist: string;
  env: Record<string, string>;
  port: number;
  logFile: string;
}): Promise<Child> {
  return startNode({
    name: opts.name,
    args: [join(opts.dist, "main.js")],
    env: { ...opts.env, PORT: String(opts.port) },
    readyUrl: `http://127.0.0.1:${opts.port}/readyz`,
    logFile: opts.logFile,
  });
}
