{{/* Names shared by every template (and by templates/rbac.yaml). */}}

{{- define "pledge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release-scoped name of the Deployment, Service, PDB and ServiceMonitor. */}}
{{- define "pledge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "pledge.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "pledge.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "pledge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "pledge.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pledge
{{- end }}

{{- define "pledge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pledge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The ServiceAccount the controller runs as: created by the chart unless serviceAccount.create is false. */}}
{{- define "pledge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pledge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Where the leader-election Lease lives: run.leaderElectionNamespace, else the release's namespace. */}}
{{- define "pledge.leaderElectionNamespace" -}}
{{- default .Release.Namespace .Values.run.leaderElectionNamespace }}
{{- end }}

{{/* The port of run.metricsBindAddress (host:port), for the container port, probes and Service. */}}
{{- define "pledge.metricsPort" -}}
{{- splitList ":" .Values.run.metricsBindAddress | last }}
{{- end }}
