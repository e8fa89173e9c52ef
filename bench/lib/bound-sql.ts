// The statements the task service sends for GET and POST /api/{user}/tasks (as Drizzle builds them),
// for the bound server to send the same SQL and for the bench's EXPLAIN. A test in the API's suite
// (apps/api/test/bench-bound.test.ts) fails when the service's SQL changes and these do not.
export const LIST_SQL =
  'select "id", "user_id", "title", "description", "completed", "created_at", "updated_at" from "tasks" ' +
  'where "tasks"."user_id" = $1 order by "tasks"."created_at" desc, "tasks"."id" desc';
export const INSERT_SQL =
  'insert into "tasks" ("id", "user_id", "title", "description", "completed", "created_at", "updated_at") ' +
  "values (default, $1, $2, $3, default, default, default) " +
  'returning "id", "user_id", "title", "description", "completed", "created_at", "updated_at"';
