{{/*
Release-wide wiring, evaluated in the umbrella's context: names of the objects components refer to,
the public URL and the database connection. A subchart cannot read the umbrella's values, so
everything that combines them (the backend's Deployment, ConfigMap and Secret, network policies,
Ingress, backup, tests) is rendered by the umbrella; see README "Where things are".
*/}}

{{- define "todo-chatbot.backendName" -}}{{ include "todo-chatbot.releaseName" . }}-backend{{- end -}}
{{- define "todo-chatbot.frontendName" -}}{{ include "todo-chatbot.releaseName" . }}-frontend{{- end -}}
{{- define "todo-chatbot.postgresqlName" -}}{{ include "todo-chatbot.releaseName" . }}-postgresql{{- end -}}

{{/* Browser-facing origin (PUBLIC_URL). */}}
{{- define "todo-chatbot.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- trimSuffix "/" .Values.publicUrl -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" (not (empty .Values.ingress.tlsSecretName))) .Values.ingress.host -}}
{{- else -}}
http://localhost:3000
{{- end -}}
{{- end -}}

{{/* Name of the Secret holding BETTER_AUTH_SECRET and OPENAI_API_KEY. */}}
{{- define "todo-chatbot.appSecretName" -}}
{{- default (include "todo-chatbot.backendName" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Whether the chart renders the backend's Secret: app secrets it generates or holds, or an inline externalDatabase.url. */}}
{{- define "todo-chatbot.chartSecretNeeded" -}}
{{- if or (not .Values.secrets.existingSecret) (and (not .Values.postgresql.enabled) .Values.externalDatabase.url (not .Values.externalDatabase.existingSecret)) -}}true{{- end -}}
{{- end -}}

{{/*
Environment that gives a container DATABASE_URL (backend, its init containers and the backup job):
in-cluster PostgreSQL builds it from the generated password with Kubernetes' $(VAR) expansion;
an external database reads it from externalDatabase.existingSecret or from the chart's Secret.
*/}}
{{- define "todo-chatbot.databaseEnv" -}}
{{- if .Values.postgresql.enabled }}
{{- $pg := .Values.postgresql }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (include "todo-chatbot.postgresqlName" .) $pg.auth.existingSecret }}
      key: POSTGRES_PASSWORD
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s:%v/%s" $pg.auth.username (include "todo-chatbot.postgresqlName" .) $pg.service.port $pg.auth.database | quote }}
{{- else if .Values.externalDatabase.existingSecret }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalDatabase.existingSecret }}
      key: {{ .Values.externalDatabase.existingSecretKey }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-chatbot.backendName" . }}
      key: DATABASE_URL
{{- end }}
{{- end -}}

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

{{/* envFrom + env of the backend's containers (server and migrate init container share it exactly). */}}
{{- define "todo-chatbot.backendEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "todo-chatbot.backendName" . }}
env:
  - name: BETTER_AUTH_SECRET
    valueFrom:
      secretKeyRef:
        name: {{ include "todo-chatbot.appSecretName" . }}
        key: BETTER_AUTH_SECRET
  - name: OPENAI_API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ include "todo-chatbot.appSecretName" . }}
        key: OPENAI_API_KEY
        optional: true
  {{- include "todo-chatbot.databaseEnv" . | nindent 2 }}
{{- end -}}
