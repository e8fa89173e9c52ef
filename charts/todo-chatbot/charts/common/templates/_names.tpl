{{/*
Object names. Every name of the release comes from "todo-chatbot.componentName", so the umbrella, the
subcharts and the scripts' label lookups all agree on them. The helpers are prefixed todo-chatbot. (not
common.) because named templates are global in a release: other charts' helpers cannot shadow these.
*/}}

{{/* Release-wide name: the release name, plus "-todo-chatbot" when the release name does not contain it. */}}
{{- define "todo-chatbot.releaseName" -}}
{{- if contains "todo-chatbot" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-todo-chatbot" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of a component's objects, e.g. todo-chatbot-backend: (dict "ctx" <any chart context> "component" "backend"). */}}
{{- define "todo-chatbot.componentName" -}}
{{- printf "%s-%s" (include "todo-chatbot.releaseName" .ctx) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of the objects of the chart whose context is given (a subchart's `.`, or `.Subcharts.<name>`). */}}
{{- define "todo-chatbot.fullname" -}}
{{- include "todo-chatbot.componentName" (dict "ctx" . "component" .Chart.Name) -}}
{{- end -}}
