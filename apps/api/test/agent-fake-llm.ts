// A fake OpenAI-compatible server for the agent tests: real HTTP on 127.0.0.1, POST
// /v1/chat/completions answering from a per-test script. A script step is a function of the
// request (so it can read tool results, like a real model) or a failure to act out.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
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
  | { content: string }
  | { status: number; body?: unknown }
  | { delayMs: number; then: Reply };

export type Step = Reply | ((req: ChatRequest) => Reply);

export interface FakeLlm {
  url: string;
  /** Every request received, with its Authorization header. */
  requests: Array<{ body: ChatRequest; authorization: string | undefined }>;
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

function completion(reply: Extract<Reply, { toolCalls: unknown } | { content: string }>, model: string) {
  const message =
    "toolCalls" in reply
      ? {
          role: "assistant",
          content: null,
          tool_calls: reply.toolCalls.map((c) => ({
            id: `call_${++callCounter}`,
            type: "function",
            function: { name: c.name, arguments: JSON.stringify(c.arguments) },
          })),
        }
      : { role: "assistant", content: reply.content };
  return {
    id: `chatcmpl-${++callCounter}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: "toolCalls" in reply ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

export async function startFakeLlm(): Promise<FakeLlm> {
  let steps: Step[] = [];
  const requests: FakeLlm["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    requests.push({ body, authorization: req.headers.authorization });
    const step = steps.shift();
    if (!step) return send(500, { error: { message: "fake LLM: script exhausted" } });
    let reply = typeof step === "function" ? step(body) : step;
    while ("delayMs" in reply) {
      await new Promise((r) => setTimeout(r, (reply as { delayMs: number }).delayMs));
      reply = reply.then;
    }
    if ("status" in reply) {
      return send(
        reply.status,
        reply.body ?? { error: { message: `fake failure ${reply.status}`, type: "server_error" } },
      );
    }
    return send(200, completion(reply, body.model));
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
