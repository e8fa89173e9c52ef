// POST /api/{user_id}/chat and the conversation history endpoints (see /openapi.json). Stateless: each turn
// loads the recent history from the database, stores the user message before the model runs,
// and stores the reply with its tool calls, so any replica can serve the next turn.
//
// One endpoint, one turn, two ways to answer: JSON (the ChatReply once the turn is done) or, when the
// client sends `Accept: text/event-stream`, Server-Sent Events while it runs (delta, tool_call,
// tool_result, then done with the same ChatReply, or error with the error object). A client that
// goes away mid-turn aborts the model call; what had been streamed is stored with the tool calls
// that ran, marked as stopped (store.STOPPED_MARK), so the conversation stays consistent.
import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { AgentRunner, TurnEvent } from "../agent/runner.js";
import type { Db } from "../db/client.js";
import { AppError, errorBody } from "../http/errors.js";
import { requestHeader } from "../http/headers.js";
import { bearerSecurity, createRouter, errorResponses, jsonBody } from "../http/openapi.js";
import type { RateLimiter } from "../http/rate-limit.js";
import { ErrorSchema, RowParams, UserParams } from "../http/schemas.js";
import type { ClientAddressOf } from "../http/security.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { ChatBody, type ChatReply, ChatReplySchema, ConversationSchema, MessageSchema } from "./schemas.js";
import * as store from "./store.js";

/** How many users' worth of chat one client address may send. */
const CHAT_USERS_PER_ADDRESS = 5;

const llmError = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

const routes = {
  chat: createRoute({
    method: "post",
    path: "/{user_id}/chat",
    tags: ["chat"],
    summary: "Send a message to the todo assistant",
    description:
      "Runs one agent turn. Omit conversation_id to start a conversation. The user message is stored " +
      "even when the model fails (502 llm_auth_failed, 503 llm_timeout / llm_unavailable). With " +
      "`Accept: text/event-stream` the turn is streamed as Server-Sent Events: `delta` {text}, " +
      "`tool_call` {name, arguments}, `tool_result` {name, result}, then `done` with the ChatReply or " +
      "`error` with the error object. A client that disconnects stops the turn; the partial reply is " +
      "stored ending in the stopped mark.",
    security: bearerSecurity,
    request: { params: UserParams, body: jsonBody(ChatBody) },
    responses: {
      200: {
        description: "The assistant's reply (JSON), or the turn as Server-Sent Events",
        content: {
          "application/json": { schema: ChatReplySchema },
          "text/event-stream": {
            schema: z.string().openapi({ description: "event: delta|tool_call|tool_result|done|error" }),
          },
        },
      },
      ...errorResponses,
      502: llmError("The model provider rejected the request (llm_auth_failed)"),
      503: llmError("The model provider timed out or is unavailable (llm_timeout, llm_unavailable)"),
    },
  }),
  conversations: createRoute({
    method: "get",
    path: "/{user_id}/conversations",
    tags: ["chat"],
    summary: "List the user's conversations, most recently active first",
    security: bearerSecurity,
    request: { params: UserParams },
    responses: {
      200: {
        description: "Conversations",
        content: { "application/json": { schema: z.array(ConversationSchema) } },
      },
      ...errorResponses,
    },
  }),
  messages: createRoute({
    method: "get",
    path: "/{user_id}/conversations/{id}/messages",
    tags: ["chat"],
    summary: "The messages of one conversation, oldest first",
    security: bearerSecurity,
    request: { params: RowParams },
    responses: {
      200: { description: "Messages", content: { "application/json": { schema: z.array(MessageSchema) } } },
      ...errorResponses,
    },
  }),
};

/** True when the client asked for Server-Sent Events (`Accept: text/event-stream`). */
export function wantsEventStream(accept: string | undefined): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept ?? "");
}

