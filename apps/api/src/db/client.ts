// One factory for the database: embedded PGlite in DATA_DIR when DATABASE_URL is unset,
// otherwise a pooled node-postgres connection (DB_POOL_MAX). Both expose the same Drizzle API.
// PGlite (a WebAssembly PostgreSQL, tens of MB once loaded) is imported only when it is used.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { fillPlaceholders, type SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "./schema.js";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** PostgreSQL's type id of timestamptz. */
const TIMESTAMPTZ = 1184;
const timestampAsText = (text: string) => text;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ
      ? timestampAsText
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A query built with Drizzle, run by the driver itself: rows come back as the driver gives them
 * (columns named as in the SQL) without Drizzle's mapping of every row, which was a tenth of a
 * long list's cost, and timestamps as PostgreSQL's text (new Date() reads it; node-postgres' own
 * Date parser allocates several times more). node-postgres prepares it once per connection under
 * `name`; PGlite runs it in-process. Values fill the query's sql.placeholder()s by name.
 */
export function driverQuery<Row>(
  db: Db,
  name: string,
  query: { toSQL(): { sql: string; params: unknown[] } },
): (values: Record<string, unknown>) => Promise<Row[]> {
  const { sql: text, params } = query.toSQL();
  const client = (db as unknown as { $client: pg.Pool | pg.ClientBase | PgliteClient }).$client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    return async (values) =>
      (
        await client.query<Row & pg.QueryResultRow>({
          name,
          text,
          values: fillPlaceholders(params, values),
          types: pgTypes,
        })
      ).rows;
  }
  const pglite = client as PgliteClient;
  const parsers = { [TIMESTAMPTZ]: timestampAsText };
  return async (values) =>
    (await pglite.query<Row>(text, fillPlaceholders(params, values), { parsers })).rows;
}

/** What driverQuery needs of PGlite (imported only when it is used). */
interface PgliteClient {
  query<T>(
    text: string,
    params: unknown[],
    options: { parsers: Record<number, (text: string) => unknown> },
  ): Promise<{ rows: T[] }>;
}

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs `fn` on one dedicated session (needed for session-level advisory locks). */
  withSession<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Connection pool figures for /metrics (PGlite: one connection, never waiting). */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolMax: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (!opts.databaseUrl) {
    // One process per data directory: PGlite loses writes when two processes share one.
    const dir = resolve(opts.dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
    ]);
    const client = await PGlite.create(dir);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      withSession: (fn) => fn(db),
      poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
      close: () => client.close(),
    };
  }
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolMax,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // A dropped server connection must not crash the process; the pool reconnects on next use.
  pool.on("error", () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn(drizzlePg(client, { schema }) as unknown as Db);
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
