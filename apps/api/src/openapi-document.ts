// The API's OpenAPI document without a listening server: the real app on a throwaway PGlite
// database answers GET /openapi.json in-process, so the document is exactly the one it serves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./config.js";
import { openApp } from "./server.js";

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-openapi-"));
  const { app, database } = await openApp(
    loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      AGENT_MODE: "offline",
      MIGRATE_ON_START: "false",
    }),
  );
  try {
    const response = await app.request("/openapi.json");
    if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
