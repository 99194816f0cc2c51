#!/usr/bin/env bash
# Runs inside test/env/run.ts (which started kube-apiserver, etcd, moto and cloudsim): installs the CRDs
# and ProviderConfigs for all three clouds (AWS on moto, Azure and GCP on cloudsim), prints how to reach
# the cluster, then runs the controllers in the foreground.
set -euo pipefail
cd "$(dirname "$0")/../.."
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for=condition=Established --timeout=60s -f crds/ >/dev/null
kubectl create namespace pledge-system --dry-run=client -o yaml | kubectl apply -f - >/dev/null
gcp_key=$(sed 's/^/    /' "$PLEDGE_TEST_CLOUDSIM_GCP_KEY")
gcp_project=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).project_id)' "$PLEDGE_TEST_CLOUDSIM_GCP_KEY")
kubectl apply -f - >/dev/null <<YAML
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  region: us-east-1
  endpoint: ${PLEDGE_TEST_MOTO_URL}
  credentials: {source: Environment}
---
apiVersion: v1
kind: Secret
metadata: {name: cloudsim-azure, namespace: pledge-system}
stringData: {clientSecret: "${PLEDGE_TEST_AZURE_CLIENT_SECRET}"}
---
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  tenantId: "${PLEDGE_TEST_AZURE_TENANT}"
  clientId: "${PLEDGE_TEST_AZURE_CLIENT_ID}"
  subscriptionId: "${PLEDGE_TEST_AZURE_SUBSCRIPTION}"
  clientSecretSecretRef: {name: cloudsim-azure, namespace: pledge-system, key: clientSecret}
  endpoint: ${PLEDGE_TEST_CLOUDSIM_AZURE_URL}
  authorityHost: ${PLEDGE_TEST_CLOUDSIM_AZURE_URL}
---
apiVersion: v1
kind: Secret
metadata: {name: cloudsim-gcp, namespace: pledge-system}
stringData:
  credentials.json: |
${gcp_key}
---
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  projectId: ${gcp_project}
  endpoint: ${PLEDGE_TEST_CLOUDSIM_GCS_URL}
  credentialsSecretRef: {name: cloudsim-gcp, namespace: pledge-system, key: credentials.json}
YAML
cat <<MSG

Pledge dev environment is up on 127.0.0.1: kube-apiserver, etcd, moto (AWS), cloudsim (Azure, GCP).
The ProviderConfig "default" of each cloud points at them. In another terminal:

  export KUBECONFIG=${KUBECONFIG}
  kubectl apply -f examples/s3-bucket.yaml
  kubectl wait --for=condition=Ready bucket.s3.aws.pledge.dev/my-first-pledge-bucket
  kubectl get managed

Ctrl-C stops everything.

MSG
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-pledge-dev} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-pledge-dev}
exec node bin/pledge.ts run --poll-interval "${PLEDGE_POLL_INTERVAL:-10s}"
