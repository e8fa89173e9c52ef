import { z } from "zod";
import { AppError } from "../../http/errors.js";
import { description, title } from "../../tasks/schemas.js";
import { updateTask } from "../../tasks/service.js";
import { defineTool, taskId, userIdArg } from "./shared.js";

const inputSchema = z.object({
  task_id: taskId,
  title: title.optional().describe("The new title, 1-200 characters"),
  description: description.optional().describe("The new description, up to 1000 characters"),
  user_id: userIdArg,
});

export const updateTaskTool = defineTool({
  name: "update_task",
  title: "Update a task",
  description:
    "Change a task's title and/or description (change / update / rename / edit). Needs the task id; " +
    'call list_tasks first to find it by name. Returns {task_id, status: "updated", title}.',
  inputSchema,
  annotations: { idempotentHint: true, destructiveHint: false },
  run: async (ctx, args) => {
    if (args.title === undefined && args.description === undefined) {
      throw new AppError("validation_error", "Nothing to update: give a new title and/or description");
    }
    const task = await updateTask(ctx.db, ctx.userId, args.task_id, {
      title: args.title,
      description: args.description,
    });
    return { task_id: task.id, status: "updated", title: task.title };
  },
});
