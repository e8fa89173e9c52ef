// The conversation store: every query on conversations and messages, scoped by the user id.
// A conversation of another user is "not found", exactly like a task.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
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
  /** Assistant messages that used tools carry them, as in the ChatReply. */
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

const toConversation = (
  row: Pick<ConversationRow, "id" | "title" | "createdAt" | "updatedAt">,
): Conversation => ({
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

/**
 * Starts a conversation with its first (user) message: one statement, so one commit, for both
 * rows. A new conversation has no history to load.
 */
export async function startConversation(db: Db, userId: string, firstMessage: string): Promise<Conversation> {
  const [row] = await queryRows<{ id: number; title: string; created_at: Date; updated_at: Date }>(
    db,
    sql`with c as (
          insert into conversations (user_id, title) values (${userId}, ${titleFrom(firstMessage)})
          returning id, title, created_at, updated_at
        ), m as (
          insert into messages (conversation_id, user_id, role, content)
          select id, ${userId}, 'user', ${firstMessage} from c
        )
        select * from c`,
  );
  if (!row) throw new Error("insert returned no conversation");
  return toConversation({
    id: row.id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
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
    .select({
      role: messages.role,
      content: messages.content,
      toolCalls: messages.toolCalls,
      agentState: messages.agentState,
    })
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.conversationId, conversationId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/**
 * Adds a message to one of the user's conversations and marks the conversation active, in one
 * statement (one round trip, one commit): commits were most of a chat turn's time.
 */
export async function addMessage(
  db: Db,
  userId: string,
  conversationId: number,
  message: {
    role: "user" | "assistant";
    content: string;
    toolCalls?: ToolCall[] | undefined;
    /** What the agent waits for after this (assistant) message, as data. */
    agentState?: Record<string, unknown> | undefined;
  },
): Promise<void> {
  const agentState = message.agentState === undefined ? null : JSON.stringify(message.agentState);
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`with touched as (
          update conversations set updated_at = now()
          where user_id = ${userId} and id = ${conversationId}
          returning id
        )
        insert into messages (conversation_id, user_id, role, content, tool_calls, agent_state)
        select id, ${userId}, ${message.role}, ${message.content}, ${JSON.stringify(message.toolCalls ?? [])}::jsonb,
          ${agentState}::jsonb
        from touched
        returning id`,
  );
  if (!row) throw notFound("conversation");
}
