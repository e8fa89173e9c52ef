import { z } from "zod";
import { updateTask } from "../../tasks/service.js";
import { defineTool, taskId, userIdArg } from "./shared.js";

const inputSchema = z.object({ task_id: taskId, user_id: userIdArg });

export const completeTaskTool = defineTool({
  name: "complete_task",
  title: "Complete a task",
  description:
    "Mark a task as completed (done / finished). Idempotent: completing a completed task keeps it " +
    'completed. Needs the task id; call list_tasks first to find it by name. Returns {task_id, status: "completed", title}.',
  inputSchema,
  annotations: { idempotentHint: true, destructiveHint: false },
  run: async (ctx, args) => {
    // Set, not toggle: a model repeating the call must not reopen the task.
    const task = await updateTask(ctx.db, ctx.userId, args.task_id, { completed: true });
    return { task_id: task.id, status: "completed", title: task.title };
  },
});
