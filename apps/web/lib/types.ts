// The JSON shapes of SPEC §2, as the browser receives them.

export type TaskStatus = "all" | "pending" | "completed";

export interface Task {
  id: number;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

/** One page of the task list; nextCursor (the X-Next-Cursor header) is null on the last page. */
export interface TaskPage {
  tasks: Task[];
  nextCursor: string | null;
}

export interface NewTask {
  title: string;
  description?: string;
}

export interface TaskChanges {
  title?: string;
  description?: string;
  completed?: boolean;
}

export interface ToolCall {
  name: string;
  arguments: unknown;
  result: unknown;
}

export interface ChatReply {
  conversation_id: number;
  response: string;
  tool_calls: ToolCall[];
}

/** What a streamed chat turn reports while it runs (SPEC §2 chat streaming). */
export type ChatStreamEvent =
  | { type: "delta"; text: string }
  | { type: "tool_call"; name: string; arguments: unknown }
  | { type: "tool_result"; name: string; result: unknown };

export interface Conversation {
  id: number;
  title: string | null;
  created_at: string;
  updated_at: string;
}

export interface Message {
  id: number;
  conversation_id: number;
  role: "user" | "assistant";
  content: string;
  created_at: string;
  /** Assistant messages that used tools (SPEC §2). */
  tool_calls?: ToolCall[];
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export interface Session {
  user: SessionUser;
}

/** A personal API key as Better Auth's api-key plugin lists it (the secret itself is never listed). */
export interface ApiKey {
  id: string;
  name: string | null;
  start: string | null;
  prefix: string | null;
  createdAt: string;
  lastRequest: string | null;
  expiresAt: string | null;
  enabled: boolean;
}

/** The answer to creating a key: the only time `key` is ever shown. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}
