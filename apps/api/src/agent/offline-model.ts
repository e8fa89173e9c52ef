// The offline agent: a deterministic, rule-based implementation of the Agents SDK's Model
// interface. The SDK's run() loop drives it exactly like a real model: it answers each round with
// tool calls (executed by the runner through the MCP tools) or with the final message. So offline
// and online turns take the same path to the database: runner → MCP tool → task service.
//
// Each round it re-reads the conversation (stateless, like a real model): the last user message
// says what to do, the tool results after it say how far the turn has got.
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

/** Phrases the offline agent uses to ask; the next message is read as the answer to them. */
export const ASK_WHICH = "Which one did you mean?";
const ASK_WHICH_TASK = "Which task should I";
const ASK_TITLE = "What should the new task say?";

export const HELP_TEXT =
  'I\'m your todo assistant. I can add tasks ("add buy groceries"), show them ("what\'s left?", ' +
  '"what did I finish?"), mark them done ("task 3 is done"), rename them ("rename task 3 to call mom") ' +
  'and delete them ("delete the groceries one").';

const TOO_LONG = `That title is a bit long: titles can have up to ${TASK_TITLE_MAX_LENGTH} characters. Could you shorten it?`;

type Step = { name: string; args: Record<string, unknown>; text: string; ok: boolean; value: unknown };
type Action = "complete" | "delete" | "update";
type Resolved = Extract<Intent, { kind: Action }>;

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

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}

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
      steps.push({ name: item.name, args: call?.args ?? {}, text, ...parseJson(text) });
    }
  }
  return steps;
}

/** Reads a short answer ("#5", "the second one", "the milk one") to one of our questions. */
function followUp(message: string, history: AgentInputItem[]): Intent | undefined {
  const lastAssistant = history.findLastIndex((i) => isMessage(i, "assistant"));
  if (lastAssistant < 0) return undefined;
  const asked = textOf((history[lastAssistant] as { content: unknown }).content);
  if (asked.includes(ASK_TITLE)) {
    const title = quoted(message)[0] ?? message.trim().replace(/[.!]+$/, "");
    return title ? { kind: "add", title: title.charAt(0).toUpperCase() + title.slice(1) } : undefined;
  }
  if (!asked.includes(ASK_WHICH) && !asked.includes(ASK_WHICH_TASK)) return undefined;
  const previousUser = history.slice(0, lastAssistant).findLast((i) => isMessage(i, "user"));
  const original = previousUser
    ? parseIntent(textOf((previousUser as { content: unknown }).content))
    : undefined;
  const action: Action | undefined =
    original?.kind === "complete" || original?.kind === "delete" || original?.kind === "update"
      ? original.kind
      : original?.kind === "ask"
        ? original.action
        : undefined;
  if (!action) return undefined;

  let ref: TaskRef | undefined;
  const id = taskIdIn(message) ?? (/^\s*\d+\s*$/.test(message) ? Number(message.trim()) : undefined);
  const ordinal = ordinalIn(message);
  const asName = original && "ref" in original && "name" in original.ref ? original.ref.name : undefined;
  if (id !== undefined) ref = { id };
  else if (ordinal !== undefined) {
    // "The last one" picks among the tasks the original name matches, listed again by the tool
    // (data), never from ids in our reply's text, where a title or an example could put any "#N".
    if (asName !== undefined) ref = { name: asName, pick: ordinal };
  } else ref = nameRef(message);
  if (!ref) return undefined;
  if (action === "update") {
    if (original?.kind !== "update") return undefined;
    return { ...original, ref };
  }
  return { kind: action, ref };
}

function understand(items: AgentInputItem[]): { intent: Intent; steps: Step[] } {
  const lastUser = items.findLastIndex((i) => isMessage(i, "user"));
  const message = lastUser >= 0 ? textOf((items[lastUser] as { content: unknown }).content) : "";
  const history = items.slice(0, Math.max(lastUser, 0));
  let intent = parseIntent(message);
  if (intent.kind === "help") intent = followUp(message, history) ?? intent;
  return { intent, steps: stepsAfter(items.slice(lastUser + 1)) };
}

