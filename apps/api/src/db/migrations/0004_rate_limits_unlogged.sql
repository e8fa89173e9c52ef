-- Rate-limit counters live for one minute: they need no write-ahead log. A statement that writes
-- only unlogged tables commits without waiting for a WAL flush (one fsync fewer per chat turn and
-- per sign-in). After a crash PostgreSQL empties the table: every window starts again.
ALTER TABLE "rate_limits" SET UNLOGGED;
