// The offline agent: a deterministic, rule-based implementation of the Agents SDK's Model
// interface. The SDK's run() loop drives it exactly like a real model: it answers each round with
// tool calls (executed by the runner through the MCP tools) or with the final message. So offline
// and online turns take the same path to the database: runner → MCP tool → task service.
//
// Each round it re-reads the conversation (stateless, like a real model): the last user message
// says what to do, the tool results after it say how far the turn has got. When it asks a question
// it says what it waits for as data (OfflineState, carried as the reply's providerData and stored
// with the reply), so the answer in the next turn is read against that, not against the wording.
import {
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  type StreamEventResponseCompleted,
  Usage,
} from "@openai/agents-core";
import { resultValue } from "../mcp/tools/shared.js";
import { TASK_TITLE_MAX_LENGTH } from "../tasks/schemas.js";
import { type ListedTask, matchTasks } from "./offline/match.js";
import {
  type Intent,
  nameRef,
  ordinalIn,
  parseIntent,
  quoted,
  type TaskRef,
  taskIdIn,
} from "./offline/parse.js";
import { REPLY } from "./offline/replies.js";

type Step = { name: string; args: Record<string, unknown>; text: string; ok: boolean; value: unknown };
type Action = "complete" | "delete" | "update";
type Resolved = Extract<Intent, { kind: Action }>;

/** What the offline agent waits for after asking: a title, or which task the action is for. */
export type OfflineState =
  | { awaiting: "title" }
  | { awaiting: "task"; intent: { kind: Action; ref?: TaskRef; title?: string; description?: string } };

const TOOL_OF: Record<Action, string> = {
  complete: "complete_task",
  delete: "delete_task",
  update: "update_task",
};
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(textOf).join("");
  if (content && typeof content === "object") {
    const c = content as { text?: unknown; output?: unknown; refusal?: unknown };
    if (typeof c.text === "string") return c.text;
  }
  return "";
}

const isMessage = (item: AgentInputItem, role: "user" | "assistant") =>
  "role" in item && item.role === role && (!("type" in item) || item.type === "message");

/** The tool calls of the current turn, each with its result. */
function stepsAfter(items: AgentInputItem[]): Step[] {
  const args = new Map<string, { name: string; args: Record<string, unknown> }>();
  const steps: Step[] = [];
  for (const item of items) {
    if (item.type === "function_call") {
      args.set(item.callId, { name: item.name, args: JSON.parse(item.arguments || "{}") });
    } else if (item.type === "function_call_result") {
      const text = textOf(item.output);
      const call = args.get(item.callId);
      // The model sees a tool's text; an error result is plain text, a success is JSON.
      const value = resultValue({ content: [{ type: "text", text }] });
      steps.push({ name: item.name, args: call?.args ?? {}, text, ok: typeof value !== "string", value });
    }
  }
  return steps;
}

/** The state our last reply left, if it asked something. */
function stateOf(history: AgentInputItem[]): OfflineState | undefined {
  const lastAssistant = history.findLast((i) => isMessage(i, "assistant"));
  return lastAssistant?.providerData?.agentState as OfflineState | undefined;
}

/** Reads a short answer ("#5", "the second one", "the milk one") to the question we asked. */
function followUp(message: string, state: OfflineState | undefined): Intent | undefined {
  if (!state) return undefined;
  if (state.awaiting === "title") {
    const title = quoted(message)[0] ?? message.trim().replace(/[.!]+$/, "");
    return title ? { kind: "add", title: title.charAt(0).toUpperCase() + title.slice(1) } : undefined;
  }
  const original = state.intent;
  const action = original.kind;

  let ref: TaskRef | undefined;
  const id = taskIdIn(message) ?? (/^\s*\d+\s*$/.test(message) ? Number(message.trim()) : undefined);
  const ordinal = ordinalIn(message);
  const asName = original.ref && "name" in original.ref ? original.ref.name : undefined;
  if (id !== undefined) ref = { id };
  else if (ordinal !== undefined) {
    // "The last one" picks among the tasks the original name matches, listed again by the tool
    // (data), never from ids in our reply's text, where a title or an example could put any "#N".
    if (asName !== undefined) ref = { name: asName, pick: ordinal };
  } else ref = nameRef(message);
  if (!ref) return undefined;
  if (action === "update") {
    // Only a rename or a new description that was waiting for its task can go on.
    if (original.title === undefined && original.description === undefined) return undefined;
    return { ...original, kind: "update", ref };
  }
  return { kind: action, ref };
}

function understand(items: AgentInputItem[]): { intent: Intent; steps: Step[] } {
  const lastUser = items.findLastIndex((i) => isMessage(i, "user"));
  const message = lastUser >= 0 ? textOf((items[lastUser] as { content: unknown }).content) : "";
  const history = items.slice(0, Math.max(lastUser, 0));
  let intent = parseIntent(message);
  if (intent.kind === "help") intent = followUp(message, stateOf(history)) ?? intent;
  return { intent, steps: stepsAfter(items.slice(lastUser + 1)) };
}

// ---- replies (the wording is in offline/replies.ts) --------------------------------------------
function errorReply(step: Step): string {
  if (/not found/i.test(step.text)) return REPLY.notFound(step.args.task_id);
  return REPLY.failed(step.text.replace(/^MCP error -?\d+:\s*/, ""));
}

function actionReply(step: Step): string {
  if (!step.ok) return errorReply(step);
  const r = step.value as { task_id: number; title: string };
  switch (step.name) {
    case "add_task":
      return REPLY.added(r);
    case "complete_task":
      return REPLY.completed(r);
    case "delete_task":
      return REPLY.deleted(r);
    case "update_task":
      return step.args.title !== undefined ? REPLY.renamed(r) : REPLY.described(r);
    default:
      return REPLY.done;
  }
}

