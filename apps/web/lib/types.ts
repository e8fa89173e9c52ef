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
  /** Not in SPEC §2 today; shown when a backend includes it. */
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
