// A fake OpenAI-compatible model server for tests: real HTTP on 127.0.0.1, POST /v1/chat/completions
// answering from a per-test script. A script step is a function of the request (so it can read tool
// results, like a real model) or a failure to act out. Requests with `stream: true` are answered
// the way Ollama's OpenAI compatibility layer streams (text/event-stream, `data:` chunks of
// `chat.completion.chunk`, each tool call whole in one chunk, a closing chunk with finish_reason,
// a usage chunk when asked for, then `data: [DONE]`); the others with one `chat.completion`.
// Used by the API's agent tests and by the browser e2e (apps/web/e2e) as its only fake.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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

export type Step = Reply | ((req: ChatRequest) => Reply);

export interface RecordedRequest {
  body: ChatRequest;
  authorization: string | undefined;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  /** The answer was sent to its end. */
  completed: boolean;
}

export interface FakeLlm {
  url: string;
  /** Every request received, with its Authorization header. */
  requests: RecordedRequest[];
  /** Replaces the script: one step per model call, in order. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

let callCounter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = Extract<Reply, { toolCalls: unknown } | { content: string }>;

function toolCallsOf(reply: Answer) {
  return "toolCalls" in reply
    ? reply.toolCalls.map((c) => ({
        id: `call_${++callCounter}`,
        type: "function",
        function: { name: c.name, arguments: JSON.stringify(c.arguments) },
      }))
    : [];
}

function completion(reply: Answer, model: string) {
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
async function streamCompletion(res: ServerResponse, reply: Answer, body: ChatRequest): Promise<boolean> {
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

/** `models`: what GET /v1/models lists (Ollama: the pulled models). */
export async function startFakeLlm(models: string[] = ["qwen2.5:3b"]): Promise<FakeLlm> {
  let steps: Step[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/v1/models") {
      // Ollama lists the models it has pulled, newest first.
      return send(200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "library" })),
      });
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    const record: RecordedRequest = {
      body,
      authorization: req.headers.authorization,
      aborted: false,
      completed: false,
    };
    requests.push(record);
    res.on("close", () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const step = steps.shift();
    if (!step) return send(500, { error: { message: "fake LLM: script exhausted" } });
    let reply = typeof step === "function" ? step(body) : step;
    while ("delayMs" in reply) {
      await sleep((reply as { delayMs: number }).delayMs);
      reply = reply.then;
    }
    if ("status" in reply) {
      return send(
        reply.status,
        reply.body ?? { error: { message: `fake failure ${reply.status}`, type: "server_error" } },
      );
    }
    if (body.stream) {
      record.completed = await streamCompletion(res, reply, body);
      return;
    }
    send(200, completion(reply, body.model));
    record.completed = true;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...s) => {
      steps = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON of the last tool message in a request (what the model was told a tool returned). */
export function lastToolResult<T>(req: ChatRequest): T {
  const tool = req.messages.filter((m) => m.role === "tool").at(-1);
  const content = tool?.content;
  const text = typeof content === "string" ? content : (content ?? []).map((c) => c.text ?? "").join("");
  return JSON.parse(text) as T;
}
