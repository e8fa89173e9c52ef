{{/*
Helpers shared by the umbrella chart and its subcharts (named templates are global in a release,
so charts/frontend, charts/backend and charts/postgresql call these too: one place for names and labels).
Each takes a chart context: the umbrella's `.`, a subchart's `.`, or `.Subcharts.<name>` from the umbrella.
*/}}

{{/* Release-wide name: the release name, plus the chart name when the release name does not contain it. */}}
{{- define "todo-chatbot.releaseName" -}}
{{- if contains "todo-chatbot" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-todo-chatbot" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of a chart's objects: <release name>-<chart name>, e.g. todo-chatbot-backend. The umbrella itself gets the release name. */}}
{{- define "todo-chatbot.fullname" -}}
{{- if eq .Chart.Name "todo-chatbot" -}}
{{- include "todo-chatbot.releaseName" . -}}
{{- else -}}
{{- printf "%s-%s" (include "todo-chatbot.releaseName" .) .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: name and instance only (never change them: Deployment selectors are immutable). */}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Standard labels for every object. */}}
{{- define "todo-chatbot.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "todo-chatbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .Chart.Name }}
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels for an umbrella object that belongs to a role other than the chart (backup, helm-test...): (dict "ctx" . "component" "backup") */}}
{{- define "todo-chatbot.componentLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* Image reference: repository:tag (tag defaults to the chart's appVersion). */}}
{{- define "todo-chatbot.image" -}}
{{- printf "%s:%s" .image.repository (toString (default .ctx.Chart.AppVersion .image.tag)) -}}
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

{{/* True ("true") when more than one replica of a component can exist: PDB wanted. */}}
{{- define "todo-chatbot.multiReplica" -}}
{{- if or (gt (int .Values.replicaCount) 1) (and .Values.autoscaling.enabled (gt (int .Values.autoscaling.maxReplicas) 1)) -}}true{{- end -}}
{{- end -}}

{{/* ServiceAccount of a component: no API token is mounted (the apps never call the Kubernetes API). */}}
{{- define "todo-chatbot.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "todo-chatbot.fullname" . }}
  labels:
    {{- include "todo-chatbot.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}

{{/* HorizontalPodAutoscaler of a component's Deployment, when autoscaling.enabled. */}}
{{- define "todo-chatbot.hpa" -}}
{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "todo-chatbot.fullname" . }}
  labels:
    {{- include "todo-chatbot.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "todo-chatbot.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}

{{/* PodDisruptionBudget, only when more than one replica can exist (with one replica it would block node drains). */}}
{{- define "todo-chatbot.pdb" -}}
{{- if include "todo-chatbot.multiReplica" . }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "todo-chatbot.fullname" . }}
  labels:
    {{- include "todo-chatbot.labels" . | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "todo-chatbot.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
