// Zod schemas of the chat and conversation API: they validate requests and generate /openapi.json.
import { z } from "@hono/zod-openapi";
import { rowId } from "../http/schemas.js";
import { nonBlankText } from "../http/text.js";

export const MESSAGE_MAX = 4000;

export const ChatBody = z
  .object({
    conversation_id: rowId.optional().openapi({
      description: "Continue this conversation; omit to start a new one",
    }),
    message: nonBlankText("message must not be empty").max(MESSAGE_MAX),
  })
  .strict()
  .openapi("ChatRequest");

export const ToolCallSchema = z
  .object({
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    result: z.unknown(),
  })
  .openapi("ToolCall");

/** One tool call as the chat API reports and stores it. */
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const ChatReplySchema = z
  .object({
    conversation_id: z.number().int(),
    response: z.string(),
    tool_calls: z.array(ToolCallSchema),
  })
  .openapi("ChatReply");

export type ChatReply = z.infer<typeof ChatReplySchema>;

export const ConversationSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Conversation");

export type Conversation = z.infer<typeof ConversationSchema>;

export const MessageSchema = z
  .object({
    id: z.number().int(),
    conversation_id: z.number().int(),
    role: z.enum(["user", "assistant"]),
    content: z.string(),
    created_at: z.string().datetime(),
    tool_calls: z.array(ToolCallSchema).optional().openapi({
      description: "The tool calls of an assistant message that used tools",
    }),
  })
  .openapi("Message");

export type Message = z.infer<typeof MessageSchema>;
