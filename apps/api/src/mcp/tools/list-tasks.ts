import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { taskStatus } from "../../tasks/schemas.js";
import { listTasks } from "../../tasks/service.js";
import { runTool, type ToolContext, userIdArg } from "./shared.js";

export function registerListTasks(server: McpServer, ctx: ToolContext) {
  server.registerTool(
    "list_tasks",
    {
      title: "List tasks",
      description:
        "List the user's tasks, newest first. status: 'pending' for what is left to do, 'completed' for " +
        "what is done, 'all' (default) for everything. Also use it to find a task's id from its name. " +
        "Returns [{id, title, description, completed, created_at}].",
      inputSchema: {
        status: taskStatus.optional().describe("Which tasks: all (default), pending or completed"),
        user_id: userIdArg,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) =>
      runTool(ctx, "list_tasks", args, async () => {
        const tasks = await listTasks(ctx.db, ctx.userId, args.status ?? "all");
        return tasks.map((t) => ({
          id: t.id,
          title: t.title,
          description: t.description,
          completed: t.completed,
          created_at: t.created_at,
        }));
      }),
  );
}
