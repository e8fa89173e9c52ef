// The todo MCP server: the five tools of SPEC §3, one file each under ./tools, all bound to one
// authenticated user. A new server is built per HTTP request (stateless) and per chat turn.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { registerAddTask } from "./tools/add-task.js";
import { registerCompleteTask } from "./tools/complete-task.js";
import { registerDeleteTask } from "./tools/delete-task.js";
import { registerListTasks } from "./tools/list-tasks.js";
import type { ToolContext } from "./tools/shared.js";
import { registerUpdateTask } from "./tools/update-task.js";

export const TOOL_NAMES = ["add_task", "list_tasks", "complete_task", "delete_task", "update_task"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

// One JSON Schema validator for every server: by default each McpServer builds its own Ajv
// instance, which was most of the cost of an MCP request and of a chat turn.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

export function createTodoMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: "todo-chatbot", version: "0.1.0" },
    {
      capabilities: { tools: {} },
      jsonSchemaValidator,
      instructions:
        "Manage the authenticated user's todo list. Find a task's id with list_tasks before completing, " +
        "updating or deleting it by name.",
    },
  );
  registerAddTask(server, ctx);
  registerListTasks(server, ctx);
  registerCompleteTask(server, ctx);
  registerDeleteTask(server, ctx);
  registerUpdateTask(server, ctx);
  return server;
}
