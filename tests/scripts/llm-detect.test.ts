// `make up` picks the online agent when OLLAMA_HOST or LLM_BASE_URL answers (scripts/lib/llm.sh; no
// answer keeps the offline agent), probed against a fake that lists models the way Ollama's /v1/models does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlm, startFakeLlm } from "../support/fake-llm";
import { freePort, runAsync } from "../support/process";

/** Runs detect_llm in a clean environment and returns what it exported and printed. */
async function detect(env: Record<string, string>) {
  const script =
    'source scripts/lib/llm.sh; detect_llm; printf "\\nRESULT %s|%s|%s\\n" "${AGENT_MODE:-}" "${LLM_BASE_URL:-}" "${LLM_MODEL:-}"';
  const run = await runAsync("bash", ["-c", script], {
    env: { AGENT_MODE: "", LLM_BASE_URL: "", LLM_MODEL: "", OLLAMA_HOST: "", OPENAI_API_KEY: "", ...env },
  });
  expect(run.status, run.stderr).toBe(0);
  const [mode, baseUrl, model] = (run.stdout.match(/RESULT (.*)$/m)?.[1] ?? "").split("|");
  return { mode, baseUrl, model, said: `${run.stdout}${run.stderr}` };
}

describe("make up: the online agent when a local LLM answers", () => {
  let ollama: FakeLlm;
  let empty: FakeLlm;
  beforeAll(async () => {
    ollama = await startFakeLlm(["qwen2.5:3b", "llama3.2:3b"]);
    empty = await startFakeLlm([]);
  });
  afterAll(async () => {
    await ollama?.close();
    await empty?.close();
  });
  const hostPort = (fake: FakeLlm) => new URL(fake.url).host;

  it("OLLAMA_HOST that answers (host:port, as Ollama reads it) → online, its first model", async () => {
    const r = await detect({ OLLAMA_HOST: hostPort(ollama) });
    expect(r).toMatchObject({ mode: "auto", baseUrl: ollama.url, model: "qwen2.5:3b" });
    expect(r.said).toContain(`online agent, qwen2.5:3b at ${ollama.url}`);
    // A URL form and an explicit LLM_MODEL work too.
    const url = await detect({ OLLAMA_HOST: `http://${hostPort(ollama)}/`, LLM_MODEL: "llama3.2:3b" });
    expect(url).toMatchObject({ baseUrl: ollama.url, model: "llama3.2:3b" });
  });

  it("LLM_BASE_URL that answers → kept, online", async () => {
    const r = await detect({ LLM_BASE_URL: `${ollama.url}/` });
    expect(r).toMatchObject({ mode: "auto", baseUrl: ollama.url, model: "qwen2.5:3b" });
  });

  it("an endpoint that does not answer → a warning and the offline agent (unless AGENT_MODE=online)", async () => {
    const port = await freePort();
    const r = await detect({ OLLAMA_HOST: `127.0.0.1:${port}` });
    expect(r).toMatchObject({ mode: "offline", baseUrl: "" });
    expect(r.said).toContain(`http://127.0.0.1:${port}/v1 does not answer; using the offline agent`);
    const forced = await detect({ LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, AGENT_MODE: "online" });
    expect(forced).toMatchObject({ mode: "online", baseUrl: `http://127.0.0.1:${port}/v1` });
  });

  it("an Ollama without any model pulled → the offline agent, with the command to pull one", async () => {
    const r = await detect({ OLLAMA_HOST: hostPort(empty) });
    expect(r).toMatchObject({ mode: "offline", baseUrl: "" });
    expect(r.said).toContain("ollama pull");
  });

  it("nothing configured → unchanged (the offline agent)", async () => {
    const r = await detect({});
    expect(r).toMatchObject({ mode: "", baseUrl: "", model: "" });
    expect(r.said).toContain("offline agent");
  });
});
