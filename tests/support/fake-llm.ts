// A fake OpenAI-compatible model server for tests: real HTTP on 127.0.0.1, POST /v1/chat/completions
// answering from a per-test script. A script step is a function of the request (so it can read tool
// results, like a real model) or a failure to act out. Requests with `stream: true` are answered
// the way Ollama's OpenAI compatibility layer streams (text/event-stream, `data:` chunks of
// `chat.completion.chunk`, each tool call whole in one chunk, a closing chunk with finish_reason,
// a usage chunk when asked for, then `data: [DONE]`); the others with one `chat.completion`.
// Used by the API's agent tests and by the browser e2e (apps/web/e2e) as its only fake; the wire format
// lives in openai-wire.ts, shared with the fake Ollama image of the cluster suite.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ChatRequest,
  completion,
  type Reply,
  readBody,
  sleep,
  streamCompletion,
} from "./openai-wire.js";

export type { ChatRequest, Reply } from "./openai-wire.js";
export { lastToolResult } from "./openai-wire.js";

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
