// What every MCP tool shares: the acting user (from the verified credential of each call, never
// taken from the model), the task service's database handle, and the helpers that turn service
// results and failures into MCP tool results, and such a result back into a value.
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { AppError } from "../../http/errors.js";
import { ID_MAX } from "../../http/schemas.js";
import type { Logger } from "../../observability/logger.js";
import type { Metrics } from "../../observability/metrics.js";

/** What the tools need from the process: built once, shared by every call. */
export interface ToolDeps {
  db: Db;
  metrics?: Metrics | undefined;
  logger?: Logger | undefined;
}

export interface ToolContext extends ToolDeps {
  /** The authenticated user of this call: the tool acts on this user's tasks only. */
  userId: string;
}

/**
 * One MCP tool: its description for clients and models, and its work for one call's user. `run`
 * returns the tool's answer as a value or throws (AppError not_found / validation_error become tool
 * error results); runTool turns that into the MCP result for every tool alike.
 */
export interface TodoTool<Schema extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Schema;
  annotations: ToolAnnotations;
  run(ctx: ToolContext, args: z.infer<Schema>): Promise<unknown>;
}

export const defineTool = <Schema extends z.ZodObject>(tool: TodoTool<Schema>) => tool;

// An integer in the JSON Schema the model sees; a string of digits ("3") from a sloppy model is
// accepted, anything else (booleans, 3.5, -1, "abc") is rejected.
export const taskId = z
  .preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number()
      .int("task_id must be a whole number")
      .positive("task_id must be a positive integer")
      .max(ID_MAX),
  )
  .describe("The numeric id of the task (as shown by list_tasks, e.g. 3 for task #3)");

// Clients may send user_id; it is checked against the credential and never used to pick the user.
export const userIdArg = z
  .string()
  .optional()
  .describe(
    "Optional. The authenticated user's id; if given it must match the credential, otherwise the call fails",
  );

export const jsonResult = (value: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value) }],
});

export const errorResult = (message: string): CallToolResult => ({
  content: [{ type: "text", text: message }],
  isError: true,
});

/**
 * A tool result as a value, the one place results are read back: the JSON of a success, or
 * `{error: message}` for an error result.
 */
export function resultValue(result: Pick<CallToolResult, "content" | "isError">): unknown {
  const text = (result.content ?? []).map((c) => (c.type === "text" ? c.text : "")).join("");
  if (result.isError) return { error: text };
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Runs one tool call: checks the optional user_id, runs the work, maps "not found" and other
 * expected failures to tool error results (not protocol exceptions), and counts the call.
 */
export async function runTool(
  ctx: ToolContext,
  tool: string,
  args: { user_id?: string | undefined; task_id?: number },
  work: () => Promise<unknown>,
): Promise<CallToolResult> {
  const count = (outcome: string) => ctx.metrics?.toolCalls.inc({ tool, outcome });
  if (args.user_id !== undefined && args.user_id !== ctx.userId) {
    count("forbidden");
    return errorResult("user_id does not match the authenticated user: you can only act on your own tasks");
  }
  try {
    const result = jsonResult(await work());
    count("ok");
    return result;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") {
      count("not_found");
      return errorResult(`Task ${args.task_id ?? ""} not found`.replace("  ", " "));
    }
    if (err instanceof AppError && err.code === "validation_error") {
      count("invalid");
      return errorResult(err.message);
    }
    // Anything else (database down, a bug) is logged here and reported without its message,
    // which could carry SQL text: the MCP SDK would otherwise send err.message to the client.
    count("error");
    ctx.logger?.error(
      { tool, err: { message: (err as Error).message, stack: (err as Error).stack } },
      "tool failed",
    );
    return errorResult("Something went wrong on our side while running this tool; please try again");
  }
}
