// Process entry point: load config, start, and exit 0 after a graceful shutdown on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from "./config.js";
import { startServer } from "./server.js";

try {
  const server = await startServer(loadConfig());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      server.shutdown(signal).then(
        () => process.exit(0),
        (err) => {
          console.error(`shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `start-up failed: ${(err as Error).message}`);
  process.exit(1);
}
