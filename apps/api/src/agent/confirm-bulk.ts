// Destructive intent, guarded in code for both models (online and offline): one chat turn may
// delete or complete one task. A model response that would take the turn past one ("delete all my
// tasks", or an instruction planted in a task title) is not run: the turn answers a confirmation
// question listing the tasks, and reports the proposed calls as awaiting confirmation. When the
// user's next message is a plain yes, exactly those calls (tool and task id) are allowed.
import type {
  AgentInputItem,
  AgentOutputItem,
  Model,
  ModelRequest,
  ModelResponse,
  StreamEvent,
} from "@openai/agents-core";

import type { Db } from "../db/client.js";
import { getTask } from "../tasks/service.js";

const DESTRUCTIVE_TOOLS = new Set(["delete_task", "complete_task"]);

export interface ProposedCall {
  name: string;
  task_id: number;
}

/** The `result` recorded for a call that was proposed but not run. */
export const AWAITING_CONFIRMATION = {
  error: "Not run: more than one task would change, waiting for the user's confirmation",
  awaiting_confirmation: true,
} as const;

function destructiveCalls(items: ReadonlyArray<AgentInputItem | AgentOutputItem>): ProposedCall[] {
  const calls: ProposedCall[] = [];
  for (const item of items) {
    if (item.type !== "function_call" || !DESTRUCTIVE_TOOLS.has(item.name)) continue;
    let args: { task_id?: unknown } = {};
    try {
      args = JSON.parse(item.arguments || "{}") as { task_id?: unknown };
    } catch {}
    calls.push({ name: item.name, task_id: Number(args.task_id) });
  }
  return calls;
}

/** "yes", "ok, go ahead", "yes please": a short, plain yes with no "no" or "not" in it. */
export function isConfirmation(message: string): boolean {
  const t = message.trim().toLowerCase();
  return (
    t.split(/\s+/).length <= 6 &&
    /^(?:yes|yep|yeah|sure|ok|okay|confirm(?:ed)?|go ahead|do it|please do)\b/.test(t) &&
    !/\b(?:no|not|don't|dont|only|except|but)\b/.test(t)
  );
}

export class ConfirmBulkActions implements Model {
  /** The calls held back in this turn, for the reply's tool_calls. */
  readonly held: ProposedCall[] = [];

  constructor(
    private readonly inner: Model,
    /** Calls the user confirmed in this turn's message (from the previous turn's held calls). */
    private readonly confirmed: ProposedCall[],
    private readonly question: (calls: ProposedCall[]) => Promise<string>,
  ) {}

  private isConfirmed(call: ProposedCall): boolean {
    return this.confirmed.some((c) => c.name === call.name && c.task_id === call.task_id);
  }

  /** The confirmation question to answer in place of the response, when it goes past one change. */
  private async review(request: ModelRequest, output: AgentOutputItem[]): Promise<string | undefined> {
    const items = typeof request.input === "string" ? [] : request.input;
    const lastUser = items.findLastIndex((i) => "role" in i && i.role === "user");
    const done = destructiveCalls(items.slice(lastUser + 1)).filter((c) => !this.isConfirmed(c));
    const proposed = destructiveCalls(output).filter((c) => !this.isConfirmed(c));
    if (done.length + proposed.length <= 1) return undefined;
    this.held.push(...proposed);
    return this.question(proposed);
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const response = await this.inner.getResponse(request);
    const question = await this.review(request, response.output);
    return question === undefined ? response : { ...response, output: [assistantText(question)] };
  }

  // Streamed turns (every chat turn): the calls only arrive with response_done, so that is where the
  // response is reviewed; a held one is answered with the question, streamed like any text.
  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    for await (const event of this.inner.getStreamedResponse(request)) {
      if (event.type !== "response_done") {
        yield event;
        continue;
      }
      const question = await this.review(request, event.response.output as AgentOutputItem[]);
      if (question === undefined) {
        yield event;
        continue;
      }
      yield { type: "output_text_delta", delta: question };
      yield { ...event, response: { ...event.response, output: [assistantText(question)] } } as StreamEvent;
    }
  }
}

function assistantText(text: string): AgentOutputItem {
  return {
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text }],
  };
}

/** The question put to the user in place of held calls, naming each task from the database. */
export function confirmationQuestion(db: Db, userId: string) {
  return async (calls: ProposedCall[]): Promise<string> => {
    const lines: string[] = [];
    for (const call of calls) {
      const verb = call.name === "delete_task" ? "delete" : "mark as done";
      const task = Number.isInteger(call.task_id)
        ? await getTask(db, userId, call.task_id).catch(() => undefined)
        : undefined;
      lines.push(
        task ? `• ${verb} #${task.id} ${task.title}` : `• ${verb} task ${call.task_id} (not on your list)`,
      );
    }
    return (
      `That would change ${calls.length} tasks at once, so I'd like you to confirm first:\n${lines.join("\n")}\n` +
      'Reply "yes" to go ahead with all of them, or tell me which one.'
    );
  };
}
