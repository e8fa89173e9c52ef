// The chat agent, loaded on first use. The Agents SDK with its MCP client is about 2.5 MB of code:
// compiling it at start-up doubled the time to ready, and tasks, health and auth never need it.
// server.ts starts loading it once the API listens, so a first chat turn rarely waits for it.
import { resolveAgentMode } from "./mode.js";
import type { AgentRunner, createAgentRunner } from "./runner.js";

export interface LazyAgentRunner extends AgentRunner {
  /** Loads the agent (once); later turns use the loaded one. */
  load(): Promise<AgentRunner>;
}

export function createLazyAgentRunner(deps: Parameters<typeof createAgentRunner>[0]): LazyAgentRunner {
  let loading: Promise<AgentRunner> | undefined;
  const load = () => {
    loading ??= import("./runner.js").then((m) => m.createAgentRunner(deps));
    return loading;
  };
  return {
    mode: resolveAgentMode(deps.config),
    load,
    runTurn: async (input, options) => (await load()).runTurn(input, options),
  };
}
