// Applies the committed drizzle-kit migrations while holding a Postgres advisory lock, so that
// several processes starting at once (replicas, init containers) apply each migration exactly once.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { type Database, type Db, queryRows } from "./client.js";

/** Resolves next to this module: src/db/migrations in development, dist/migrations when bundled. */
export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

// An arbitrary constant shared by every instance of this app: "todo" in ASCII.
const LOCK_ID = 0x746f646f;

export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export async function appliedMigrationCount(db: Db): Promise<number> {
  const [table] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return 0;
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(count?.n ?? 0);
}

/** Returns the number of migrations this call applied (0 when the schema was already current). */
export async function runMigrations(database: Database): Promise<number> {
  return database.withSession(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${LOCK_ID})`);
    try {
      const before = await appliedMigrationCount(db);
      // The node-postgres migrator only uses the generic session API, which PGlite's driver shares.
      await migrate(db as Parameters<typeof migrate>[0], { migrationsFolder });
      return (await appliedMigrationCount(db)) - before;
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${LOCK_ID})`);
    }
  });
}
