{{/*
Release-wide wiring, evaluated in the umbrella's context: the public URL, the backend's secrets and its
database connection. A subchart sees only its own values and `global`, and these come from release-wide
keys (publicUrl, secrets.*, externalDatabase.*, llm.*...) and from the postgresql chart's values, so the
objects built from them (the backend's Deployment, ConfigMap and Secret) are rendered by the umbrella;
see README "Where things are". Names come from "todo-chatbot.componentName" in the common library chart.
*/}}

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
{{- default (include "todo-chatbot.componentName" (dict "ctx" . "component" "backend")) .Values.secrets.existingSecret -}}
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
      name: {{ default (include "todo-chatbot.componentName" (dict "ctx" . "component" "postgresql")) $pg.auth.existingSecret }}
      key: POSTGRES_PASSWORD
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s:%v/%s" $pg.auth.username (include "todo-chatbot.componentName" (dict "ctx" . "component" "postgresql")) $pg.service.port $pg.auth.database | quote }}
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
      name: {{ include "todo-chatbot.componentName" (dict "ctx" . "component" "backend") }}
      key: DATABASE_URL
{{- end }}
{{- end -}}

{{/* envFrom + env of the backend's containers (server and migrate init container share it exactly). */}}
{{- define "todo-chatbot.backendEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "todo-chatbot.componentName" (dict "ctx" . "component" "backend") }}
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
