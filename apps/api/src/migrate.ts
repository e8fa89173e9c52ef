// Standalone migration entry point (`npm run migrate -w apps/api`, `node dist/migrate.js`): applies
// pending migrations under the advisory lock and exits 0. Kubernetes runs it before the API serves.
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";

try {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: 1,
  });
  try {
    const applied = await runMigrations(database);
    console.log(JSON.stringify({ msg: "migrations applied", applied, db: database.kind }));
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `migration failed: ${(err as Error).message}`);
  process.exit(1);
}
