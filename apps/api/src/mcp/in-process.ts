// The chat agent's way to the MCP tools: the process's todo MCP server (server.ts), reached without
// a socket, one client per chat turn, its tools given to the agent as function tools (tools()).
//
// Why in-process rather than HTTP to our own /mcp: the chat request is already authenticated, so
// every message carries that user id directly (no credential to forward, nothing the model could
// influence, no JWT that might expire mid-turn), there is no loopback socket or port to know about
// (replicas behind a Service, read-only pods), and it costs no extra HTTP round trips per tool
// call. It is still the MCP protocol (tools/list, tools/call as JSON-RPC messages) answered by the
// very same McpServer and tool files that /mcp serves.

import type { CallToolResult, ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { type FunctionTool, tool } from "@openai/agents-core";
import type { ToolCall } from "../chat/schemas.js";
import type { TodoMcp } from "./server.js";
import { resultValue } from "./tools/shared.js";

/** An MCP tool as the agent's function tool; it runs through the turn's client, its run context. */
export type TodoTool = FunctionTool<InProcessTodoMcp>;

let toolList: Promise<TodoTool[]> | undefined;

/** What a streamed chat turn reports about a tool: when the call starts and when it returns. */
export type ToolEvent =
  | { type: "tool_call"; name: string; arguments: Record<string, unknown> }
  | { type: "tool_result"; name: string; result: unknown };

/** One chat turn's MCP client: the user's, recording every call and reporting it as it goes. */
export class InProcessTodoMcp {
  /** Every call made in this turn, in order, with its result as a value. */
  readonly calls: ToolCall[] = [];
  private nextId = 1;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly mcp: TodoMcp,
    private readonly userId: string,
    private readonly onToolEvent: (event: ToolEvent) => void = () => {},
  ) {}

  /**
   * Waits for tool calls still running. A stopped turn must not end under a call whose database
   * write may already have happened: its result belongs in the stored reply.
   */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async request<T>(method: string, params: Record<string, unknown>): Promise<T> {
    const response = await this.mcp.deliver(
      { jsonrpc: "2.0", id: this.nextId++, method, params },
      this.userId,
    );
    if (!response) throw new Error(`no answer to ${method}`);
    if ("error" in response) {
      throw new McpError(response.error.code, response.error.message, response.error.data);
    }
    return response.result as T;
  }

  /**
   * The server's tools (tools/list) as the agent's function tools. They are the same for every
   * user and every turn, so they are listed and built once per process; each call goes through
   * the client of the turn that makes it (the run context). Built here rather than handed to the
   * Agents SDK as an MCP server, which lists, deep-copies and converts them on every model call:
   * about a tenth of a chat turn's CPU. The model sees the same definitions as from the SDK's
   * conversion (non-strict; a property the tool does not know is dropped by its schema).
   */
  async tools(): Promise<TodoTool[]> {
    toolList ??= this.fetchTools().catch((err: unknown) => {
      toolList = undefined;
      throw err;
    });
    return toolList;
  }

  private async fetchTools(): Promise<TodoTool[]> {
    const { tools } = await this.request<ListToolsResult>("tools/list", {});
    return tools.map((t) => {
      // "$schema" means nothing to a model and some OpenAI-compatible servers reject it.
      const { $schema: _ignored, ...schema } = t.inputSchema as Record<string, unknown> &
        typeof t.inputSchema;
      return tool({
        name: t.name,
        description: t.description ?? "",
        parameters: {
          ...schema,
          type: "object",
          properties: t.inputSchema.properties ?? {},
          required: t.inputSchema.required ?? [],
          additionalProperties: true,
        },
        strict: false,
        execute: async (args, context) => {
          if (!context) throw new Error(`${t.name} called outside a chat turn`);
          const content = await context.context.callTool(t.name, args as Record<string, unknown>);
          // What the SDK hands the model for an MCP result: the one content item, or all of them.
          return content.length === 1 ? content[0] : content;
        },
      });
    });
  }

  /** tools/call for this turn's user; the result's content, as the model is to read it. */
  async callTool(toolName: string, args: Record<string, unknown>): Promise<CallToolResult["content"]> {
    // Recorded when the call starts, so parallel calls keep the order the model gave them.
    const record: ToolCall = { name: toolName, arguments: args, result: null };
    this.calls.push(record);
    this.onToolEvent({ type: "tool_call", name: toolName, arguments: record.arguments });
    const pending = this.request<CallToolResult>("tools/call", { name: toolName, arguments: args });
    this.inFlight.add(pending);
    let result: CallToolResult;
    try {
      result = await pending;
    } finally {
      this.inFlight.delete(pending);
    }
    record.result = resultValue(result);
    this.onToolEvent({ type: "tool_result", name: toolName, result: record.result });
    return result.content;
  }
}
