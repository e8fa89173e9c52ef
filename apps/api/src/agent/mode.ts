import type { Config } from "../config.js";

export type AgentMode = "online" | "offline";

/** AGENT_MODE=auto → online when a key or a base URL is configured (Ollama needs no key). */
export function resolveAgentMode(
  config: Pick<Config, "AGENT_MODE" | "OPENAI_API_KEY" | "LLM_BASE_URL">,
): AgentMode {
  if (config.AGENT_MODE !== "auto") return config.AGENT_MODE;
  return config.OPENAI_API_KEY || config.LLM_BASE_URL ? "online" : "offline";
}
