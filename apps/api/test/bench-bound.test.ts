// make bench compares the API with a bare server that sends the same SQL (bench/bound-server.ts): this
// fails when the task service's statements change and the bound's copy does not, so the bound never
// quietly measures a cheaper query.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { INSERT_SQL, LIST_SQL } from "../../../bench/lib/bound-sql.ts";
import type { RunningServer } from "../src/server.js";
import { createTask, listTasks } from "../src/tasks/service.js";
import { signUp, startTestServer, type TestUser } from "./support/harness.js";

describe("the bench's bound server", () => {
  let server: RunningServer;
  let alice: TestUser;

  beforeAll(async () => {
    server = await startTestServer("pglite");
    alice = await signUp(server, "Alice");
  });
  afterAll(() => server?.shutdown());

  it("sends the SQL the task service sends for the list and the insert", async () => {
    const client = (server.database.db as unknown as { $client: { query(text: string): unknown } }).$client;
    const query = vi.spyOn(client, "query");
    try {
      await createTask(server.database.db, alice.id, { title: "Buy milk" });
      await listTasks(server.database.db, alice.id);
      expect(query.mock.calls.map((call) => call[0])).toEqual([INSERT_SQL, LIST_SQL]);
    } finally {
      query.mockRestore();
    }
  });
});
