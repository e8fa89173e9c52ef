// Entry point of the frontend image, copied to /app/apps/web/server.js (the image's CMD); Next's own
// standalone server sits beside it as next-server.js and does all the work.
//
// Why a wrapper: on SIGTERM/SIGINT, Next 16's standalone server stops accepting, drains in-flight
// requests, and then exits with 143/130 (128 + signal), so every `docker stop` or pod deletion is
// reported as a failure. This keeps Next's graceful shutdown and turns that deliberate exit into 0.
// It also bounds the drain (SHUTDOWN_TIMEOUT_MS, default 8000 — under `docker stop`'s 10 s) so a
// stuck connection cannot hold the process until SIGKILL.
// It also loads the front door first (front-door.mjs): the client's own X-Forwarded-* headers
// never reach Next or the API, and /api/* and /mcp go to the API without passing through Next.
import "./front-door.mjs";

const exit = process.exit.bind(process);
let stopping = false;

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const timeout = Number.parseInt(process.env.SHUTDOWN_TIMEOUT_MS ?? "", 10);
    setTimeout(
      () => {
        console.error(`${signal}: the server did not drain in time; exiting`);
        exit(0);
      },
      Number.isFinite(timeout) && timeout >= 0 ? timeout : 8000,
    ).unref();
  });
}

process.exit = (code) => exit(stopping && (code === 143 || code === 130) ? 0 : code);

await import("./next-server.js");
