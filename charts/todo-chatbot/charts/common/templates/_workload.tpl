{{/* ServiceAccount, HPA and PDB of a component, from its chart context (its values: replicaCount, autoscaling.*). */}}

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
