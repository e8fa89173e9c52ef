{{/* Selector labels: name and instance only (never change them: Deployment selectors are immutable). */}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Standard labels of a chart's objects; the component is the chart's name. */}}
{{- define "todo-chatbot.labels" -}}
{{- include "todo-chatbot.componentLabels" (dict "ctx" . "component" .Chart.Name) -}}
{{- end -}}

{{/* Labels for an object of a role other than its chart's (backup, helm-test...): (dict "ctx" . "component" "backup"). */}}
{{- define "todo-chatbot.componentLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}