// ---- replies ---------------------------------------------------------------------------
const line = (t: ListedTask) => `${t.completed ? "✓" : "•"} #${t.id} ${t.title}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function listReply(status: string, tasks: ListedTask[]): string {
  const lines = tasks.map(line).join("\n");
  if (status === "pending") {
    return tasks.length === 0
      ? "Nothing left to do — you're all caught up! 🎉"
      : `You have ${plural(tasks.length, "task")} left:\n${lines}`;
  }
  if (status === "completed") {
    return tasks.length === 0
      ? "You haven't completed any tasks yet — you've got this!"
      : `You've completed ${plural(tasks.length, "task")}:\n${lines}`;
  }
  if (tasks.length === 0) return 'Your list is empty. Want to add something? Try "add buy groceries".';
  const done = tasks.filter((t) => t.completed).length;
  return `Here are your tasks (${tasks.length - done} pending, ${done} done):\n${lines}`;
}

function errorReply(step: Step): string {
  if (/not found/i.test(step.text)) {
    const id = step.args.task_id;
    return `I couldn't find task #${id} on your list. Say "show my tasks" to see what's there.`;
  }
  return `Sorry, that didn't work: ${step.text.replace(/^MCP error -?\d+:\s*/, "")}`;
}

function actionReply(step: Step): string {
  if (!step.ok) return errorReply(step);
  const r = step.value as { task_id: number; title: string };
  switch (step.name) {
    case "add_task":
      return `Got it! I've added "${r.title}" to your list (task #${r.task_id}).`;
    case "complete_task":
      return `Nice work! I've marked "${r.title}" (#${r.task_id}) as done. ✓`;
    case "delete_task":
      return `Done — I've deleted "${r.title}" (#${r.task_id}) from your list.`;
    case "update_task":
      return step.args.title !== undefined
        ? `Updated! Task #${r.task_id} is now "${r.title}".`
        : `Updated the description of "${r.title}" (#${r.task_id}).`;
    default:
      return "Done.";
  }
}

function askReply(intent: Extract<Intent, { kind: "ask" }>): string {
  if (intent.ask === "add_title") return `Sure! ${ASK_TITLE} For example: "add buy groceries".`;
  if (intent.ask === "new_title") {
    return 'What should I change it to? For example: "rename task 3 to call mom".';
  }
  const verb = intent.action === "delete" ? "delete" : intent.action === "update" ? "change" : "mark as done";
  return `${ASK_WHICH_TASK} ${verb}? Tell me its number (like #3) or its name.`;
}

// ---- the model ---------------------------------------------------------------------------
type Next = { call: string; args: Record<string, unknown> } | { say: string };

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
      return {
        say: `Only ${plural(matches.length, "task")} match "${name}". ${ASK_WHICH}\n${matches.map(line).join("\n")}`,
      };
    }
    matches = [chosen];
  }
  const [only] = matches;
  if (!only) {
    return { say: `I couldn't find a task matching "${name}". Say "show my tasks" to see your list.` };
  }
  if (matches.length > 1) {
    return {
      say:
        `I found ${matches.length} tasks matching "${name}". ${ASK_WHICH}\n` +
        `${matches.map(line).join("\n")}\nReply with the task number, for example "#${only.id}".`,
    };
  }
  if (intent.kind === "complete" && only.completed) {
    return { say: `"${only.title}" (#${only.id}) is already marked as done. ✓` };
  }
  return { call: TOOL_OF[intent.kind], args: withRef(intent, only.id) };
}

export function decide(items: AgentInputItem[]): Next {
  const { intent, steps } = understand(items);
  const last = steps[steps.length - 1];
  switch (intent.kind) {
    case "greeting":
      return { say: `Hi! ${HELP_TEXT}` };
    case "thanks":
      return { say: "You're welcome! Anything else on your list?" };
    case "help":
      return { say: HELP_TEXT };
    case "other_user":
      return {
        say: "I can only see and change your own tasks, so I can't do anything with another person's list.",
      };
    case "bulk":
      return {
        say: `I ${intent.action === "delete" ? "delete" : "complete"} tasks one at a time to be safe — tell me which one, for example "${intent.action} task 3".`,
      };
    case "ask":
      return { say: askReply(intent) };
    case "add": {
      if (last) return { say: actionReply(last) };
      if (intent.title.length > TASK_TITLE_MAX_LENGTH) return { say: TOO_LONG };
      const args: Record<string, unknown> = { title: intent.title };
      if (intent.description) args.description = intent.description;
      return { call: "add_task", args };
    }
    case "list":
      if (!last) return { call: "list_tasks", args: { status: intent.status } };
      return { say: last.ok ? listReply(intent.status, last.value as ListedTask[]) : errorReply(last) };
    default: {
      const tool = TOOL_OF[intent.kind];
      if (intent.kind === "update" && (intent.title?.length ?? 0) > TASK_TITLE_MAX_LENGTH) return { say: TOO_LONG };
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