export function chatRoutes(deps: {
  db: Db;
  runner: AgentRunner;
  metrics: Metrics;
  logger: Logger;
  limiter: RateLimiter;
  ratePerMinute: number;
  clientAddressOf: ClientAddressOf;
}) {
  const { db, runner, metrics, logger, limiter, ratePerMinute, clientAddressOf } = deps;
  const mode = runner.mode;

  return createRouter()
    .openapi(routes.chat, async (c) => {
      const userId = c.var.userId;
      try {
        // Per user (CHAT_RATE_LIMIT_PER_MINUTE, across replicas), and per client address with room
        // for a household or an office behind one NAT: new accounts do not buy more model time.
        await limiter.hit(
          { key: `chat:user:${userId}`, max: ratePerMinute, what: "chat messages" },
          {
            key: `chat:ip:${clientAddressOf(c)}`,
            max: ratePerMinute * CHAT_USERS_PER_ADDRESS,
            what: "chat messages from your network",
          },
        );
      } catch (err) {
        metrics.chatTurns.inc({ mode, outcome: "rate_limited" });
        throw err;
      }
      const body = c.req.valid("json");
      let conversation: store.Conversation;
      let history: Awaited<ReturnType<typeof store.recentHistory>> = [];
      if (body.conversation_id === undefined) {
        conversation = await store.startConversation(db, userId, body.message);
      } else {
        conversation = await store.getConversation(db, userId, body.conversation_id);
        history = await store.recentHistory(db, userId, conversation.id);
        await store.addMessage(db, userId, conversation.id, { role: "user", content: body.message });
      }

      // Stops the model call when the client goes away (either way of answering).
      const abort = new AbortController();
      const clientGone = () => abort.abort();
      c.req.raw.signal.addEventListener("abort", clientGone, { once: true });

      /** The turn, stored: the ChatReply, or an AppError carrying the conversation id. */
      const turnAndStore = async (onEvent?: (event: TurnEvent) => void): Promise<ChatReply> => {
        let turn: Awaited<ReturnType<AgentRunner["runTurn"]>>;
        try {
          turn = await runner.runTurn(
            { userId, history, message: body.message },
            { signal: abort.signal, onEvent },
          );
        } catch (err) {
          const outcome = err instanceof AppError ? err.code : "error";
          metrics.chatTurns.inc({ mode, outcome });
          logger.warn(
            {
              requestId: c.env.requestId,
              conversationId: conversation.id,
              code: outcome,
              err: (err as Error).message,
            },
            "chat turn failed",
          );
          if (err instanceof AppError) {
            throw new AppError(err.code, err.message, { conversation_id: conversation.id }, err.headers);
          }
          throw err;
        } finally {
          c.req.raw.signal.removeEventListener("abort", clientGone);
        }
        const response = turn.stopped ? store.markStopped(turn.response) : turn.response;
        await store.addMessage(db, userId, conversation.id, {
          role: "assistant",
          content: response,
          toolCalls: turn.toolCalls,
          agentState: turn.agentState,
        });
        metrics.chatTurns.inc({ mode, outcome: turn.stopped ? "stopped" : "ok" });
        if (turn.stopped) {
          logger.info({ requestId: c.env.requestId, conversationId: conversation.id }, "chat turn stopped");
        }
        return { conversation_id: conversation.id, response, tool_calls: turn.toolCalls };
      };

      if (!wantsEventStream(requestHeader(c, "accept"))) return c.json(await turnAndStore(), 200);

      const response = streamSSE(c, async (stream) => {
        stream.onAbort(clientGone);
        // Events are written in the order the turn reports them; `done` waits for all of them.
        let writes = Promise.resolve();
        const send = (event: string, data: unknown) => {
          writes = writes.then(() =>
            stream.closed || stream.aborted
              ? undefined
              : stream.writeSSE({ event, data: JSON.stringify(data) }),
          );
          return writes;
        };
        try {
          const reply = await turnAndStore((event) => {
            const { type, ...data } = event;
            void send(type, data);
          });
          await send("done", reply);
        } catch (err) {
          const appError =
            err instanceof AppError
              ? err
              : new AppError("internal_error", "Something went wrong on our side", {
                  conversation_id: conversation.id,
                });
          if (!(err instanceof AppError)) {
            logger.error(
              {
                requestId: c.env.requestId,
                err: { message: (err as Error).message, stack: (err as Error).stack },
              },
              "chat stream failed",
            );
          }
          await send("error", errorBody(appError));
        }
      });
      // Proxies (nginx, the Ingress controller, compression) must pass each event on at once.
      response.headers.set("X-Accel-Buffering", "no");
      response.headers.set("Cache-Control", "no-cache, no-transform");
      return response;
    })
    .openapi(routes.conversations, async (c) => c.json(await store.listConversations(db, c.var.userId), 200))
    .openapi(routes.messages, async (c) =>
      c.json(await store.listMessages(db, c.var.userId, c.req.valid("param").id), 200),
    );
}
