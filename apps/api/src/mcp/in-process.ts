// The chat agent's way to the MCP tools: the process's todo MCP server (server.ts), reached without
// a socket and exposed to @openai/agents through its MCPServer interface, one per chat turn.
//
// Why in-process rather than HTTP to our own /mcp: the chat request is already authenticated, so
// every message carries that user id directly (no credential to forward, nothing the model could
// influence, no JWT that might expire mid-turn), there is no loopback socket or port to know about
// (replicas behind a Service, read-only pods), and it costs no extra HTTP round trips per tool
// call. It is still the MCP protocol (tools/list, tools/call as JSON-RPC messages) answered by the
// very same McpServer and tool files that /mcp serves.

import type { CallToolResult, ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResultContent, MCPServer } from "@openai/agents-core";
import type { ToolCall } from "../chat/schemas.js";
import type { TodoMcp } from "./server.js";
import { resultValue } from "./tools/shared.js";

type MCPTool = Awaited<ReturnType<MCPServer["listTools"]>>[number];

let toolList: Promise<MCPTool[]> | undefined;

/** What a streamed chat turn reports about a tool: when the call starts and when it returns. */
export type ToolEvent =
  | { type: "tool_call"; name: string; arguments: Record<string, unknown> }
  | { type: "tool_result"; name: string; result: unknown };

export class InProcessTodoMcp implements MCPServer {
  readonly name = "todo";
  cacheToolsList = true;
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

  /** Nothing to open or close: the server is the process's, connected once. */
  async connect(): Promise<void> {}

  async close(): Promise<void> {}

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

  async listTools(): Promise<MCPTool[]> {
    // The five tools are the same for every user and every turn: listed once per process.
    toolList ??= this.fetchTools().catch((err: unknown) => {
      toolList = undefined;
      throw err;
    });
    return toolList;
  }

  private async fetchTools(): Promise<MCPTool[]> {
    const { tools } = await this.request<ListToolsResult>("tools/list", {});
    return tools.map((t) => {
      // "$schema" means nothing to a model and some OpenAI-compatible servers reject it.
      const { $schema: _ignored, ...schema } = t.inputSchema as Record<string, unknown> &
        typeof t.inputSchema;
      return {
        name: t.name,
        description: t.description ?? "",
        inputSchema: {
          ...schema,
          properties: t.inputSchema.properties ?? {},
          required: t.inputSchema.required ?? [],
          additionalProperties: false,
        },
      };
    }) as MCPTool[];
  }

  async callTool(toolName: string, args: Record<string, unknown> | null): Promise<CallToolResultContent> {
    // Recorded when the call starts, so parallel calls keep the order the model gave them.
    const record: ToolCall = { name: toolName, arguments: args ?? {}, result: null };
    this.calls.push(record);
    this.onToolEvent({ type: "tool_call", name: toolName, arguments: record.arguments });
    const pending = this.request<CallToolResult>("tools/call", { name: toolName, arguments: args ?? {} });
    this.inFlight.add(pending);
    let result: CallToolResult;
    try {
      result = await pending;
    } finally {
      this.inFlight.delete(pending);
    }
    record.result = resultValue(result);
    this.onToolEvent({ type: "tool_result", name: toolName, result: record.result });
    return Object.assign([...result.content], { isError: result.isError === true }) as CallToolResultContent;
  }

  async invalidateToolsCache(): Promise<void> {
    toolList = undefined;
  }
}
