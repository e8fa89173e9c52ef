import { z } from "zod";
import { pageCursor, pageLimit, taskStatus } from "../../tasks/schemas.js";
import { listTasks, type Task } from "../../tasks/service.js";
import { defineTool, userIdArg } from "./shared.js";

const listed = (t: Task) => ({
  id: t.id,
  title: t.title,
  description: t.description,
  completed: t.completed,
  created_at: t.created_at,
});

const inputSchema = z.object({
  status: taskStatus.optional().describe("Which tasks: all (default), pending or completed"),
  limit: pageLimit.optional(),
  cursor: pageCursor.optional().describe("next_cursor of the previous answer"),
  user_id: userIdArg,
});

export const listTasksTool = defineTool({
  name: "list_tasks",
  title: "List tasks",
  description:
    "List the user's tasks, newest first. status: 'pending' for what is left to do, 'completed' for " +
    "what is done, 'all' (default) for everything. Also use it to find a task's id from its name. " +
    "Returns [{id, title, description, completed, created_at}]. For long lists pass limit (and then " +
    "cursor = the previous answer's next_cursor): the answer is then {tasks: [...], next_cursor}, " +
    "next_cursor being null on the last page.",
  inputSchema,
  annotations: { readOnlyHint: true },
  run: async (ctx, args) => {
    const page = await listTasks(ctx.db, ctx.userId, args);
    if (args.limit === undefined && args.cursor === undefined) return page.tasks.map(listed);
    return { tasks: page.tasks.map(listed), next_cursor: page.nextCursor ?? null };
  },
});
