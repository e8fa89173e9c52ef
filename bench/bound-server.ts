// The bound for the API: a bare Hono + `pg` server that answers the same requests with the same
// SQL (the statements Drizzle generates for the task service) on the same database, and nothing
// else: no auth, validation, logging or metrics. The API's throughput is reported as a ratio of
// this server's, measured in the same run. Started by bench/run.ts: PORT, DATABASE_URL.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import pg from "pg";
import { INSERT_SQL, LIST_SQL } from "./lib/bound-sql.ts";

interface Row {
  id: number;
  user_id: string;
  title: string;
  description: string;
  completed: boolean;
  created_at: Date;
  updated_at: Date;
}

const toTask = (r: Row) => ({
  id: r.id,
  user_id: r.user_id,
  title: r.title,
  description: r.description,
  completed: r.completed,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = new Hono();
app.get("/healthz", (c) => c.json({ status: "ok" }));
app.get("/api/:user_id/tasks", async (c) => {
  const { rows } = await pool.query<Row>(LIST_SQL, [c.req.param("user_id")]);
  return c.json(rows.map(toTask));
});
app.post("/api/:user_id/tasks", async (c) => {
  const body = (await c.req.json()) as { title: string; description?: string };
  const { rows } = await pool.query<Row>(INSERT_SQL, [
    c.req.param("user_id"),
    body.title.trim(),
    body.description ?? "",
  ]);
  return c.json(toTask(rows[0] as Row), 201);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT) });
process.on("SIGTERM", () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
