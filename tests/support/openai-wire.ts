// The OpenAI Chat Completions wire format as Ollama's OpenAI compatibility layer speaks it: one
// `chat.completion`, or a text/event-stream of `data:` chunks of `chat.completion.chunk` (each tool call
// whole in one chunk, a closing chunk with finish_reason, a usage chunk when asked for, `data: [DONE]`).
// Shared by the in-process fake (fake-llm.ts) and the fake Ollama image (tests/cluster/fake-ollama),
// which runs this file with Node's type stripping: node: imports only, `import type` for types.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ChatRequest {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: Array<{
    role: string;
    content?: string | null | Array<{ type: string; text?: string }>;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
}

export type Reply =
  | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> }
  /** `chunks` splits a streamed answer (default: word by word); `chunkDelayMs` paces them. */
  | { content: string; chunks?: string[]; chunkDelayMs?: number }
  | { status: number; body?: unknown }
  | { delayMs: number; then: Reply };

/** A reply that is an answer of the model (not a failure or a delay). */
export type Answer = Extract<Reply, { toolCalls: unknown } | { content: string }>;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

let callCounter = 0;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function toolCallsOf(reply: Answer) {
  return "toolCalls" in reply
    ? reply.toolCalls.map((c) => ({
        id: `call_${++callCounter}`,
        type: "function",
        function: { name: c.name, arguments: JSON.stringify(c.arguments) },
      }))
    : [];
}

/** The non-streamed answer: one `chat.completion`. */
export function completion(reply: Answer, model: string) {
  const message =
    "toolCalls" in reply
      ? { role: "assistant", content: null, tool_calls: toolCallsOf(reply) }
      : { role: "assistant", content: reply.content };
  return {
    id: `chatcmpl-${++callCounter}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: "fp_ollama",
    choices: [{ index: 0, message, finish_reason: "toolCalls" in reply ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** Writes `reply` as Ollama streams it; resolves false when the client went away first. */
export async function streamCompletion(
  res: ServerResponse,
  reply: Answer,
  body: ChatRequest,
): Promise<boolean> {
  const id = `chatcmpl-${++callCounter}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, system_fingerprint: "fp_ollama", choices, ...extra })}\n\n`;
  const send = (text: string) => !res.destroyed && res.write(text) !== undefined && !res.destroyed;
  res.writeHead(200, { "content-type": "text/event-stream" });
  if ("toolCalls" in reply) {
    for (const [index, call] of toolCallsOf(reply).entries()) {
      const delta = { role: "assistant", content: "", tool_calls: [{ ...call, index }] };
      if (!send(chunk([{ index: 0, delta, finish_reason: null }]))) return false;
    }
  } else {
    const pieces = reply.chunks ?? reply.content.match(/\S+\s*|\s+/g) ?? [];
    for (const piece of pieces) {
      const delta = { role: "assistant", content: piece };
      if (!send(chunk([{ index: 0, delta, finish_reason: null }]))) return false;
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return false;
    }
  }
  const finish = "toolCalls" in reply ? "tool_calls" : "stop";
  if (!send(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: finish }]))) {
    return false;
  }
  if (body.stream_options?.include_usage) {
    send(chunk([], { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
  }
  if (!send("data: [DONE]\n\n")) return false;
  res.end();
  return true;
}

/** The text of a message's content (a string or text parts). */
export function textOf(content: ChatRequest["messages"][number]["content"]): string {
  return typeof content === "string" ? content : (content ?? []).map((c) => c.text ?? "").join("");
}

/** The JSON of the last tool message in a request (what the model was told a tool returned). */
export function lastToolResult<T>(req: ChatRequest): T {
  const tool = req.messages.filter((m) => m.role === "tool").at(-1);
  return JSON.parse(textOf(tool?.content)) as T;
}
