// The chat agent's way to the MCP tools: an MCP client talking to a fresh todo MCP server over the
// SDK's in-memory transport, exposed to @openai/agents through its MCPServer interface.
//
// Why in-process rather than HTTP to our own /mcp: the chat request is already authenticated, so
// the server is bound to that user id directly (no credential to forward, nothing the model could
// influence, no JWT that might expire mid-turn), there is no loopback socket or port to know about
// (replicas behind a Service, read-only pods), and it costs no extra HTTP round trips per tool
// call. It is still the real MCP protocol (initialize, tools/list, tools/call with JSON-RPC
// messages) against the very same McpServer and tool files that /mcp serves.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResultContent, MCPServer } from "@openai/agents-core";
import { createTodoMcpServer } from "./server.js";
import type { ToolContext } from "./tools/shared.js";

type MCPTool = Awaited<ReturnType<MCPServer["listTools"]>>[number];

let toolList: Promise<MCPTool[]> | undefined;

/** One tool call as the chat API reports and stores it. */
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}

/** What a streamed chat turn reports about a tool: when the call starts and when it returns. */
export type ToolEvent =
  | { type: "tool_call"; name: string; arguments: Record<string, unknown> }
  | { type: "tool_result"; name: string; result: unknown };

export class InProcessTodoMcp implements MCPServer {
  readonly name = "todo";
  cacheToolsList = true;
  /** Every call made through this connection, in order, with its parsed result. */
  readonly calls: ToolCallRecord[] = [];
  private client: Client | undefined;
  private server: McpServer | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: ToolContext,
    private readonly onToolEvent: (event: ToolEvent) => void = () => {},
  ) {}

  /**
   * Waits for tool calls still running. A stopped turn must not close the connection under a call
   * whose database write may already have happened: its result belongs in the stored reply.
   */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async connect(): Promise<void> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    this.server = createTodoMcpServer(this.ctx);
    await this.server.connect(serverSide);
    this.client = new Client({ name: "todo-chat-agent", version: "0.1.0" });
    await this.client.connect(clientSide);
  }

  async close(): Promise<void> {
    await this.client?.close();
    await this.server?.close();
    this.client = undefined;
    this.server = undefined;
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
    const { tools } = await this.connected().listTools();
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
    const record: ToolCallRecord = { name: toolName, arguments: args ?? {}, result: null };
    this.calls.push(record);
    this.onToolEvent({ type: "tool_call", name: toolName, arguments: record.arguments });
    const pending = this.connected().callTool({ name: toolName, arguments: args ?? {} });
    this.inFlight.add(pending);
    let result: Awaited<typeof pending>;
    try {
      result = await pending;
    } finally {
      this.inFlight.delete(pending);
    }
    const content = (result.content ?? []) as CallToolResultContent;
    const text = content.map((c) => (c.type === "text" ? String(c.text) : "")).join("");
    record.result = result.isError ? { error: text } : parseJson(text);
    this.onToolEvent({ type: "tool_result", name: toolName, result: record.result });
    return Object.assign([...content], { isError: result.isError === true }) as CallToolResultContent;
  }

  async invalidateToolsCache(): Promise<void> {
    toolList = undefined;
  }

  private connected(): Client {
    if (!this.client) throw new Error("the in-process MCP connection is not open");
    return this.client;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
