// The task service: every change to a task goes through here, from the REST routes and the MCP
// tools alike. Every query is scoped by the acting user's id; another user's task is "not found".
import { and, desc, eq, not } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type TaskRow, tasks } from "../db/schema.js";
import { notFound } from "../http/errors.js";

export type TaskStatus = "all" | "pending" | "completed";

export interface Task {
  id: number;
  user_id: string;
  title: string;
  description: string;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export const toTask = (row: TaskRow): Task => ({
  id: row.id,
  user_id: row.userId,
  title: row.title,
  description: row.description,
  completed: row.completed,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const owned = (userId: string, id: number) => and(eq(tasks.userId, userId), eq(tasks.id, id));

function found(row: TaskRow | undefined): Task {
  if (!row) throw notFound("task");
  return toTask(row);
}

export async function listTasks(db: Db, userId: string, status: TaskStatus = "all"): Promise<Task[]> {
  const filter =
    status === "all"
      ? eq(tasks.userId, userId)
      : and(eq(tasks.userId, userId), eq(tasks.completed, status === "completed"));
  const rows = await db.select().from(tasks).where(filter).orderBy(desc(tasks.createdAt), desc(tasks.id));
  return rows.map(toTask);
}

export async function createTask(
  db: Db,
  userId: string,
  input: { title: string; description?: string | undefined },
): Promise<Task> {
  const [row] = await db
    .insert(tasks)
    .values({ userId, title: input.title, description: input.description ?? "" })
    .returning();
  return found(row);
}

export async function getTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db.select().from(tasks).where(owned(userId, id));
  return found(row);
}

export async function updateTask(
  db: Db,
  userId: string,
  id: number,
  changes: { title?: string | undefined; description?: string | undefined; completed?: boolean | undefined },
): Promise<Task> {
  const [row] = await db
    .update(tasks)
    .set({ ...changes, updatedAt: new Date() })
    .where(owned(userId, id))
    .returning();
  return found(row);
}

export async function toggleTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: new Date() })
    .where(owned(userId, id))
    .returning();
  return found(row);
}

export async function deleteTask(db: Db, userId: string, id: number): Promise<Task> {
  const [row] = await db.delete(tasks).where(owned(userId, id)).returning();
  return found(row);
}
