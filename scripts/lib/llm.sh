#!/usr/bin/env bash
# `make up`'s choice of agent: when an LLM endpoint answers, the online agent uses it. Source it, then
# call detect_llm; it exports LLM_BASE_URL, LLM_MODEL and AGENT_MODE for the API and says what it chose.
#   LLM_BASE_URL set   → probe <url>/models; answers: online (LLM_MODEL defaults to its first model);
#                        does not answer: a warning, then the offline agent (unless AGENT_MODE=online).
#   else OLLAMA_HOST   → the same for Ollama's OpenAI-compatible API at <OLLAMA_HOST>/v1
#                        (host, host:port or a URL, as Ollama itself reads it; default port 11434).
#   neither            → unchanged: OPENAI_API_KEY decides (AGENT_MODE=auto), else the offline agent.

# First model id of an OpenAI-compatible /models listing, or nothing; exit 1 when it does not answer.
_llm_first_model() { # base_url
  # shellcheck disable=SC2016 # the quoted text is JavaScript: ${...} is a template literal, not a shell expansion
  LLM_PROBE_URL="$1/models" LLM_PROBE_KEY="${OPENAI_API_KEY:-}" node -e '
    const headers = process.env.LLM_PROBE_KEY ? { authorization: `Bearer ${process.env.LLM_PROBE_KEY}` } : {};
    fetch(process.env.LLM_PROBE_URL, { headers, signal: AbortSignal.timeout(3000) })
      .then(async (r) => {
        if (!r.ok) process.exit(1);
        const body = await r.json().catch(() => ({}));
        process.stdout.write(body?.data?.[0]?.id ?? "");
      })
      .catch(() => process.exit(1));
  '
}

# "127.0.0.1", "0.0.0.0:11434", "http://host:1234" → "http://127.0.0.1:11434"-style base URL.
_ollama_url() { # OLLAMA_HOST
  local host="$1" scheme="http"
  if [[ $host == *://* ]]; then
    scheme="${host%%://*}"
    host="${host#*://}"
  fi
  host="${host%%/*}"
  [[ $host == *:* ]] || host="$host:11434"
  [[ ${host%%:*} == 0.0.0.0 || -z ${host%%:*} ]] && host="127.0.0.1:${host##*:}"
  echo "$scheme://$host"
}

detect_llm() {
  local base="" source="" model
  if [[ -n ${LLM_BASE_URL:-} ]]; then
    base="${LLM_BASE_URL%/}"
    source="LLM_BASE_URL"
  elif [[ -n ${OLLAMA_HOST:-} ]]; then
    base="$(_ollama_url "$OLLAMA_HOST")/v1"
    source="OLLAMA_HOST"
  else
    if [[ -n ${OPENAI_API_KEY:-} ]]; then
      echo "==> assistant: online agent (OpenAI, OPENAI_API_KEY set)"
    else
      echo "==> assistant: offline agent (set OLLAMA_HOST or LLM_BASE_URL to use a local LLM)"
    fi
    return 0
  fi
  if model="$(_llm_first_model "$base")"; then
    export LLM_BASE_URL="$base"
    export LLM_MODEL="${LLM_MODEL:-$model}"
    if [[ -z $LLM_MODEL ]]; then
      echo "!!  $source: $base answers but lists no model (ollama pull qwen2.5:3b); using the offline agent" >&2
      unset LLM_BASE_URL LLM_MODEL
      export AGENT_MODE=offline
      return 0
    fi
    export AGENT_MODE="${AGENT_MODE:-auto}"
    echo "==> assistant: online agent, $LLM_MODEL at $LLM_BASE_URL ($source answers)"
  elif [[ ${AGENT_MODE:-auto} == online ]]; then
    echo "!!  $source: $base does not answer; AGENT_MODE=online keeps it (chat turns will fail until it does)" >&2
    export LLM_BASE_URL="$base"
  else
    echo "!!  $source: $base does not answer; using the offline agent" >&2
    unset LLM_BASE_URL
    export AGENT_MODE=offline
  fi
}
