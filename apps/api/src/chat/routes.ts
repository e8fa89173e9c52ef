// POST /api/{user_id}/chat and the conversation history endpoints (SPEC §2). Stateless: each turn
// loads the recent history from the database, stores the user message before the model runs,
// and stores the reply with its tool calls, so any replica can serve the next turn.
import { createRoute, z } from "@hono/zod-openapi";
import type { AgentRunner } from "../agent/runner.js";
import type { Db } from "../db/client.js";
import { AppError } from "../http/errors.js";
import { bearerSecurity, createRouter, errorResponses, jsonBody } from "../http/openapi.js";
import type { RateLimiter } from "../http/rate-limit.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { ErrorSchema, UserParams } from "../tasks/schemas.js";
import {
  ChatBody,
  ChatReplySchema,
  ConversationParams,
  ConversationSchema,
  MessageSchema,
} from "./schemas.js";
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
      "even when the model fails (502 llm_auth_failed, 503 llm_timeout / llm_unavailable).",
    security: bearerSecurity,
    request: { params: UserParams, body: jsonBody(ChatBody) },
    responses: {
      200: {
        description: "The assistant's reply",
        content: { "application/json": { schema: ChatReplySchema } },
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
    request: { params: ConversationParams },
    responses: {
      200: { description: "Messages", content: { "application/json": { schema: z.array(MessageSchema) } } },
      ...errorResponses,
    },
  }),
};

export function chatRoutes(deps: {
  db: Db;
  runner: AgentRunner;
  metrics: Metrics;
  logger: Logger;
  limiter: RateLimiter;
  ratePerMinute: number;
}) {
  const { db, runner, metrics, logger, limiter, ratePerMinute } = deps;
  const mode = runner.mode;

  return createRouter()
    .openapi(routes.chat, async (c) => {
      const userId = c.var.userId;
      try {
        // Per user (CHAT_RATE_LIMIT_PER_MINUTE, across replicas), and per client address with room
        // for a household or an office behind one NAT: new accounts do not buy more model time.
        await limiter.hit(`chat:user:${userId}`, ratePerMinute, "chat messages");
        await limiter.hit(
          `chat:ip:${c.var.clientAddress}`,
          ratePerMinute * CHAT_USERS_PER_ADDRESS,
          "chat messages from your network",
        );
      } catch (err) {
        metrics.chatTurns.inc({ mode, outcome: "rate_limited" });
        throw err;
      }
      const body = c.req.valid("json");
      const conversation =
        body.conversation_id === undefined
          ? await store.createConversation(db, userId, body.message)
          : await store.getConversation(db, userId, body.conversation_id);
      const history = await store.recentHistory(db, userId, conversation.id);
      await store.addMessage(db, userId, conversation.id, { role: "user", content: body.message });

      let turn: Awaited<ReturnType<AgentRunner["runTurn"]>>;
      try {
        turn = await runner.runTurn({ userId, history, message: body.message });
      } catch (err) {
        const outcome = err instanceof AppError ? err.code : "error";
        metrics.chatTurns.inc({ mode, outcome });
        logger.warn(
          {
            requestId: c.var.requestId,
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
      }
      await store.addMessage(db, userId, conversation.id, {
        role: "assistant",
        content: turn.response,
        toolCalls: turn.toolCalls,
      });
      metrics.chatTurns.inc({ mode, outcome: "ok" });
      return c.json(
        { conversation_id: conversation.id, response: turn.response, tool_calls: turn.toolCalls },
        200,
      );
    })
    .openapi(routes.conversations, async (c) => c.json(await store.listConversations(db, c.var.userId), 200))
    .openapi(routes.messages, async (c) =>
      c.json(await store.listMessages(db, c.var.userId, c.req.valid("param").id), 200),
    );
}
