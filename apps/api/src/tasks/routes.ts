// REST routes for tasks (/api/{user_id}/tasks, see /openapi.json). Validation by the schemas beside them; work by the task service.
import { createRoute, z } from "@hono/zod-openapi";
import type { Db } from "../db/client.js";
import { bearerSecurity, createRouter, errorResponses, jsonBody } from "../http/openapi.js";
import { RowParams, UserParams } from "../http/schemas.js";
import { CreateTaskBody, ListQuery, TaskSchema, UpdateTaskBody } from "./schemas.js";
import * as service from "./service.js";

const taskJson = (description: string) => ({
  description,
  content: { "application/json": { schema: TaskSchema } },
});

const routes = {
  list: createRoute({
    method: "get",
    path: "/{user_id}/tasks",
    tags: ["tasks"],
    summary: "List the user's tasks, newest first",
    description:
      "Without limit and cursor: every task. With limit (and the cursor of the previous page): one page, " +
      "and an X-Next-Cursor header when more tasks follow.",
    security: bearerSecurity,
    request: { params: UserParams, query: ListQuery },
    responses: {
      200: {
        description: "Tasks (one page when limit or cursor is given)",
        headers: {
          "X-Next-Cursor": {
            description: "Present when more tasks follow: pass it as ?cursor= for the next page",
            schema: { type: "string" },
          },
        },
        content: { "application/json": { schema: z.array(TaskSchema) } },
      },
      ...errorResponses,
    },
  }),
  create: createRoute({
    method: "post",
    path: "/{user_id}/tasks",
    tags: ["tasks"],
    summary: "Create a task",
    security: bearerSecurity,
    request: { params: UserParams, body: jsonBody(CreateTaskBody) },
    responses: { 201: taskJson("Created"), ...errorResponses },
  }),
  get: createRoute({
    method: "get",
    path: "/{user_id}/tasks/{id}",
    tags: ["tasks"],
    summary: "Get one task",
    security: bearerSecurity,
    request: { params: RowParams },
    responses: { 200: taskJson("The task"), ...errorResponses },
  }),
  update: createRoute({
    method: "put",
    path: "/{user_id}/tasks/{id}",
    tags: ["tasks"],
    summary: "Update a task's title, description or completion",
    security: bearerSecurity,
    request: { params: RowParams, body: jsonBody(UpdateTaskBody) },
    responses: { 200: taskJson("Updated"), ...errorResponses },
  }),
  remove: createRoute({
    method: "delete",
    path: "/{user_id}/tasks/{id}",
    tags: ["tasks"],
    summary: "Delete a task",
    security: bearerSecurity,
    request: { params: RowParams },
    responses: { 204: { description: "Deleted" }, ...errorResponses },
  }),
  toggle: createRoute({
    method: "patch",
    path: "/{user_id}/tasks/{id}/complete",
    tags: ["tasks"],
    summary: "Toggle a task's completion",
    security: bearerSecurity,
    request: { params: RowParams },
    responses: { 200: taskJson("Toggled"), ...errorResponses },
  }),
};

export function taskRoutes(db: Db) {
  return createRouter()
    .openapi(routes.list, async (c) => {
      const page = await service.listTasks(db, c.var.userId, c.req.valid("query"));
      if (page.nextCursor) c.header("x-next-cursor", page.nextCursor);
      return c.json(page.tasks, 200);
    })
    .openapi(routes.create, async (c) =>
      c.json(await service.createTask(db, c.var.userId, c.req.valid("json")), 201),
    )
    .openapi(routes.get, async (c) =>
      c.json(await service.getTask(db, c.var.userId, c.req.valid("param").id), 200),
    )
    .openapi(routes.update, async (c) =>
      c.json(await service.updateTask(db, c.var.userId, c.req.valid("param").id, c.req.valid("json")), 200),
    )
    .openapi(routes.remove, async (c) => {
      await service.deleteTask(db, c.var.userId, c.req.valid("param").id);
      return c.body(null, 204);
    })
    .openapi(routes.toggle, async (c) =>
      c.json(await service.toggleTask(db, c.var.userId, c.req.valid("param").id), 200),
    );
}
