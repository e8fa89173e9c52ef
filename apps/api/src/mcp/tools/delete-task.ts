import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { deleteTask } from "../../tasks/service.js";
import { runTool, type ToolContext, taskId, userIdArg } from "./shared.js";

// Built once: a server is built per MCP request and per chat turn.
const inputSchema = z.object({ task_id: taskId, user_id: userIdArg });

export function registerDeleteTask(server: McpServer, ctx: ToolContext) {
  server.registerTool(
    "delete_task",
    {
      title: "Delete a task",
      description:
        "Delete a task for good (delete / remove / cancel / drop). Needs the task id; call list_tasks " +
        'first to find it by name. Returns {task_id, status: "deleted", title}.',
      inputSchema,
      annotations: { destructiveHint: true },
    },
    async (args) =>
      runTool(ctx, "delete_task", args, async () => {
        const task = await deleteTask(ctx.db, ctx.userId, args.task_id);
        return { task_id: task.id, status: "deleted", title: task.title };
      }),
  );
}
