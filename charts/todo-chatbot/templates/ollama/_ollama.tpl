{{/*
The in-cluster Ollama (llm.ollama.enabled): names and the backend's view of it. The backend reaches it
as an OpenAI-compatible Chat Completions endpoint at http://<release>-ollama:11434/v1 (LLM_BASE_URL).
*/}}
{{- define "todo-chatbot.ollamaName" -}}{{ include "todo-chatbot.releaseName" . }}-ollama{{- end -}}

{{- define "todo-chatbot.ollamaSelectorLabels" -}}
app.kubernetes.io/name: ollama
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo-chatbot.ollamaPullSelectorLabels" -}}
app.kubernetes.io/name: ollama-pull
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo-chatbot.ollamaUrl" -}}
{{- printf "http://%s:%v" (include "todo-chatbot.ollamaName" .) .Values.llm.ollama.service.port -}}
{{- end -}}

{{/* The pod securityContext of Ollama and its pull Job: the image runs as root by default; we do not. */}}
{{- define "todo-chatbot.ollamaPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}
