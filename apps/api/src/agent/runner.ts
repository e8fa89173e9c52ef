// Runs one chat turn: the Agents SDK's run loop with the configured model (online or offline)
// over the user's MCP tools. Both modes go through the same Agent, the same streamed run() and the
// same MCP tools, so the offline agent exercises exactly the path the online one takes. Every turn
// streams (text deltas, tool calls as they start and return); the JSON answer of the chat endpoint
// is the same turn with nobody listening to the events.
import {
  Agent,
  type AgentInputItem,
  MaxTurnsExceededError,
  run,
  setTracingDisabled,
} from "@openai/agents-core";
import type { ToolCall } from "../chat/schemas.js";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { AppError } from "../http/errors.js";
import { InProcessTodoMcp, type ToolEvent } from "../mcp/in-process.js";
import type { TodoMcp } from "../mcp/server.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import {
  AWAITING_CONFIRMATION,
  ConfirmBulkActions,
  confirmationQuestion,
  isConfirmation,
} from "./confirm-bulk.js";
import { toLlmError } from "./errors.js";
import { AGENT_NAME, INSTRUCTIONS } from "./instructions.js";
import { type AgentMode, resolveAgentMode } from "./mode.js";
import { OfflineModel } from "./offline-model.js";
import { loadOnlineModel, type OnlineModel } from "./online-model.js";

/** Model round trips per turn: enough for list → act → answer, with room for a retry. */
export const MAX_TURNS = 6;

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
  /** An assistant message's tool calls (including those held for confirmation). */
  toolCalls?: Array<{ name: string; arguments: unknown; result: unknown }> | undefined;
  /** What the agent waited for after this assistant message (see TurnResult.agentState). */
  agentState?: Record<string, unknown> | null | undefined;
}

/** The calls the previous reply held for confirmation, when `message` confirms them. */
function confirmedCalls(history: HistoryMessage[], message: string) {
  if (!isConfirmation(message)) return [];
  const previous = history.findLast((m) => m.role === "assistant");
  return (previous?.toolCalls ?? [])
    .filter((c) => (c.result as { awaiting_confirmation?: unknown } | null)?.awaiting_confirmation === true)
    .map((c) => ({ name: c.name, task_id: Number((c.arguments as { task_id?: unknown }).task_id) }));
}

export interface TurnResult {
  response: string;
  toolCalls: ToolCall[];
  /** The turn was stopped (the client went away): `response` is what had been streamed so far. */
  stopped: boolean;
  /**
   * What the model waits for after this reply, as data (the offline model's question), carried as
   * the reply's providerData: stored with the reply and given back with it in the next turn.
   */
  agentState?: Record<string, unknown> | undefined;
}

/** What a turn reports while it runs, in order. */
export type TurnEvent = { type: "delta"; text: string } | ToolEvent;

export interface TurnOptions {
  /** Aborting stops the model call (and the loop) as soon as possible. */
  signal?: AbortSignal | undefined;
  onEvent?: ((event: TurnEvent) => void) | undefined;
}

export interface AgentRunner {
  mode: AgentMode;
  runTurn(
    input: { userId: string; history: HistoryMessage[]; message: string },
    options?: TurnOptions,
  ): Promise<TurnResult>;
}

export function toInputItems(history: HistoryMessage[], message: string): AgentInputItem[] {
  const items: AgentInputItem[] = history.map((m) =>
    m.role === "user"
      ? { role: "user", content: m.content }
      : {
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: m.content }],
          ...(m.agentState ? { providerData: { agentState: m.agentState } } : {}),
        },
  );
  items.push({ role: "user", content: message });
  return items;
}

export function createAgentRunner(deps: {
  config: Config;
  db: Db;
  mcp: TodoMcp;
  metrics?: Metrics | undefined;
  logger?: Logger | undefined;
}): AgentRunner {
  const mode = resolveAgentMode(deps.config);
  // Traces would go to OpenAI's tracing backend: only with AGENT_TRACING=true, never in offline mode.
  setTracingDisabled(!(deps.config.AGENT_TRACING && mode === "online"));
  // Online, the provider SDK loads in the background from here; the first turn waits for it.
  const online: Promise<OnlineModel> | undefined =
    mode === "online" ? loadOnlineModel(deps.config) : undefined;
  online?.catch(() => {}); // reported by the first turn that awaits it
  const offline = new OfflineModel();
  const { metrics } = deps;

  return {
    mode,
    async runTurn({ userId, history, message }, options = {}) {
      const { model, providerErrors } = online ? await online : { model: offline, providerErrors: undefined };
      const { signal } = options;
      const emit = options.onEvent ?? (() => {});
      const mcp = new InProcessTodoMcp(deps.mcp, userId, emit);
      const started = performance.now();
      // Everything the user has seen of the answer; what a stopped turn keeps.
      let streamed = "";
      // Bulk deletes/completes are held for the user's yes, whether or not the turn is listened to.
      const guarded = new ConfirmBulkActions(
        model,
        confirmedCalls(history, message),
        confirmationQuestion(deps.db, userId),
      );
      /** The calls that ran, then those held for confirmation (recorded, never run). */
      const toolCalls = (): ToolCall[] => [
        ...mcp.calls,
        ...guarded.held.map((c) => ({
          name: c.name,
          arguments: { task_id: c.task_id },
          result: AWAITING_CONFIRMATION,
        })),
      ];
      const stopped = (): TurnResult => ({
        response: streamed.trim(),
        toolCalls: toolCalls(),
        stopped: true,
      });
      try {
        const agent = new Agent<InProcessTodoMcp>({
          name: AGENT_NAME,
          instructions: INSTRUCTIONS,
          model: guarded,
          tools: await mcp.tools(),
        });
        const result = await run(agent, toInputItems(history, message), {
          context: mcp,
          stream: true,
          maxTurns: MAX_TURNS,
          ...(signal ? { signal } : {}),
        });
        for await (const event of result) {
          if (event.type === "raw_model_stream_event" && event.data.type === "output_text_delta") {
            streamed += event.data.delta;
            emit({ type: "delta", text: event.data.delta });
          }
        }
        await result.completed;
        if (signal?.aborted) return stopped();
        if (result.error) throw result.error;
        const output = typeof result.finalOutput === "string" ? result.finalOutput.trim() : "";
        const reply = result.newItems.findLast((item) => item.type === "message_output_item");
        const agentState = reply?.rawItem.providerData?.agentState as Record<string, unknown> | undefined;
        return { response: output || "Done.", toolCalls: toolCalls(), stopped: false, agentState };
      } catch (err) {
        if (signal?.aborted) return stopped();
        if (err instanceof MaxTurnsExceededError) {
          metrics?.llmErrors.inc({ mode, code: "max_turns" });
          return {
            response:
              "Sorry, I couldn't finish that request. Could you say it differently, or ask for one thing at a time?",
            toolCalls: toolCalls(),
            stopped: false,
          };
        }
        const mapped = toLlmError(err, providerErrors);
        metrics?.llmErrors.inc({ mode, code: mapped?.code ?? "internal_error" });
        if (mapped) throw mapped;
        throw err instanceof Error ? err : new AppError("internal_error", "The agent failed");
      } finally {
        metrics?.llmDuration.observe({ mode }, (performance.now() - started) / 1000);
        await mcp.settle();
      }
    },
  };
}
