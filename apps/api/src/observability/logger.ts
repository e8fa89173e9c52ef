// JSON logs (pino). Credentials never reach a log line: request logs carry no headers or bodies,
// and the redact list is a second guard for the usual places of one logged by mistake.
//
// Lines go to stdout asynchronously: lines logged while a write is in flight leave in one write,
// instead of one blocking write(2) per request line. Nothing is held back waiting for more (no
// minimum length), and pino flushes what is pending when the process exits.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "todo-chatbot-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Top-level paths only: pino runs a path that starts with "*" over every field of every
      // line (the request log's five included), which cost a tenth of a small request's allocations.
      redact: {
        paths: [
          "password",
          "token",
          "secret",
          "headers.authorization",
          "headers.cookie",
          'headers["set-cookie"]',
          "req.headers.authorization",
          "req.headers.cookie",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
