{{/*
The in-cluster Ollama (llm.ollama.enabled): selectors and the backend's view of it (names: "todo-chatbot.componentName"). The backend reaches it
as an OpenAI-compatible Chat Completions endpoint at http://<release>-ollama:11434/v1 (LLM_BASE_URL).
*/}}
{{- define "todo-chatbot.ollamaSelectorLabels" -}}
app.kubernetes.io/name: ollama
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo-chatbot.ollamaPullSelectorLabels" -}}
app.kubernetes.io/name: ollama-pull
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo-chatbot.ollamaUrl" -}}
{{- printf "http://%s:%v" (include "todo-chatbot.componentName" (dict "ctx" . "component" "ollama")) .Values.llm.ollama.service.port -}}
{{- end -}}
