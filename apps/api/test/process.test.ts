// The real process: graceful shutdown with requests in flight, readiness while draining, and
// JSON logs that never carry credentials.
import { afterEach, describe, expect, it } from "vitest";
import { api, PUBLIC_URL, signUp, tempDir } from "./support/harness.js";
import { killProcesses, startProcess } from "./support/process.js";

afterEach(killProcesses);

describe("the API process", () => {
  it("on SIGTERM turns readiness off, finishes every in-flight request, and exits 0", async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, SHUTDOWN_DELAY_MS: "3000", AUTH_RATE_LIMIT_PER_MINUTE: "1000" };
    const proc = await startProcess(env);
    const user = await signUp(proc);
    expect((await fetch(`${proc.url}/readyz`)).status).toBe(200);

    // Password checks (scrypt) keep the server busy, so requests are still in flight at SIGTERM.
    const signIns = Array.from({ length: 8 }, () =>
      fetch(`${proc.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: PUBLIC_URL },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }).then((r) => ({ status: r.status, at: Date.now() })),
    );
    const creates = Array.from({ length: 20 }, (_, i) =>
      api(proc, user.token, "POST", `/api/${user.id}/tasks`, { title: `in flight ${i}` }).then((r) => ({
        status: r.status,
        at: Date.now(),
      })),
    );
    await new Promise((r) => setTimeout(r, 100));
    const sigtermAt = Date.now();
    proc.child.kill("SIGTERM");
    // The signal is handled once the event loop is free of password hashing; poll until then
    // (SHUTDOWN_DELAY_MS keeps the listener open long enough on a loaded machine).
    let readiness = await fetch(`${proc.url}/readyz`);
    const pollUntil = Date.now() + 10_000;
    while (readiness.status === 200 && Date.now() < pollUntil) {
      await new Promise((r) => setTimeout(r, 50));
      readiness = await fetch(`${proc.url}/readyz`);
    }
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: "draining" });

    const results = await Promise.all([...signIns, ...creates]);
    expect(results.map((r) => r.status)).toEqual([...Array(8).fill(200), ...Array(20).fill(201)]);
    expect(results.some((r) => r.at > sigtermAt)).toBe(true);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/"msg":"stopped"/);

    // Every acknowledged write is there after a restart on the same data directory.
    const again = await startProcess(env);
    const list = await api(again, user.token, "GET", `/api/${user.id}/tasks`);
    expect((list.body as unknown[]).length).toBe(20);
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);

    // Logs are JSON lines with request ids, and carry no credentials.
    const lines = proc
      .output()
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(10);
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
    expect(requests.every((r) => typeof r.requestId === "string" && typeof r.status === "number")).toBe(true);
    for (const secret of [user.token, user.password, user.cookie.split("=")[1] ?? "x", "authorization"]) {
      expect(proc.output().toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});
