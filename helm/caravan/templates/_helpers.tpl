{{/* Every helper takes the root context, so .Values paths below are absolute (the chart test checks them). */}}

{{- define "caravan.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name; component suffixes (-api, -agent, -egress) are at most 7 characters. */}}
{{- define "caravan.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 56 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "caravan.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "caravan.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "caravan.selectorLabels" -}}
app.kubernetes.io/name: {{ include "caravan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "caravan.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "caravan.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "caravan.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with DATABASE_URL, REDIS_URL and the keys: the user's, or the chart's. */}}
{{- define "caravan.secretName" -}}
{{- default (include "caravan.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "caravan.egressUrl" -}}
http://{{ include "caravan.fullname" . }}-egress.{{ .Release.Namespace }}.svc:{{ .Values.egress.service.port }}
{{- end }}

{{/* Pods roll when a setting or a secret of this chart changes. */}}
{{- define "caravan.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}

{{/* Pod-level settings shared by every Caravan pod. */}}
{{- define "caravan.podSpecCommon" -}}
serviceAccountName: {{ include "caravan.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/* The read-only root filesystem leaves /tmp writable, for Node and its libraries. */}}
{{- define "caravan.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "caravan.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}
