// The online model: any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, LM
// Studio…). The Agents SDK defaults to the Responses API, which most of those servers lack, so the
// model is built explicitly on Chat Completions.
import { type Model, OpenAIChatCompletionsModel } from "@openai/agents";
import OpenAI from "openai";
import type { Config } from "../config.js";

export function createOnlineModel(
  config: Pick<Config, "OPENAI_API_KEY" | "LLM_BASE_URL" | "LLM_MODEL" | "LLM_TIMEOUT_MS">,
): Model {
  const client = new OpenAI({
    // Ollama and most local servers need no key, but the client insists on one.
    apiKey: config.OPENAI_API_KEY ?? "not-needed",
    baseURL: config.LLM_BASE_URL,
    // Per model request. No automatic retries: a chat turn waits for a person, and a retry after a
    // timeout would double the wait; the user can send the message again.
    timeout: config.LLM_TIMEOUT_MS,
    maxRetries: 0,
  });
  return new OpenAIChatCompletionsModel(client, config.LLM_MODEL);
}
