// Per-user chat rate limit (CHAT_RATE_LIMIT_PER_MINUTE): a sliding one-minute window in memory.
// Per replica, like Better Auth's memory limiter: with N replicas a user gets at most N× the limit,
// which still bounds what one user can spend on the model.
import { AppError } from "../http/errors.js";

const WINDOW_MS = 60_000;

export function createChatRateLimiter(perMinute: number, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return function check(userId: string): void {
    const t = now();
    const recent = (hits.get(userId) ?? []).filter((at) => t - at < WINDOW_MS);
    if (recent.length >= perMinute) {
      const retryAfter = Math.max(1, Math.ceil((WINDOW_MS - (t - (recent[0] ?? t))) / 1000));
      hits.set(userId, recent);
      throw new AppError(
        "rate_limited",
        `Too many chat messages: at most ${perMinute} a minute. Try again in ${retryAfter} s.`,
        undefined,
        { "retry-after": String(retryAfter) },
      );
    }
    recent.push(t);
    hits.set(userId, recent);
    // Forget idle users so the map does not grow without bound.
    if (hits.size > 10_000) {
      for (const [id, times] of hits) if (times.every((at) => t - at >= WINDOW_MS)) hits.delete(id);
    }
  };
}
