import { z } from "zod";
import { description, title } from "../../tasks/schemas.js";
import { createTask } from "../../tasks/service.js";
import { defineTool, userIdArg } from "./shared.js";

const inputSchema = z.object({
  title: title.describe("Short title of the task, 1-200 characters, e.g. 'Buy groceries'"),
  description: description.optional().describe("Optional longer details, up to 1000 characters"),
  user_id: userIdArg,
});

export const addTaskTool = defineTool({
  name: "add_task",
  title: "Add a task",
  description:
    "Create a new task on the user's todo list. Use for add / create / remember / 'I need to…'. " +
    'Returns {task_id, status: "created", title}.',
  inputSchema,
  annotations: { destructiveHint: false, idempotentHint: false },
  run: async (ctx, args) => {
    const task = await createTask(ctx.db, ctx.userId, {
      title: args.title,
      description: args.description,
    });
    return { task_id: task.id, status: "created", title: task.title };
  },
});
