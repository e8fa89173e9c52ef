{{/* Image reference: repository:tag (tag defaults to the chart's appVersion): (dict "image" .Values.image "ctx" .). */}}
{{- define "todo-chatbot.image" -}}
{{- printf "%s:%s" .image.repository (toString (default .ctx.Chart.AppVersion .image.tag)) -}}
{{- end -}}

{{/*
Pod securityContext: never root, RuntimeDefault seccomp. (dict "user" 1000) runs as that uid and gid;
"fsGroup" true also gives mounted volumes that group, "onRootMismatch" true changes their ownership only
when it is wrong (large volumes: PostgreSQL data, Ollama models).
*/}}
{{- define "todo-chatbot.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .user }}
runAsGroup: {{ .user }}
{{- if .fsGroup }}
fsGroup: {{ .user }}
{{- end }}
{{- if .onRootMismatch }}
fsGroupChangePolicy: OnRootMismatch
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container securityContext shared by every container of the release. */}}
{{- define "todo-chatbot.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Soft spread of a component's pods over nodes (ScheduleAnyway: never blocks scheduling on one-node Minikube). */}}
{{- define "todo-chatbot.topologySpread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo-chatbot.selectorLabels" . | nindent 8 }}
{{- end -}}
