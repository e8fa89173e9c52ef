// The task service: every change to a task goes through here, from the REST routes and the MCP
// tools alike. Every query is scoped by the acting user's id; another user's task is "not found".
// The two statements every client sends most (the list, and a new task) are built by Drizzle once
// per database handle and run by the driver (driverQuery): PostgreSQL parses and plans them once
// per connection, and their rows are not mapped by the ORM.
import { and, desc, eq, getTableColumns, not, type SQL, sql } from "drizzle-orm";
import { type Db, driverQuery } from "../db/client.js";
import { type TaskRow, tasks } from "../db/schema.js";
import { AppError, notFound } from "../http/errors.js";
import type { ListOptions, NewTask, Task, TaskChanges, TaskStatus } from "./schemas.js";

export type { Task } from "./schemas.js";

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  user_id: row.userId,
  title: row.title,
  description: row.description,
  completed: row.completed,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const owned = (userId: string, id: number) => and(eq(tasks.userId, userId), eq(tasks.id, id));

/** The row a statement on one of the user's tasks found, or 404: none means no such task of theirs. */
function taskOrNotFound(row: TaskRow | undefined): Task {
  if (!row) throw notFound("task");
  return toTask(row);
}

/** One statement per database handle and name, prepared on first use. */
function preparedOnce<T>(build: (db: Db, name: string) => T) {
  const cache = new WeakMap<Db, Map<string, T>>();
  return (db: Db, name: string): T => {
    let byName = cache.get(db);
    if (!byName) cache.set(db, (byName = new Map()));
    let statement = byName.get(name);
    if (!statement) byName.set(name, (statement = build(db, name)));
    return statement;
  };
}

// ---- listing, optionally in pages -------------------------------------------------------------
// Newest first: created_at desc, id desc — the order of the (user_id, created_at, id) index. A page
// cursor names the last task shown by its exact position in that order (created_at in
// microseconds, which a JavaScript Date cannot hold, and id), base64url-encoded so that clients
// treat it as opaque; the next page starts strictly after it, so tasks added or deleted meanwhile
// never shift a page.

export const PAGE_LIMIT_MAX = 200;
/** The page size when a cursor comes without a limit. */
export const PAGE_LIMIT_DEFAULT = 50;

export interface TaskPage {
  tasks: Task[];
  /** Present when more tasks follow this page. */
  nextCursor?: string;
}

const positionUs = sql<string>`(extract(epoch from ${tasks.createdAt}) * 1000000)::bigint::text`.as(
  "position_us",
);

/** A task row as the driver answers it (see driverQuery): the table's column names, timestamps as text. */
interface DriverTaskRow {
  id: number;
  user_id: string;
  title: string;
  description: string;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

const fromDriverRow = (row: DriverTaskRow): Task => ({
  id: row.id,
  user_id: row.user_id,
  title: row.title,
  description: row.description,
  completed: row.completed,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

function encodeCursor(us: string, id: number): string {
  return Buffer.from(`${us}:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { us: string; id: number } {
  const match = /^(-?\d{1,19}):(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new AppError("validation_error", "cursor: not a cursor from X-Next-Cursor");
  return { us: match[1] as string, id: Number(match[2]) };
}

const listStatement = preparedOnce((db, name) => {
  const [status, paged, after] = name.split(":") as [TaskStatus, string, string];
  const where: SQL[] = [eq(tasks.userId, sql.placeholder("userId"))];
  if (status !== "all") where.push(eq(tasks.completed, status === "completed"));
  if (after === "after") {
    where.push(
      sql`(${tasks.createdAt}, ${tasks.id}) < (timestamptz 'epoch' + ${sql.placeholder("afterUs")}::bigint * interval '1 microsecond', ${sql.placeholder("afterId")})`,
    );
  }
  const query =
    paged === "page"
      ? db
          .select({ ...getTableColumns(tasks), positionUs })
          .from(tasks)
          .where(and(...where))
          .orderBy(desc(tasks.createdAt), desc(tasks.id))
          .limit(sql.placeholder("take"))
      : db
          .select()
          .from(tasks)
          .where(and(...where))
          .orderBy(desc(tasks.createdAt), desc(tasks.id));
  return driverQuery<DriverTaskRow & { position_us: string }>(
    db,
    `tasks_list_${name.replaceAll(":", "_")}`,
    query,
  );
});

export async function listTasks(db: Db, userId: string, opts: ListOptions = {}): Promise<TaskPage> {
  const status = opts.status ?? "all";
  if (opts.limit === undefined && opts.cursor === undefined) {
    const rows = await listStatement(db, `${status}:all:first`)({ userId });
    return { tasks: rows.map(fromDriverRow) };
  }
  const limit = opts.limit ?? PAGE_LIMIT_DEFAULT;
  const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
  const rows = await listStatement(
    db,
    `${status}:page:${after ? "after" : "first"}`,
  )({
    userId,
    take: limit + 1,
    ...(after && { afterUs: after.us, afterId: after.id }),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return rows.length > limit && last
    ? { tasks: page.map(fromDriverRow), nextCursor: encodeCursor(last.position_us, last.id) }
    : { tasks: page.map(fromDriverRow) };
}

const insertStatement = preparedOnce((db, name) =>
  driverQuery<DriverTaskRow>(
    db,
    name,
    db
      .insert(tasks)
      .values({
        userId: sql.placeholder("userId"),
        title: sql.placeholder("title"),
        description: sql.placeholder("description"),
      })
      .returning(),
  ),
);

export async function createTask(db: Db, userId: string, input: NewTask): Promise<Task> {
  const [row] = await insertStatement(
    db,
    "tasks_insert",
  )({
    userId,
    title: input.title,
    description: input.description ?? "",
  });
  // INSERT … RETURNING answers the new row or fails: no row is a broken database, not a 404.
  if (!row) throw new Error("the task insert returned no row");
  return fromDriverRow(row);
}

export async function getTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db.select().from(tasks).where(owned(userId, id));
  return taskOrNotFound(row);
}

export async function updateTask(db: Db, userId: string, id: number, changes: TaskChanges): Promise<Task> {
  const [row] = await db
    .update(tasks)
    .set({ ...changes, updatedAt: new Date() })
    .where(owned(userId, id))
    .returning();
  return taskOrNotFound(row);
}

export async function toggleTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: new Date() })
    .where(owned(userId, id))
    .returning();
  return taskOrNotFound(row);
}

export async function deleteTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db.delete(tasks).where(owned(userId, id)).returning();
  return taskOrNotFound(row);
}
