// Configuration: one module validates the environment; bad values stop start-up with one line.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const apiDir = fileURLToPath(new URL("..", import.meta.url));

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({
      PORT: 8000,
      PUBLIC_URL: "http://localhost:3000",
      DATA_DIR: "./.data",
      DB_POOL_MAX: 10,
      AGENT_MODE: "auto",
      MIGRATE_ON_START: true,
      SHUTDOWN_DELAY_MS: 0,
      TRUSTED_ORIGINS: [],
    });
    expect(cfg.DATABASE_URL).toBeUndefined();
  });

  it("parses lists, booleans and numbers; empty strings count as unset", () => {
    const cfg = loadConfig({
      PORT: "9000",
      TRUSTED_ORIGINS: "http://a.test, http://b.test:*",
      MIGRATE_ON_START: "false",
      DATABASE_URL: "",
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "s".repeat(32),
    });
    expect(cfg.PORT).toBe(9000);
    expect(cfg.TRUSTED_ORIGINS).toEqual(["http://a.test", "http://b.test:*"]);
    expect(cfg.MIGRATE_ON_START).toBe(false);
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.SHUTDOWN_DELAY_MS).toBe(5000);
  });

  it.each([
    [{ PORT: "abc" }, /^invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: "70000" }, /PORT/],
    [{ PUBLIC_URL: "localhost" }, /PUBLIC_URL must be an absolute URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with postgres/],
    [{ AGENT_MODE: "magic" }, /AGENT_MODE/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ MIGRATE_ON_START: "maybe" }, /MIGRATE_ON_START/],
    [{ DB_POOL_MAX: "0" }, /DB_POOL_MAX/],
    [{ BETTER_AUTH_SECRET: "short" }, /BETTER_AUTH_SECRET must be at least 32 characters$/],
    [{ NODE_ENV: "production" }, /BETTER_AUTH_SECRET is required .* when NODE_ENV=production/],
    [{ AGENT_MODE: "online" }, /AGENT_MODE is online but neither OPENAI_API_KEY nor LLM_BASE_URL is set/],
  ])("rejects %o with one line naming the variable", (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("never echoes a secret's value in the error", () => {
    expect(() => loadConfig({ BETTER_AUTH_SECRET: "hunter2-short" })).toThrow(/^(?!.*hunter2).*$/);
  });

  it("stops the real process with exit code 1 and one line on stderr", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: apiDir,
      env: { ...process.env, PORT: "not-a-port", LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/invalid configuration: PORT/);
  });
});
