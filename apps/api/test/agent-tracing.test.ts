// Agent tracing (which would send traces to OpenAI's backend) is off unless AGENT_TRACING=true online.
import { getGlobalTraceProvider } from "@openai/agents";
import { describe, expect, it } from "vitest";
import { createAgentRunner } from "../src/agent/runner.js";
import { loadConfig } from "../src/config.js";
import type { Db } from "../src/db/client.js";
import { TodoMcp } from "../src/mcp/server.js";

const online = { AGENT_MODE: "online", LLM_BASE_URL: "http://127.0.0.1:9/v1" };
const tracing = () => getGlobalTraceProvider().createTrace({ name: "probe" }).traceId !== "no-op";

describe("agent tracing", () => {
  it.each([
    ["off by default (online)", online, false],
    ["off in offline mode even when asked", { AGENT_MODE: "offline", AGENT_TRACING: "true" }, false],
    ["on when AGENT_TRACING=true online", { ...online, AGENT_TRACING: "true" }, true],
    ["off again when no longer asked", online, false],
  ])("is %s", (_name, env, expected) => {
    const db = {} as Db;
    createAgentRunner({ config: loadConfig(env), db, mcp: new TodoMcp({ db }) });
    expect(tracing()).toBe(expected);
  });
});