function ask(intent: Extract<Intent, { kind: "ask" }>): Next {
  if (intent.ask === "add_title") return { say: REPLY.askTitle, state: { awaiting: "title" } };
  if (intent.ask === "new_title") return { say: REPLY.askNewTitle };
  const action = intent.action ?? "complete";
  const verb = action === "delete" ? "delete" : action === "update" ? "change" : "mark as done";
  return { say: REPLY.askWhichTask(verb), state: { awaiting: "task", intent: { kind: action } } };
}

// ---- the model ---------------------------------------------------------------------------
type Next = { call: string; args: Record<string, unknown> } | { say: string; state?: OfflineState };

function withRef(intent: Resolved, taskId: number): Record<string, unknown> {
  if (intent.kind !== "update") return { task_id: taskId };
  const args: Record<string, unknown> = { task_id: taskId };
  if (intent.title !== undefined) args.title = intent.title;
  if (intent.description !== undefined) args.description = intent.description;
  return args;
}

function resolveByName(intent: Resolved, name: string, step: Step, pick?: number): Next {
  const tasks = (Array.isArray(step.value) ? step.value : []) as ListedTask[];
  let matches = matchTasks(name, tasks);
  if (intent.kind === "complete" && matches.length > 1) {
    const open = matches.filter((t) => !t.completed);
    if (open.length > 0) matches = open;
  }
  if (pick !== undefined && matches.length > 0) {
    const chosen = pick === -1 ? matches.at(-1) : matches[pick - 1];
    if (!chosen) {
      return { say: REPLY.fewerMatches(name, matches), state: { awaiting: "task", intent } };
    }
    matches = [chosen];
  }
  const [only] = matches;
  if (!only) {
    return { say: REPLY.noMatch(name) };
  }
  if (matches.length > 1) {
    return { say: REPLY.severalMatches(name, matches), state: { awaiting: "task", intent } };
  }
  if (intent.kind === "complete" && only.completed) {
    return { say: REPLY.alreadyDone(only) };
  }
  return { call: TOOL_OF[intent.kind], args: withRef(intent, only.id) };
}

export function decide(items: AgentInputItem[]): Next {
  const { intent, steps } = understand(items);
  const last = steps[steps.length - 1];
  switch (intent.kind) {
    case "greeting":
      return { say: REPLY.greeting };
    case "thanks":
      return { say: REPLY.thanks };
    case "help":
      return { say: REPLY.help };
    case "other_user":
      return { say: REPLY.otherUser };
    case "bulk":
      return { say: REPLY.oneAtATime(intent.action) };
    case "ask":
      return ask(intent);
    case "add": {
      if (last) return { say: actionReply(last) };
      if (intent.title.length > TASK_TITLE_MAX_LENGTH) return { say: REPLY.titleTooLong };
      const args: Record<string, unknown> = { title: intent.title };
      if (intent.description) args.description = intent.description;
      return { call: "add_task", args };
    }
    case "list":
      if (!last) return { call: "list_tasks", args: { status: intent.status } };
      return { say: last.ok ? REPLY.list[intent.status](last.value as ListedTask[]) : errorReply(last) };
    default: {
      const tool = TOOL_OF[intent.kind];
      if (intent.kind === "update" && (intent.title?.length ?? 0) > TASK_TITLE_MAX_LENGTH)
        return { say: REPLY.titleTooLong };
      if (last?.name === tool) return { say: actionReply(last) };
      if ("id" in intent.ref) return { call: tool, args: withRef(intent, intent.ref.id) };
      if (!last) return { call: "list_tasks", args: { status: "all" } };
      if (!last.ok) return { say: errorReply(last) };
      return resolveByName(intent, intent.ref.name, last, intent.ref.pick);
    }
  }
}

/** "Got it! I've added…" → ["Got ", "it! ", "I've ", "added…"]: word-sized deltas, as models send. */
export function textDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export class OfflineModel implements Model {
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const items: AgentInputItem[] =
      typeof request.input === "string" ? [{ role: "user", content: request.input }] : request.input;
    const next = decide(items);
    const calls = items.filter((i) => i.type === "function_call").length;
    const output: AgentOutputItem[] =
      "call" in next
        ? [
            {
              type: "function_call",
              callId: `offline_call_${calls + 1}`,
              name: next.call,
              arguments: JSON.stringify(next.args),
              status: "completed",
            },
          ]
        : [
            {
              type: "message",
              role: "assistant",
              status: "completed",
              content: [{ type: "output_text", text: next.say }],
              ...(next.state ? { providerData: { agentState: next.state } } : {}),
            },
          ];
    return { usage: new Usage(), output };
  }

  // The chat runner always streams: the same decision as getResponse, its text sent word by word
  // and then the complete response, like a Chat Completions stream that the SDK has assembled.
  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    request.signal?.throwIfAborted();
    const response = await this.getResponse(request);
    yield { type: "response_started" };
    for (const item of response.output) {
      if (item.type !== "message" || item.role !== "assistant") continue;
      for (const part of item.content) {
        if (part.type !== "output_text") continue;
        for (const delta of textDeltas(part.text)) {
          request.signal?.throwIfAborted();
          yield { type: "output_text_delta", delta };
        }
      }
    }
    yield {
      type: "response_done",
      response: {
        id: "offline",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        // Only function calls and assistant messages, both of which a response may hold.
        output: response.output as StreamEventResponseCompleted["response"]["output"],
      },
    };
  }
}
