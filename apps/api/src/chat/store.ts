// The conversation store: every query on conversations and messages, scoped by the user id.
// A conversation of another user is "not found", exactly like a task.
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type ConversationRow, conversations, type MessageRow, messages } from "../db/schema.js";
import { notFound } from "../http/errors.js";
import type { ToolCall } from "./schemas.js";

/** Messages sent back to the model per turn: the recent past, not the whole conversation. */
export const HISTORY_LIMIT = 20;
const CONVERSATION_TITLE_LENGTH = 60;

export interface Conversation {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface Message {
  id: number;
  conversation_id: number;
  role: "user" | "assistant";
  content: string;
  created_at: string;
  /** Assistant messages that used tools carry them, as in the ChatReply (SPEC §2). */
  tool_calls?: ToolCall[];
}

/**
 * Ends the reply of a turn the client stopped. Stored in the content (not a flag) so that the model
 * also reads, in the next turn's history, that this answer was cut short.
 */
export const STOPPED_MARK = "_(stopped)_";

export function markStopped(partial: string): string {
  return partial ? `${partial}\n\n${STOPPED_MARK}` : STOPPED_MARK;
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  title: row.title,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const toMessage = (row: MessageRow): Message => {
  const message: Message = {
    id: row.id,
    conversation_id: row.conversationId,
    role: row.role,
    content: row.content,
    created_at: row.createdAt.toISOString(),
  };
  const toolCalls = row.toolCalls as ToolCall[] | null;
  if (row.role === "assistant" && toolCalls && toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
};

/** "Add buy groceries and call mom about the weekend" → "Add buy groceries and call mom about the…" */
export function titleFrom(message: string): string {
  const flat = message.replace(/\s+/g, " ").trim();
  if (flat.length <= CONVERSATION_TITLE_LENGTH) return flat || "New conversation";
  const cut = flat.slice(0, CONVERSATION_TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${(space > CONVERSATION_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export async function createConversation(
  db: Db,
  userId: string,
  firstMessage: string,
): Promise<Conversation> {
  const [row] = await db
    .insert(conversations)
    .values({ userId, title: titleFrom(firstMessage) })
    .returning();
  if (!row) throw new Error("insert returned no conversation");
  return toConversation(row);
}

export async function getConversation(db: Db, userId: string, id: number): Promise<Conversation> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.userId, userId), eq(conversations.id, id)));
  if (!row) throw notFound("conversation");
  return toConversation(row);
}

export async function listConversations(db: Db, userId: string): Promise<Conversation[]> {
  const rows = await db
    .select()
    .from(conversations)
    .where(eq(conversations.userId, userId))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id));
  return rows.map(toConversation);
}

export async function listMessages(db: Db, userId: string, conversationId: number): Promise<Message[]> {
  await getConversation(db, userId, conversationId);
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.conversationId, conversationId)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  return rows.map(toMessage);
}

/** The last HISTORY_LIMIT messages, oldest first, for the model's context. */
export async function recentHistory(db: Db, userId: string, conversationId: number, limit = HISTORY_LIMIT) {
  const rows = await db
    .select({ role: messages.role, content: messages.content, toolCalls: messages.toolCalls })
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.conversationId, conversationId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

export async function addMessage(
  db: Db,
  userId: string,
  conversationId: number,
  message: { role: "user" | "assistant"; content: string; toolCalls?: ToolCall[] },
): Promise<Message> {
  // One transaction: the message and the conversation's activity time land together, with one
  // commit (one WAL flush) instead of two — commits were most of a chat turn's time.
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(messages)
      .values({
        conversationId,
        userId,
        role: message.role,
        content: message.content,
        toolCalls: message.toolCalls ?? [],
      })
      .returning();
    await tx
      .update(conversations)
      .set({ updatedAt: new Date() })
      .where(and(eq(conversations.userId, userId), eq(conversations.id, conversationId)));
    return inserted;
  });
  if (!row) throw new Error("insert returned no message");
  return toMessage(row);
}
