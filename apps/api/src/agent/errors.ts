// Maps model-provider failures to the API's error codes: timeout → llm_timeout (503), refused or
// 5xx or overloaded → llm_unavailable (503), bad key → llm_auth_failed (502), an answer the
// agent cannot use (unknown tool, broken JSON) → bad_gateway (502).
import { ModelBehaviorError } from "@openai/agents-core";
import { AppError } from "../http/errors.js";

/** The `openai` client's error classes; given only online (offline turns never call a provider). */
export type ProviderErrors = Pick<
  typeof import("openai"),
  | "APIConnectionError"
  | "APIConnectionTimeoutError"
  | "APIError"
  | "AuthenticationError"
  | "PermissionDeniedError"
>;

function* causes(err: unknown): Generator<unknown> {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The AppError for a failed agent run, or undefined when it is not a provider failure. */
export function toLlmError(err: unknown, provider?: ProviderErrors): AppError | undefined {
  for (const e of causes(err)) {
    if (e instanceof AppError) return e;
    if (
      (provider && e instanceof provider.APIConnectionTimeoutError) ||
      (e as Error).name === "TimeoutError"
    ) {
      return new AppError("llm_timeout", "The language model did not answer in time; please try again");
    }
    if (
      provider &&
      (e instanceof provider.AuthenticationError || e instanceof provider.PermissionDeniedError)
    ) {
      return new AppError(
        "llm_auth_failed",
        "The language model provider rejected the API key (check OPENAI_API_KEY)",
      );
    }
    if (provider && e instanceof provider.APIConnectionError) {
      return new AppError(
        "llm_unavailable",
        "The language model provider cannot be reached; please try again",
      );
    }
    if (e instanceof ModelBehaviorError) {
      // e.g. a call to a tool that does not exist, or arguments that are not JSON.
      return new AppError("bad_gateway", "The language model gave an invalid answer; please try again");
    }
    if (provider && e instanceof provider.APIError) {
      return new AppError(
        "llm_unavailable",
        `The language model provider failed (HTTP ${e.status ?? "error"}); please try again`,
      );
    }
  }
  return undefined;
}
