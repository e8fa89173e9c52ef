// The todo MCP server: the five tools (one file each under ./tools) registered once per process on
// one McpServer, served to every caller (the /mcp endpoint and the chat agent alike).
//
// The SDK connects a server to one transport at a time, and a stateless HTTP transport serves one
// request only. So the server is connected once to the transport below, which carries the JSON-RPC
// messages of any number of callers at once: each request gets an id of its own on the way in
// (two clients may both send id 1) and its answer goes back to its caller with the caller's id.
// The acting user travels with every message as the SDK's authInfo, set by our code from the
// verified credential; a tool reads it from the handler's `extra`, never from the arguments.

import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCResponse,
} from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { addTaskTool } from "./tools/add-task.js";
import { completeTaskTool } from "./tools/complete-task.js";
import { deleteTaskTool } from "./tools/delete-task.js";
import { listTasksTool } from "./tools/list-tasks.js";
import { runTool, type TodoTool, type ToolDeps } from "./tools/shared.js";
import { updateTaskTool } from "./tools/update-task.js";

const TOOLS = [addTaskTool, listTasksTool, completeTaskTool, deleteTaskTool, updateTaskTool] as TodoTool[];

/** The authInfo that names the acting user of a message; only built from a verified credential. */
const callerAuth = (userId: string): AuthInfo => ({
  token: "",
  clientId: userId,
  scopes: [],
  extra: { userId },
});

function actingUser(authInfo: AuthInfo | undefined): string {
  const userId = authInfo?.extra?.userId;
  // Unreachable through TodoMcp, which requires a user for every message.
  if (typeof userId !== "string" || !userId) throw new Error("MCP message without an authenticated user");
  return userId;
}

function createTodoMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(
    { name: "todo-chatbot", version: "0.1.0" },
    {
      capabilities: { tools: {} },
      jsonSchemaValidator: new AjvJsonSchemaValidator(),
      instructions:
        "Manage the authenticated user's todo list. Find a task's id with list_tasks before completing, " +
        "updating or deleting it by name.",
    },
  );
  for (const tool of TOOLS) {
    const { name, title, description, inputSchema, annotations } = tool;
    server.registerTool(name, { title, description, inputSchema, annotations }, (args, extra) => {
      const ctx = { ...deps, userId: actingUser(extra.authInfo) };
      return runTool(ctx, name, args, () => tool.run(ctx, args));
    });
  }
  return server;
}

/** The process's todo MCP server, and the one transport that carries every caller's messages. */
export class TodoMcp implements Transport {
  onmessage?: Transport["onmessage"];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private nextId = 1;
  private readonly waiting = new Map<number, (response: JSONRPCResponse) => void>();
  private readonly connected: Promise<void>;

  constructor(deps: ToolDeps) {
    this.connected = createTodoMcpServer(deps).connect(this);
  }

  /**
   * Hands one client message to the server on behalf of `userId`; answers the server's response to
   * it (with the client's id), or undefined for a notification.
   */
  async deliver(message: JSONRPCMessage, userId: string): Promise<JSONRPCResponse | undefined> {
    await this.connected;
    const extra = { authInfo: callerAuth(userId) };
    if (!isJSONRPCRequest(message)) {
      this.onmessage?.(message, extra);
      return undefined;
    }
    const id = this.nextId++;
    const response = new Promise<JSONRPCResponse>((resolve) => this.waiting.set(id, resolve));
    this.onmessage?.({ ...message, id }, extra);
    return { ...(await response), id: message.id };
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    // Only answers to requests go out: the tools send no notifications and no requests.
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) return;
    const id = Number(message.id);
    this.waiting.get(id)?.(message);
    this.waiting.delete(id);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}
