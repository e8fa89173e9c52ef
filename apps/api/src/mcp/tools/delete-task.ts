import { z } from "zod";
import { deleteTask } from "../../tasks/service.js";
import { defineTool, taskId, userIdArg } from "./shared.js";

const inputSchema = z.object({ task_id: taskId, user_id: userIdArg });

export const deleteTaskTool = defineTool({
  name: "delete_task",
  title: "Delete a task",
  description:
    "Delete a task for good (delete / remove / cancel / drop). Needs the task id; call list_tasks " +
    'first to find it by name. Returns {task_id, status: "deleted", title}.',
  inputSchema,
  annotations: { destructiveHint: true },
  run: async (ctx, args) => {
    const task = await deleteTask(ctx.db, ctx.userId, args.task_id);
    return { task_id: task.id, status: "deleted", title: task.title };
  },
});
