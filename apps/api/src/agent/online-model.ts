// The online model: any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, LM
// Studio…). The Agents SDK defaults to the Responses API, which most of those servers lack, so the
// model is built explicitly on Chat Completions.
//
// The OpenAI provider (`@openai/agents`, which also installs the OpenAI tracing exporter, and the
// `openai` client) is imported here, on demand, only when an LLM is configured: the offline agent
// needs only `@openai/agents-core`, and a process that never talks to a model does not load them.
import type { Model } from "@openai/agents-core";
import type { Config } from "../config.js";
import type { ProviderErrors } from "./errors.js";

export interface OnlineModel {
  model: Model;
  /** The provider's error classes, for mapping its failures to the API's error codes. */
  providerErrors: ProviderErrors;
}

export async function loadOnlineModel(
  config: Pick<Config, "OPENAI_API_KEY" | "LLM_BASE_URL" | "LLM_MODEL" | "LLM_TIMEOUT_MS">,
): Promise<OnlineModel> {
  const [{ OpenAIChatCompletionsModel }, openai] = await Promise.all([
    import("@openai/agents"),
    import("openai"),
  ]);
  const client = new openai.default({
    // Ollama and most local servers need no key, but the client insists on one.
    apiKey: config.OPENAI_API_KEY ?? "not-needed",
    baseURL: config.LLM_BASE_URL,
    // Per model request. No automatic retries: a chat turn waits for a person, and a retry after a
    // timeout would double the wait; the user can send the message again.
    timeout: config.LLM_TIMEOUT_MS,
    maxRetries: 0,
  });
  return { model: new OpenAIChatCompletionsModel(client, config.LLM_MODEL), providerErrors: openai };
}
