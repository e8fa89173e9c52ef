// The API's OpenAPI document without a listening server: the real app, wired on a throwaway
// PGlite database, builds the same document GET /openapi.json serves.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPENAPI_DOCUMENT } from "./app.js";
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
    return JSON.parse(JSON.stringify(app.getOpenAPI31Document(OPENAPI_DOCUMENT))) as Record<string, unknown>;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
