#!/usr/bin/env bash
# Runs inside test/env/run.ts (which started kube-apiserver, etcd and moto): installs the CRDs and a
# ProviderConfig pointing at moto, prints how to reach the cluster, then runs the controllers.
set -euo pipefail
cd "$(dirname "$0")/../.."
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for=condition=Established --timeout=60s -f crds/ >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  region: us-east-1
  endpoint: ${PLEDGE_TEST_MOTO_URL}
  credentials: {source: Environment}
YAML
cat <<MSG

Pledge dev environment is up (kube-apiserver, etcd, moto on 127.0.0.1).
In another terminal:

  export KUBECONFIG=${KUBECONFIG}
  kubectl apply -f examples/s3-bucket.yaml
  kubectl get buckets.s3.aws.pledge.dev

The AWS ProviderConfig "default" points at moto (${PLEDGE_TEST_MOTO_URL}). Ctrl-C stops everything.

MSG
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-pledge-dev} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-pledge-dev}
exec node bin/pledge.ts run --poll-interval "${PLEDGE_POLL_INTERVAL:-10s}"
