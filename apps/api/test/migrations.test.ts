// The migrator: idempotent, and safe when several processes start at once (advisory lock).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "../src/db/client.js";
import { appliedMigrationCount, expectedMigrationCount, runMigrations } from "../src/db/migrate.js";
import { createPostgresDatabase, tempDir } from "./support/harness.js";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const tables = [
  "user",
  "session",
  "account",
  "verification",
  "jwks",
  "apikey",
  "tasks",
  "conversations",
  "messages",
  "rate_limits",
];

/** Only the rate-limit counters are unlogged (migration 0004): every other table is crash-safe. */
async function unloggedTables(db: Parameters<typeof queryRows>[0]): Promise<string[]> {
  const rows = await queryRows<{ t: string }>(
    db,
    sql`select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relpersistence = 'u' order by 1`,
  );
  return rows.map((r) => r.t);
}

async function publicTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      "select tablename as t from pg_tables where schemaname = 'public' order by 1",
    );
    return rows.map((r) => r.t);
  } finally {
    await client.end();
  }
}

function runMigrateProcess(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/migrate.ts"], {
      cwd: apiDir,
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("migrations", () => {
  it("apply once on PGlite and are a no-op the second time", async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir, poolMax: 1 });
    try {
      expect(await runMigrations(db)).toBe(expectedMigrationCount());
      expect(await runMigrations(db)).toBe(0);
      expect(await appliedMigrationCount(db.db)).toBe(expectedMigrationCount());
      expect(await unloggedTables(db.db)).toEqual(["rate_limits"]);
    } finally {
      await db.close();
    }
  });

  it("apply once on PostgreSQL, create every table with its indexes, and are a no-op the second time", async () => {
    const url = await createPostgresDatabase();
    const db = await openDatabase({ databaseUrl: url, dataDir: tempDir(), poolMax: 2 });
    try {
      expect(await runMigrations(db)).toBe(expectedMigrationCount());
      expect(await runMigrations(db)).toBe(0);
      expect(await publicTables(url)).toEqual([...tables].sort());
      const indexes = await queryRows<{ indexname: string }>(
        db.db,
        sql`select indexname from pg_indexes where tablename in ('tasks', 'messages') order by 1`,
      );
      expect(indexes.map((i) => i.indexname)).toEqual(
        expect.arrayContaining([
          "tasks_user_id_created_at_id_idx",
          "tasks_user_id_completed_created_at_id_idx",
          "messages_conversation_id_idx",
        ]),
      );
      expect(await unloggedTables(db.db)).toEqual(["rate_limits"]);
    } finally {
      await db.close();
    }
  });

  it("two concurrent migrators in one process produce one schema", async () => {
    const url = await createPostgresDatabase();
    const a = await openDatabase({ databaseUrl: url, dataDir: tempDir(), poolMax: 2 });
    const b = await openDatabase({ databaseUrl: url, dataDir: tempDir(), poolMax: 2 });
    try {
      const applied = await Promise.all([runMigrations(a), runMigrations(b)]);
      expect(applied.sort()).toEqual([0, expectedMigrationCount()]);
      expect(await appliedMigrationCount(a.db)).toBe(expectedMigrationCount());
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("three migrate processes started at once all succeed and apply each migration exactly once", async () => {
    const url = await createPostgresDatabase();
    const env = { DATABASE_URL: url, LOG_LEVEL: "silent" };
    const results = await Promise.all([
      runMigrateProcess(env),
      runMigrateProcess(env),
      runMigrateProcess(env),
    ]);
    for (const r of results) expect(r.code, r.out).toBe(0);
    const applied = results.map((r) => Number(/"applied":(\d+)/.exec(r.out)?.[1])).sort();
    expect(applied).toEqual([0, 0, expectedMigrationCount()]);
    expect(await publicTables(url)).toEqual([...tables].sort());
  });

  it("the migrate entry point fails with one clear line when the database is unreachable", async () => {
    const r = await runMigrateProcess({ DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/none" });
    expect(r.code).toBe(1);
    expect(r.out.trim()).toMatch(/^migration failed: .*ECONNREFUSED/);
  });
});
