// The JSON shapes the browser receives. The API's are generated from its OpenAPI document
// (api-types.gen.ts, `npm run gen:api-types`); Better Auth's and the chat stream's events, which that
// document does not describe, are declared here.
import type { components, paths } from "./api-types.gen";

type Schemas = components["schemas"];

export type Task = Schemas["Task"];
export type TaskStatus = NonNullable<
  NonNullable<paths["/api/{user_id}/tasks"]["get"]["parameters"]["query"]>["status"]
>;
export type NewTask = Schemas["CreateTask"];
export type TaskChanges = Schemas["UpdateTask"];
export type ToolCall = Schemas["ToolCall"];
export type ChatReply = Schemas["ChatReply"];
export type Conversation = Schemas["Conversation"];
export type Message = Schemas["Message"];

/** One page of the task list; nextCursor (the X-Next-Cursor header) is null on the last page. */
export interface TaskPage {
  tasks: Task[];
  nextCursor: string | null;
}

/** What a streamed chat turn reports while it runs: the Server-Sent Events of POST /chat before `done`. */
export type ChatStreamEvent =
  | { type: "delta"; text: string }
  | { type: "tool_call"; name: string; arguments: ToolCall["arguments"] }
  | { type: "tool_result"; name: string; result: unknown };

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
