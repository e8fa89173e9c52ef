// Zod schemas every route module shares: the error body, the path user and row ids.
import { z } from "@hono/zod-openapi";

/** The largest row id: ids are PostgreSQL `serial` (int4) columns. */
export const ID_MAX = 2_147_483_647;

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi("Error");

export const UserParams = z.object({
  user_id: z
    .string()
    .min(1)
    .openapi({ param: { name: "user_id", in: "path" } }),
});

/** A row id in a JSON body: a positive int4. */
export const rowId = z.number().int().positive().max(ID_MAX);

/** A row id in a path: a positive int4. The document states the bounds the validator enforces. */
export const idParam = z.coerce
  .number()
  .int()
  .positive()
  .max(ID_MAX)
  .openapi({ param: { name: "id", in: "path" }, type: "integer", minimum: 1, maximum: ID_MAX });

/** The path of one row of the user's: /{user_id}/…/{id}. */
export const RowParams = UserParams.extend({ id: idParam });
