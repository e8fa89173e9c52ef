// Zod schemas for the task API: they validate requests and generate /openapi.json.
import { z } from "@hono/zod-openapi";
import { nonBlankText, storableText } from "../http/text.js";
import { PAGE_LIMIT_MAX } from "./service.js";

export const TASK_TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX = 1000;

export const title = nonBlankText("title must not be empty").max(TASK_TITLE_MAX_LENGTH);
export const description = storableText().max(DESCRIPTION_MAX);
export const taskStatus = z.enum(["all", "pending", "completed"]);

export const TaskSchema = z
  .object({
    id: z.number().int(),
    user_id: z.string(),
    title: z.string(),
    description: z.string(),
    completed: z.boolean(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Task");

export type Task = z.infer<typeof TaskSchema>;
export type TaskStatus = z.infer<typeof taskStatus>;

export const pageLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(PAGE_LIMIT_MAX)
  .describe(`Page size, 1 to ${PAGE_LIMIT_MAX}; the answer is then at most one page`);
export const pageCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, "cursor must be the X-Next-Cursor of the previous page")
  .describe("The X-Next-Cursor header of the previous page (opaque); the page size defaults to 50");

export const ListQuery = z.object({
  status: taskStatus.default("all"),
  // The document states the bounds the validator enforces (a coerced number loses them otherwise).
  limit: pageLimit.optional().openapi({ type: "integer", minimum: 1, maximum: PAGE_LIMIT_MAX }),
  cursor: pageCursor.optional(),
});

/** What a list asks for; without limit and cursor, every task in one answer. */
export type ListOptions = Partial<z.infer<typeof ListQuery>>;

export const CreateTaskBody = z
  .object({ title, description: description.optional() })
  .strict()
  .openapi("CreateTask");

export type NewTask = z.infer<typeof CreateTaskBody>;

export const UpdateTaskBody = z
  .object({ title: title.optional(), description: description.optional(), completed: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one of title, description, completed is required")
  .openapi("UpdateTask", { minProperties: 1 });

export type TaskChanges = z.infer<typeof UpdateTaskBody>;
