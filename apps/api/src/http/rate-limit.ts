// Rate limits kept in PostgreSQL (table rate_limits), so every replica counts against the same
// budget: with three replicas a client still gets the limit once, not three times. A fixed window
// per key, counted by one atomic upsert (no read-then-write race between replicas). The table is
// UNLOGGED (migration 0004): the upsert commits without waiting for a WAL flush.
import { lt, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { rateLimits } from "../db/schema.js";
import { AppError } from "./errors.js";

/** One budget: at most `max` hits on `key` per window; `what` names it in the 429 message. */
export interface Limit {
  key: string;
  max: number;
  what: string;
}

export interface RateLimiter {
  /**
   * Counts one hit on each limit's key, all in one statement (one commit however many budgets a
   * request spends); throws 429 rate_limited (with Retry-After) for the first limit past its `max`.
   */
  hit(...limits: Limit[]): Promise<void>;
}

export function createRateLimiter(db: Db, windowSeconds = 60, now: () => number = Date.now): RateLimiter {
  const windowMs = windowSeconds * 1000;
  let lastSweep = 0;
  return {
    async hit(...limits) {
      const t = now();
      const windowStart = new Date(Math.floor(t / windowMs) * windowMs);
      const rows = await db
        .insert(rateLimits)
        .values(limits.map(({ key }) => ({ key, windowStart, count: 1 })))
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            count: sql`case when ${rateLimits.windowStart} = excluded.window_start then ${rateLimits.count} + 1 else 1 end`,
            windowStart: sql`excluded.window_start`,
          },
        })
        .returning({ key: rateLimits.key, count: rateLimits.count });
      // Forget finished windows now and then, so the table holds only the current ones.
      if (t - lastSweep > windowMs) {
        lastSweep = t;
        await db
          .delete(rateLimits)
          .where(lt(rateLimits.windowStart, new Date(windowStart.getTime() - windowMs)));
      }
      const counts = new Map(rows.map((row) => [row.key, row.count]));
      const over = limits.find(({ key, max }) => (counts.get(key) ?? 0) > max);
      if (over) {
        const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - t) / 1000));
        throw new AppError(
          "rate_limited",
          `Too many ${over.what}: at most ${over.max} a minute. Try again in ${retryAfter} s.`,
          undefined,
          { "retry-after": String(retryAfter) },
        );
      }
    },
  };
}
