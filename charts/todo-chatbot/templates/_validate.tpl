{{/* Checks that the values schema cannot express; each failure names the value to set. */}}
{{- define "todo-chatbot.validate" -}}
{{- if and .Values.secrets.requireExistingSecret (not .Values.secrets.existingSecret) -}}
{{- fail "secrets.existingSecret is required (secrets.requireExistingSecret=true, as in values-production.yaml): create a Secret with keys BETTER_AUTH_SECRET (>= 32 chars) and OPENAI_API_KEY, then pass --set secrets.existingSecret=<name>" -}}
{{- end -}}
{{- if and .Values.secrets.requireExistingSecret (or .Values.secrets.betterAuthSecret .Values.secrets.openaiApiKey) -}}
{{- fail "secrets.betterAuthSecret and secrets.openaiApiKey must be empty when secrets.requireExistingSecret=true: put them in the Secret named by secrets.existingSecret" -}}
{{- end -}}
{{- if and .Values.secrets.existingSecret (or .Values.secrets.betterAuthSecret .Values.secrets.openaiApiKey) -}}
{{- fail "set either secrets.existingSecret or secrets.betterAuthSecret/secrets.openaiApiKey, not both" -}}
{{- end -}}
{{- if and .Values.llm.ollama.enabled .Values.llm.baseUrl -}}
{{- fail "set either llm.ollama.enabled (the release's own Ollama) or llm.baseUrl (an LLM elsewhere), not both" -}}
{{- end -}}
{{- if and .Values.llm.ollama.enabled (eq .Values.agent.mode "offline") -}}
{{- fail "llm.ollama.enabled=true with agent.mode=offline would deploy Ollama for nothing: set agent.mode=auto (or online)" -}}
{{- end -}}
{{- if .Values.postgresql.enabled -}}
{{- if or .Values.externalDatabase.url .Values.externalDatabase.existingSecret -}}
{{- fail "externalDatabase.* is set while postgresql.enabled=true: set postgresql.enabled=false to use the external database" -}}
{{- end -}}
{{- else if and .Values.backend.enabled (not (or .Values.externalDatabase.url .Values.externalDatabase.existingSecret)) -}}
{{- fail "postgresql.enabled=false needs a database: set externalDatabase.existingSecret (a Secret with DATABASE_URL) or externalDatabase.url" -}}
{{- end -}}
{{- if and .Values.externalDatabase.url .Values.externalDatabase.existingSecret -}}
{{- fail "set either externalDatabase.url or externalDatabase.existingSecret, not both" -}}
{{- end -}}
{{- if .Values.backend.enabled -}}
{{- $b := .Values.backend -}}
{{- $needed := add $b.preStopSleepSeconds (div (add $b.shutdownDelayMs $b.shutdownTimeoutMs) 1000) -}}
{{- if le (int $b.terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "backend.terminationGracePeriodSeconds (%v) must exceed backend.preStopSleepSeconds + (shutdownDelayMs + shutdownTimeoutMs)/1000 = %v" $b.terminationGracePeriodSeconds $needed) -}}
{{- end -}}
{{- end -}}
{{- if .Values.frontend.enabled -}}
{{- if le (int .Values.frontend.terminationGracePeriodSeconds) (int .Values.frontend.preStopSleepSeconds) -}}
{{- fail "frontend.terminationGracePeriodSeconds must exceed frontend.preStopSleepSeconds" -}}
{{- end -}}
{{- end -}}
{{- end -}}
