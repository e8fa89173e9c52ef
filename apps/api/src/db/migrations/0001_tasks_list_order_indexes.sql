CREATE INDEX "tasks_user_id_created_at_id_idx" ON "tasks" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "tasks_user_id_completed_created_at_id_idx" ON "tasks" USING btree ("user_id","completed","created_at","id");--> statement-breakpoint
DROP INDEX "tasks_user_id_idx";--> statement-breakpoint
DROP INDEX "tasks_user_id_completed_idx";